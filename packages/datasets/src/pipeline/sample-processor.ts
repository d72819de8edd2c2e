import { readFile } from 'node:fs/promises';
import type { CocoAnnotation, CocoImage } from '../coco/coco-dataset.js';
import { createDecoderSet, decodeImage } from '../decode/decode-image.js';
import { DatasetError, type DatasetErrorReason, errorMessage } from '../errors.js';
import { type ClassificationPipeline, transformClassificationImage } from './classification-pipeline.js';
import {
  type DetectionPipeline,
  type DetectionTarget,
  transformDetectionSample,
} from './detection-pipeline.js';

/** Any pipeline a `DataLoader` runs. */
export type SamplePipeline = ClassificationPipeline | DetectionPipeline;

/** One unit of work: which file, which seed, and the labels/annotations that go with it. */
export interface SampleTask {
  /** Index of the sample in the dataset. */
  index: number;
  path: string;
  /** Seed of this sample's augmentation (`deriveSampleSeed(seed, epoch, index)`). */
  seed: number;
  /** Classification label. */
  label?: number;
  /** Detection record. */
  record?: { image: CocoImage; annotations: CocoAnnotation[] };
}

/** A processed sample, or the reason it could not be processed. Plain data (crosses threads). */
export type SampleOutcome =
  | {
      ok: true;
      index: number;
      /** [shape] float32 */
      data: Float32Array;
      shape: [number, number, number];
      label: number;
      target: DetectionTarget | null;
      /** The decoder that actually ran (e.g. `pngjs` for a PNG named .JPEG). */
      decoder: string;
    }
  | {
      ok: false;
      index: number;
      path: string;
      reason: DatasetErrorReason;
      /** The problem, without the path (see `DatasetError.problem`). */
      problem: string;
    };

/** Runs a pipeline on tasks in the current thread. */
export interface SampleProcessor {
  /** Name of the primary (JPEG) decoder, for logs and benchmarks. */
  readonly decoder: string;
  process(task: SampleTask): Promise<SampleOutcome>;
}

/** Context a detection pipeline needs besides the pipeline itself. */
export interface SampleProcessorContext {
  /** [categoryId, label] pairs (`CocoDataset.categoryIdToLabel`). */
  categoryIdToLabel?: readonly (readonly [number, number])[];
}

/**
 * Builds the per-thread executor of a pipeline: resolves the decoders, then for each task reads the
 * file, decodes it (format from magic bytes), applies the transform. Failures never throw: they come
 * back as `{ok: false}` with the path and reason, so the caller applies the error policy.
 */
export async function createSampleProcessor(
  pipeline: SamplePipeline,
  context: SampleProcessorContext = {},
): Promise<SampleProcessor> {
  const decoders = await createDecoderSet(pipeline.decoder);
  const categoryIdToLabel = new Map(context.categoryIdToLabel ?? []);
  return {
    decoder: decoders.primary.name,
    async process(task: SampleTask): Promise<SampleOutcome> {
      try {
        let bytes: Uint8Array;
        try {
          bytes = await readFile(task.path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new DatasetError(
            code === 'ENOENT' ? 'missing' : 'io',
            task.path,
            `cannot read file: ${errorMessage(error)}`,
          );
        }
        const decoded = await decodeImage(bytes, task.path, decoders, { orientation: pipeline.orientation });
        if (pipeline.kind === 'classification') {
          const data = transformClassificationImage(pipeline, decoded.image, task.seed);
          const [h, w, c] = pipeline.outputShape;
          return {
            ok: true,
            index: task.index,
            data,
            shape: [h, w, c],
            label: task.label ?? -1,
            target: null,
            decoder: decoded.decoder,
          };
        }
        if (!task.record)
          throw new DatasetError('invalid-annotation', task.path, 'detection task without its annotations');
        const { image } = task.record;
        if (decoded.image.width !== image.width || decoded.image.height !== image.height) {
          throw new DatasetError(
            'invalid-annotation',
            task.path,
            `image decodes to ${decoded.image.width}x${decoded.image.height} but its annotation (image id ${image.id}) says ${image.width}x${image.height}`,
          );
        }
        const result = transformDetectionSample(
          pipeline,
          decoded.image,
          { ...task.record, categoryIdToLabel },
          task.seed,
        );
        return { ok: true, index: task.index, ...result, label: -1, decoder: decoded.decoder };
      } catch (error) {
        if (error instanceof DatasetError) {
          return {
            ok: false,
            index: task.index,
            path: task.path,
            reason: error.reason,
            problem: error.problem,
          };
        }
        return {
          ok: false,
          index: task.index,
          path: task.path,
          reason: 'corrupt',
          problem: errorMessage(error),
        };
      }
    },
  };
}
