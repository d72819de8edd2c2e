import { ArgumentError } from '@fdl/dct-core';
import type { CocoDataset } from '../coco/coco-dataset.js';
import { DatasetError, type DatasetErrorReason } from '../errors.js';
import type { ClassificationDataset, ErrorPolicy } from '../folder/image-folder.js';
import type { ClassificationPipeline } from '../pipeline/classification-pipeline.js';
import type { DetectionPipeline, DetectionTarget } from '../pipeline/detection-pipeline.js';
import {
  createSampleProcessor,
  type SampleOutcome,
  type SamplePipeline,
  type SampleProcessor,
  type SampleProcessorContext,
  type SampleTask,
} from '../pipeline/sample-processor.js';
import { deriveEpochSeed, deriveSampleSeed, Random } from '../random.js';
import { padToMultiple } from '../transforms/detection-geometry.js';
import { WorkerPool } from './worker-pool.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  batchSize: number;
  /** Reshuffle every epoch with a permutation seeded by (seed, epoch). Default false. */
  shuffle?: boolean;
  /** Base seed of shuffling and augmentation. Default 0. */
  seed?: number;
  /** Worker threads; 0 runs everything on the calling thread. Default 0. */
  workers?: number;
  /** Batches submitted ahead of the consumer (bounded memory). Default 2. */
  prefetch?: number;
  /** Drop the last incomplete batch of the shard. Default false. */
  dropLast?: boolean;
  /** This process's shard: samples at positions rank, rank + worldSize, ... of the epoch order. */
  rank?: number;
  worldSize?: number;
  /** `error` (default): a bad file stops the epoch with its `DatasetError`; `skip`: record and continue. */
  onError?: ErrorPolicy;
  /** Called after every batch. */
  onProgress?: (progress: DataLoaderProgress) => void;
}

export const DEFAULT_DATA_LOADER_OPTIONS = Object.freeze({
  shuffle: false,
  seed: 0,
  workers: 0,
  prefetch: 2,
  dropLast: false,
  rank: 0,
  worldSize: 1,
  onError: 'error' as ErrorPolicy,
});

export interface DataLoaderProgress {
  epoch: number;
  /** Batches yielded so far this epoch (1-based after the first). */
  batch: number;
  batches: number;
  /** Samples delivered so far this epoch. */
  samples: number;
  /** Samples of this shard this epoch. */
  total: number;
  /** Files skipped so far this epoch. */
  skipped: number;
}

/** One classification batch (NHWC). */
export interface ClassificationBatch {
  /** [n, h, w, c] float32 */
  inputs: Float32Array;
  shape: [number, number, number, number];
  /** [n] class indices */
  labels: Int32Array;
  paths: string[];
  /** Dataset indices of the samples. */
  indices: number[];
}

/** One detection batch: inputs zero-padded to a common size divisible by `sizeDivisible`. */
export interface DetectionBatch {
  /** [n, H, W, c] float32; zero (the normalized mean) outside each image. */
  inputs: Float32Array;
  shape: [number, number, number, number];
  /** Per image, in resized pixels (before padding). */
  targets: DetectionTarget[];
  paths: string[];
  indices: number[];
}

/** A file that was left out under `onError: 'skip'`. */
export interface SkippedSample {
  epoch: number;
  index: number;
  path: string;
  reason: DatasetErrorReason;
  message: string;
}

/** What happened so far: which decoder ran, how many samples, and every skipped file. */
export interface DataLoaderReport {
  /** Primary decoder name (`sharp`, `jpeg-js`, `fdl`), or null before the first epoch. */
  decoder: string | null;
  /** Decoders that actually ran per sample, with counts (shows PNG-in-JPEG, GIF fallbacks). */
  decoderUse: Record<string, number>;
  processed: number;
  /** Files left out (dataset-level skips from opening the dataset included, with epoch -1). */
  skipped: SkippedSample[];
}

type BatchOf<P extends SamplePipeline> = P extends DetectionPipeline ? DetectionBatch : ClassificationBatch;
type DatasetOf<P extends SamplePipeline> = P extends DetectionPipeline ? CocoDataset : ClassificationDataset;

/**
 * Sample -> decode -> transform -> batch, on a pool of worker threads.
 *
 * Determinism: the epoch order is the identity or a permutation seeded by (seed, epoch); every
 * sample's augmentation is seeded by (seed, epoch, dataset index). Batches therefore have the same
 * contents and values whatever the worker count or scheduling. With `onError: 'skip'` a failed sample
 * is left out of its batch (the batch is smaller; no other sample is substituted; a batch left empty
 * is not yielded) and listed in `report()`.
 *
 * Sharding: rank r of worldSize w takes positions r, r + w, ... of the epoch order (shards differ in
 * length by at most one; no sample is repeated to even them out).
 */
export class DataLoader<P extends SamplePipeline = ClassificationPipeline> {
  readonly pipeline: P;
  private readonly dataset: DatasetOf<P>;
  private readonly options: Required<Omit<DataLoaderOptions, 'onProgress'>> &
    Pick<DataLoaderOptions, 'onProgress'>;
  private readonly context: SampleProcessorContext;
  private pool: WorkerPool | null = null;
  private inline: SampleProcessor | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;
  private running = false;
  private readonly skippedSamples: SkippedSample[] = [];
  private readonly decoderUse: Record<string, number> = {};
  private processed = 0;
  private decoderName: string | null = null;

  constructor(dataset: DatasetOf<P>, pipeline: P, options: DataLoaderOptions) {
    const name = 'DataLoader';
    if (!options || !Number.isInteger(options.batchSize) || options.batchSize <= 0) {
      throw new ArgumentError(
        name,
        'options.batchSize',
        `must be a positive integer, got ${options?.batchSize}`,
      );
    }
    const resolved = { ...DEFAULT_DATA_LOADER_OPTIONS, ...options };
    for (const key of ['workers', 'prefetch', 'rank', 'worldSize', 'seed'] as const) {
      if (!Number.isInteger(resolved[key]) || resolved[key] < 0) {
        throw new ArgumentError(name, `options.${key}`, `must be an integer >= 0, got ${resolved[key]}`);
      }
    }
    if (resolved.worldSize < 1 || resolved.rank >= resolved.worldSize) {
      throw new ArgumentError(
        name,
        'options.rank',
        `must be in [0, worldSize = ${resolved.worldSize}), got ${resolved.rank}`,
      );
    }
    if (resolved.prefetch < 1)
      throw new ArgumentError(name, 'options.prefetch', `must be >= 1, got ${resolved.prefetch}`);
    if (resolved.onError !== 'error' && resolved.onError !== 'skip') {
      throw new ArgumentError(
        name,
        'options.onError',
        `must be 'error' or 'skip', got ${String(resolved.onError)}`,
      );
    }
    if (pipeline?.kind !== 'classification' && pipeline?.kind !== 'detection') {
      throw new ArgumentError(
        name,
        'pipeline',
        'must come from createClassificationPipeline or createDetectionPipeline',
      );
    }
    const isCoco = 'categoryIdToLabel' in dataset;
    if ((pipeline.kind === 'detection') !== isCoco) {
      throw new ArgumentError(
        name,
        'dataset',
        `does not fit a ${pipeline.kind} pipeline (got a ${isCoco ? 'COCO' : 'classification'} dataset)`,
      );
    }
    this.dataset = dataset;
    this.pipeline = pipeline;
    this.options = resolved;
    this.context = isCoco ? { categoryIdToLabel: [...(dataset as CocoDataset).categoryIdToLabel] } : {};
    for (const entry of dataset.skipped) {
      this.skippedSamples.push({
        epoch: -1,
        index: -1,
        path: entry.path,
        reason: entry.reason,
        message: entry.message,
      });
    }
  }

  /** Samples of this shard per epoch. */
  get size(): number {
    const { rank, worldSize } = this.options;
    const total = this.dataset.samples.length;
    return Math.floor(total / worldSize) + (rank < total % worldSize ? 1 : 0);
  }

  /** Batches per epoch for this shard. */
  get length(): number {
    const { batchSize, dropLast } = this.options;
    return dropLast ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /** Dataset indices of this shard in epoch order. */
  order(epoch: number): number[] {
    const { shuffle, seed, rank, worldSize } = this.options;
    const all = Array.from({ length: this.dataset.samples.length }, (_, i) => i);
    if (shuffle) new Random(deriveEpochSeed(seed, epoch)).shuffle(all);
    return worldSize === 1 ? all : all.filter((_, position) => position % worldSize === rank);
  }

  /**
   * The batches of one epoch, in order. Breaking out of the loop stops the remaining work. One epoch
   * at a time: starting another while one is being iterated is an error.
   */
  async *epoch(epoch: number): AsyncGenerator<BatchOf<P>, void, undefined> {
    if (this.closed) throw new ArgumentError('DataLoader.epoch', 'this', 'is closed');
    if (this.running) {
      throw new ArgumentError(
        'DataLoader.epoch',
        'epoch',
        `${epoch} started while another epoch is still being iterated`,
      );
    }
    this.running = true;
    try {
      yield* this.runEpoch(epoch);
    } finally {
      this.running = false;
    }
  }

  private async *runEpoch(epoch: number): AsyncGenerator<BatchOf<P>, void, undefined> {
    await this.start();
    const { batchSize, dropLast, prefetch, onError, onProgress } = this.options;
    const order = this.order(epoch);
    const batches: number[][] = [];
    for (let start = 0; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      if (indices.length < batchSize && dropLast) break;
      batches.push(indices);
    }
    const pending: Promise<SampleOutcome[]>[] = [];
    let submitted = 0;
    let samples = 0;
    let skipped = 0;
    try {
      for (let b = 0; b < batches.length; b++) {
        while (submitted < batches.length && pending.length < prefetch) {
          const promise = Promise.all(
            batches[submitted++]!.map((index) => this.runTask(this.task(index, epoch))),
          );
          promise.catch(() => {}); // observed below; avoids unhandled rejections while waiting
          pending.push(promise);
        }
        const outcomes = await pending.shift()!;
        const good = [];
        for (const outcome of outcomes) {
          if (outcome.ok) {
            good.push(outcome);
            this.decoderUse[outcome.decoder] = (this.decoderUse[outcome.decoder] ?? 0) + 1;
            continue;
          }
          if (onError === 'error') {
            throw new DatasetError(outcome.reason, outcome.path, outcome.problem, {
              index: outcome.index,
              epoch,
            });
          }
          skipped++;
          this.skippedSamples.push({
            epoch,
            index: outcome.index,
            path: outcome.path,
            reason: outcome.reason,
            message: outcome.problem,
          });
        }
        this.processed += good.length;
        samples += good.length;
        onProgress?.({ epoch, batch: b + 1, batches: batches.length, samples, total: order.length, skipped });
        // A batch whose every sample was skipped is not yielded: an empty tensor helps no consumer.
        if (good.length > 0) yield this.assemble(good);
      }
    } finally {
      this.pool?.cancelQueued('cancelled: the epoch ended early');
      await Promise.allSettled(pending);
    }
  }

  /** Decoder in use and every file skipped so far. */
  report(): DataLoaderReport {
    return {
      decoder: this.decoderName,
      decoderUse: { ...this.decoderUse },
      processed: this.processed,
      skipped: [...this.skippedSamples],
    };
  }

  /** Stops the worker threads. The loader cannot be used afterwards. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => {});
    await this.pool?.close();
    this.pool = null;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      if (this.options.workers === 0) {
        this.inline = await createSampleProcessor(this.pipeline, this.context);
        this.decoderName = this.inline.decoder;
      } else {
        this.pool = await WorkerPool.start(this.options.workers, {
          pipeline: this.pipeline,
          context: this.context,
        });
        this.decoderName = this.pool.decoder;
        if (this.closed) await this.pool.close();
      }
    })();
    return this.starting;
  }

  private runTask(task: SampleTask): Promise<SampleOutcome> {
    if (this.pool) return this.pool.run(task);
    return this.inline!.process(task);
  }

  private task(index: number, epoch: number): SampleTask {
    const seed = deriveSampleSeed(this.options.seed, epoch, index);
    if (this.pipeline.kind === 'classification') {
      const sample = (this.dataset as ClassificationDataset).samples[index]!;
      return { index, path: sample.path, seed, label: sample.label };
    }
    const sample = (this.dataset as CocoDataset).samples[index]!;
    return {
      index,
      path: sample.path,
      seed,
      record: { image: sample.image, annotations: sample.annotations },
    };
  }

  private assemble(outcomes: Extract<SampleOutcome, { ok: true }>[]): BatchOf<P> {
    const paths = outcomes.map((o) => this.pathOf(o.index));
    const indices = outcomes.map((o) => o.index);
    if (this.pipeline.kind === 'classification') {
      const [h, w, c] = this.pipeline.outputShape;
      const inputs = new Float32Array(outcomes.length * h * w * c);
      outcomes.forEach((o, i) => {
        inputs.set(o.data, i * h * w * c);
      });
      const labels = Int32Array.from(outcomes, (o) => o.label);
      const batch: ClassificationBatch = {
        inputs,
        shape: [outcomes.length, h, w, c],
        labels,
        paths,
        indices,
      };
      return batch as BatchOf<P>;
    }
    const { sizeDivisible, stride, channels } = this.pipeline;
    const maxHeight = Math.max(0, ...outcomes.map((o) => o.target!.height));
    const maxWidth = Math.max(0, ...outcomes.map((o) => o.target!.width));
    const height = padToMultiple(maxHeight, sizeDivisible) / stride;
    const width = padToMultiple(maxWidth, sizeDivisible) / stride;
    const inputs = new Float32Array(outcomes.length * height * width * channels);
    outcomes.forEach((o, i) => {
      const [h, w, c] = o.shape;
      for (let y = 0; y < h; y++) {
        inputs.set(o.data.subarray(y * w * c, (y + 1) * w * c), (i * height + y) * width * channels);
      }
    });
    const batch: DetectionBatch = {
      inputs,
      shape: [outcomes.length, height, width, channels],
      targets: outcomes.map((o) => o.target!),
      paths,
      indices,
    };
    return batch as BatchOf<P>;
  }

  private pathOf(index: number): string {
    return this.dataset.samples[index]!.path;
  }
}
