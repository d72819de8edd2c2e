/**
 * Mask R-CNN (@fdl/fd-models/detection): benchmark and PennFudan training run.
 *
 *   bench (default): forward (eval, detections) and training-step (losses + gradients + SGD update) time
 *     per image for the RGB ResNet-50-FPN model at 800x1333 and the DCT-24 model at its H/4 input
 *     (200x334 inside a 200x336 padded cube), on wasm (with @fdl/tfjs-wasm-train's kernels) and the DCT
 *     forward on cpu. Baseline: the RGB model on wasm. Random weights, 91 classes, torchvision defaults.
 *     Medians over repetitions after one warm-up. Writes results/detection.json.
 *   train: a reduced configuration trained on /work/shared/data/pennfudan (train split) on wasm, logging
 *     the five losses, tensors and RSS, then COCO box and mask AP (@fdl/datasets evaluateCoco) on the
 *     training images it saw and on the first --eval-images of the val split; writes
 *     results/detection-train.json.
 *
 * Run: cd tools/bench && node --conditions=@fdl/source --import tsx src/detection.ts [bench|train]
 *   --reps <n>   timed repetitions (bench, default 3)
 *   --steps <n>  training steps (train, default 300)
 *   --images <n> training images used (train, default 30)
 *   --eval-images <n> val images evaluated after training (train, default 30)
 *   --threads <n> wasm threads (setThreadedWasmBackend; default 1)
 *   --input rgb|dct  train: RGB pixels (default) or the DCT-24 cube of the paper's detection geometry
 *   --scale <s>  image scale (default 1 = 800x1333); training steps at full size exceed wasm32's 4 GiB heap
 *   --only <model> / --backend <name> / --no-train   run a subset (a wasm abort, e.g. the 4 GiB heap
 *                limit, ends the process, so big configurations are best run one per process); rows
 *                are merged into results/detection.json
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CocoDataset,
  type CocoDetection,
  type CocoSample,
  createDetectionPipeline,
  decodeMask,
  encodeRle,
  evaluateCoco,
  formatCocoSummary,
  JpegJsDecoder,
  loadCocoDataset,
  transformDetectionSample,
} from '@fdl/datasets';
import type { DetectionTarget } from '@fdl/fd-models/detection';
import { createMaskRcnn, MaskRcnn, resizeTarget, transformImages } from '@fdl/fd-models/detection';
import { sharedDataPath } from '@fdl/test-utils';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerAllGradients } from '@fdl/tfjs-wasm-train';
import * as tf from '@tensorflow/tfjs-core';

// tfjs-core registers no gradients under plain Node: register them before any training step.
await registerAllGradients();

const { values, positionals } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    steps: { type: 'string', default: '300' },
    images: { type: 'string', default: '30' },
    'eval-images': { type: 'string', default: '30' },
    threads: { type: 'string', default: '1' },
    input: { type: 'string', default: 'rgb' },
    only: { type: 'string' },
    backend: { type: 'string' },
    'no-train': { type: 'boolean', default: false },
    scale: { type: 'string', default: '1' },
  },
  allowPositionals: true,
});
const mode = positionals[0] ?? 'bench';
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '../results');
mkdirSync(resultsDir, { recursive: true });

async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm') {
    const { registerWasmTrainingKernels, setThreadedWasmBackend } = await import('@fdl/tfjs-wasm-train');
    registerWasmTrainingKernels();
    await setThreadedWasmBackend({ threads: Number(values.threads) });
  } else {
    await tf.setBackend(name);
  }
  await tf.ready();
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** A synthetic target: two boxes with rectangular masks, in input coordinates. */
function syntheticTarget(height: number, width: number): DetectionTarget {
  const boxes = new Float32Array([
    0.1 * width,
    0.2 * height,
    0.4 * width,
    0.8 * height,
    0.5 * width,
    0.1 * height,
    0.9 * width,
    0.6 * height,
  ]);
  const masks = new Uint8Array(2 * height * width);
  for (let g = 0; g < 2; g++) {
    const [x1, y1, x2, y2] = boxes.subarray(4 * g, 4 * g + 4).map(Math.round);
    for (let y = y1; y < y2; y++) masks.fill(1, (g * height + y) * width + x1, (g * height + y) * width + x2);
  }
  return { boxes, labels: Int32Array.from([1, 2]), masks, maskSize: [height, width] };
}

interface BenchRow {
  model: string;
  backend: string;
  phase: 'forward' | 'train-step';
  input: string;
  medianMs: number;
  samplesMs: number[];
  detail: string;
}

async function bench(): Promise<void> {
  const reps = Number(values.reps);
  const rows: BenchRow[] = [];
  const failures: { model: string; backend: string; phase: string; error: string }[] = [];
  const scale = Number(values.scale);
  const imageSize: [number, number] = [Math.floor(800 * scale), Math.floor(1333 * scale)];
  const padded = [Math.ceil(imageSize[0] / 32) * 32, Math.ceil(imageSize[1] / 32) * 32];
  const suffix = scale === 1 ? '' : `@${scale}`;
  const configs = [
    {
      model: `rgb-resnet50-fpn${suffix}`,
      backbone: 'resnet50' as const,
      shape: [1, padded[0], padded[1], 3] as [number, number, number, number],
      backends: ['wasm'],
    },
    {
      model: `dct24-resnet50-fpn${suffix}`,
      backbone: 'resnet50-dct' as const,
      shape: [1, padded[0] / 4, padded[1] / 4, 24] as [number, number, number, number],
      backends: ['wasm', 'cpu'],
    },
  ];
  for (const config of configs.filter((c) => !values.only || c.model === values.only)) {
    for (const backend of (config.backends as ('wasm' | 'cpu')[]).filter(
      (b) => !values.backend || b === values.backend,
    )) {
      await useBackend(backend);
      const model = createMaskRcnn({ backbone: config.backbone, channels: 24 });
      const input = tf.randomNormal(config.shape, 0, 1, 'float32', 1) as tf.Tensor4D;
      const input1 = `[${config.shape}]`;
      // forward
      const times: number[] = [];
      let detections = 0;
      const forwardReps = backend === 'cpu' ? 1 : reps;
      for (let r = 0; r <= forwardReps; r++) {
        const start = performance.now();
        const result = model.detect(input, [imageSize]);
        if (r > 0) times.push(performance.now() - start);
        detections = result[0].labels.length;
      }
      rows.push({
        model: config.model,
        backend,
        phase: 'forward',
        input: input1,
        medianMs: median(times),
        samplesMs: times,
        detail: `${detections} detections`,
      });
      console.log(rows.at(-1));
      if (backend === 'wasm' && !values['no-train']) {
        try {
          const target = syntheticTarget(imageSize[0], imageSize[1]);
          const optimizer = tf.train.momentum(0.001, 0.9);
          const variables = [...model.trainableVariables().values()];
          const stepTimes: number[] = [];
          let tensorsAfterFirst = 0;
          for (let r = 0; r <= reps; r++) {
            const start = performance.now();
            const { value, grads } = tf.variableGrads(
              () => MaskRcnn.totalLoss(model.losses(input, [imageSize], [target], { sampling: r })),
              variables,
            );
            optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
            model.applyBatchNormUpdates();
            value.dataSync();
            tf.dispose([value, ...Object.values(grads)]);
            if (r > 0) stepTimes.push(performance.now() - start);
            if (r === 0) tensorsAfterFirst = tf.memory().numTensors;
          }
          rows.push({
            model: config.model,
            backend,
            phase: 'train-step',
            input: input1,
            medianMs: median(stepTimes),
            samplesMs: stepTimes,
            detail: `tensors after first step ${tensorsAfterFirst}, after last ${tf.memory().numTensors}`,
          });
          console.log(rows.at(-1));
          optimizer.dispose();
        } catch (error) {
          // e.g. the 4 GiB wasm32 heap: record it instead of losing the other rows
          console.log(`${config.model} train-step failed: ${(error as Error).message}`);
          failures.push({
            model: config.model,
            backend,
            phase: 'train-step',
            error: (error as Error).message,
          });
        }
      }
      input.dispose();
      model.dispose();
    }
  }
  const resultsFile = join(resultsDir, 'detection.json');
  if (existsSync(resultsFile)) {
    const previous = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows: BenchRow[] };
    const key = (r: BenchRow) => `${r.model}/${r.backend}/${r.phase}`;
    const fresh = new Set(rows.map(key));
    rows.unshift(...previous.rows.filter((r) => !fresh.has(key(r))));
  }
  // baseline: the RGB model on wasm, same phase and scale
  const scaleOf = (model: string) => model.split('@')[1] ?? '1';
  const baseline = (row: BenchRow) =>
    rows.find(
      (r) =>
        r.model.startsWith('rgb-resnet50-fpn') &&
        r.backend === 'wasm' &&
        r.phase === row.phase &&
        scaleOf(r.model) === scaleOf(row.model),
    );
  console.log('\nmodel                 backend  phase       input              median ms   vs rgb wasm');
  for (const r of rows) {
    const base = baseline(r);
    const ratio = base ? `${(r.medianMs / base.medianMs).toFixed(2)}x` : 'n/a';
    console.log(
      `${r.model.padEnd(22)}${r.backend.padEnd(9)}${r.phase.padEnd(12)}${r.input.padEnd(19)}${r.medianMs.toFixed(0).padStart(9)}   ${ratio}  (${r.detail})`,
    );
  }
  console.log('(medians; the machine is shared, timings are noisy)');
  writeFileSync(
    join(resultsDir, 'detection.json'),
    JSON.stringify({ rows, date: new Date().toISOString() }, null, 2),
  );
}

/** The small training geometry of `train` (and its evaluation). */
const SMALL_TRANSFORM = {
  minSize: 160,
  maxSize: 256,
  imageMean: [0.485, 0.456, 0.406] as const,
  imageStd: [0.229, 0.224, 0.225] as const,
  sizeDivisible: 32,
};

/** `--input dct`: the paper's detection geometry at `SMALL_TRANSFORM`'s size, no flip, crowds left out. */
const DCT_PIPELINE = createDetectionPipeline({
  mode: 'dct',
  train: false,
  minSize: SMALL_TRANSFORM.minSize,
  maxSize: SMALL_TRANSFORM.maxSize,
  includeCrowd: false,
});

/** A COCO sample ready for the model: input batch of one, its size inside the batch, target. */
interface PreparedSample {
  image: tf.Tensor4D;
  size: [number, number];
  original: [number, number];
  target: DetectionTarget;
}

/**
 * `rgb`: normalized pixels resized by `SMALL_TRANSFORM` (fd-models' transformImages); `dct`: the DCT-24
 * cube of the paper's detection geometry (H/4 grid, COCO statistics) at the same size, from
 * @fdl/datasets' detection pipeline, zero-padded like a batch to a multiple of 32 pixels.
 */
async function prepareSample(sample: CocoSample, dataset: CocoDataset): Promise<PreparedSample> {
  const rgb = await new JpegJsDecoder().decode(new Uint8Array(readFileSync(sample.path)));
  const { height, width } = rgb;
  if (values.input === 'dct') {
    const record = { ...sample, categoryIdToLabel: dataset.categoryIdToLabel };
    const { data, shape, target } = transformDetectionSample(DCT_PIPELINE, rgb, record, 0);
    const [rows, columns, channels] = shape;
    const cell = SMALL_TRANSFORM.sizeDivisible / 4;
    const paddedRows = Math.ceil(rows / cell) * cell;
    const paddedColumns = Math.ceil(columns / cell) * cell;
    const padded = new Float32Array(paddedRows * paddedColumns * channels);
    for (let r = 0; r < rows; r++)
      padded.set(
        data.subarray(r * columns * channels, (r + 1) * columns * channels),
        r * paddedColumns * channels,
      );
    const size: [number, number] = [target.height, target.width];
    return {
      image: tf.tensor4d(padded, [1, paddedRows, paddedColumns, channels]),
      size,
      original: [height, width],
      target: { boxes: target.boxes, labels: target.labels, masks: target.masks!, maskSize: size },
    };
  }
  const pixels = tf.tidy(
    () => tf.div(tf.tensor3d(rgb.data, [height, width, 3], 'float32'), 255) as tf.Tensor3D,
  );
  const batch = transformImages([pixels], SMALL_TRANSFORM);
  pixels.dispose();
  const size = batch.imageSizes[0];
  const masks = new Uint8Array(sample.annotations.length * height * width);
  sample.annotations.forEach((a, i) => {
    masks.set(decodeMask(a.segmentation!, height, width), i * height * width);
  });
  const boxes = Float32Array.from(
    sample.annotations.flatMap((a) => [a.bbox[0], a.bbox[1], a.bbox[0] + a.bbox[2], a.bbox[1] + a.bbox[3]]),
  );
  const labels = Int32Array.from(
    sample.annotations.map((a) => dataset.categoryIdToLabel.get(a.category_id)!),
  );
  const target = resizeTarget({ boxes, labels, masks, maskSize: [height, width] }, [height, width], size);
  return { image: batch.images, size, original: [height, width], target };
}

/**
 * COCO box and mask AP of the model on the first `count` images of a dataset: detections at the
 * original image size (boxes rescaled, masks pasted), masks RLE-encoded, scored by evaluateCoco.
 */
async function evaluateOn(
  model: MaskRcnn,
  dataset: CocoDataset,
  count: number,
): Promise<{ images: number; detections: number; bbox: number[]; segm: number[] }> {
  const detections: CocoDetection[] = [];
  const samples = dataset.samples.slice(0, count);
  for (const sample of samples) {
    const { image, size, original } = await prepareSample(sample, dataset);
    const [found] = model.detect(image, [size], { originalSizes: [original] });
    image.dispose();
    const [height, width] = original;
    for (let d = 0; d < found!.scores.length; d++) {
      const [x1, y1, x2, y2] = found!.boxes.subarray(d * 4, d * 4 + 4);
      detections.push({
        image_id: sample.image.id,
        category_id: dataset.labelToCategoryId[found!.labels[d]!]!,
        score: found!.scores[d]!,
        bbox: [x1!, y1!, x2! - x1!, y2! - y1!],
        segmentation: encodeRle(
          found!.masks.subarray(d * height * width, (d + 1) * height * width),
          height,
          width,
        ),
      });
    }
  }
  const imageIds = samples.map((sample) => sample.image.id);
  const result: { images: number; detections: number; bbox: number[]; segm: number[] } = {
    images: samples.length,
    detections: detections.length,
    bbox: [],
    segm: [],
  };
  for (const iouType of ['bbox', 'segm'] as const) {
    const evaluation = evaluateCoco(dataset, detections, { iouType, imageIds });
    console.log(`${iouType}, ${samples.length} images, ${detections.length} detections:`);
    console.log(formatCocoSummary(evaluation));
    result[iouType] = Array.from(evaluation.stats);
  }
  return result;
}

async function train(): Promise<void> {
  if (values.input !== 'rgb' && values.input !== 'dct')
    throw new Error(`--input must be rgb or dct, got ${values.input}`);
  const root = sharedDataPath('pennfudan');
  if (!root || !existsSync(root)) throw new Error('PennFudan not found (set FDL_SHARED_DATA)');
  await useBackend('wasm');
  const dataset = loadCocoDataset(join(root, 'annotations/instances_train.json'), join(root, 'images'));
  const count = Number(values.images);
  const samples: PreparedSample[] = [];
  for (const sample of dataset.samples.slice(0, count)) samples.push(await prepareSample(sample, dataset));
  const model = createMaskRcnn({
    ...(values.input === 'dct' ? { backbone: 'resnet50-dct' as const, channels: 24 } : {}),
    numClasses: 2,
    baseWidth: 16,
    fpnChannels: 64,
    frozenStages: 0,
    // from random weights, batch-statistics BN keeps activations in range (frozen BN would be identity)
    frozenBatchNorm: false,
    rpn: { preNmsTopN: { training: 600, testing: 300 }, postNmsTopN: { training: 300, testing: 100 } },
    roiHeads: {
      representationSize: 256,
      maskLayers: [64, 64],
      maskPredictorChannels: 64,
      sampler: { batchSizePerImage: 128, positiveFraction: 0.25 },
    },
    seed: 1,
  });
  const optimizer = tf.train.adam(2e-4);
  const variables = [...model.trainableVariables().values()];
  const steps = Number(values.steps);
  const log: Record<string, number>[] = [];
  const started = performance.now();
  for (let step = 0; step < steps; step++) {
    const sample = samples[step % samples.length];
    const { value, grads } = tf.variableGrads(() => {
      const losses = model.losses(sample.image, [sample.size], [sample.target], { sampling: step });
      const total = MaskRcnn.totalLoss(losses);
      const parts = Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, v.dataSync()[0]]));
      log.push({ step, ...parts });
      return total;
    }, variables);
    optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
    model.applyBatchNormUpdates();
    const total = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    const entry = log[log.length - 1];
    entry.total = total;
    entry.tensors = tf.memory().numTensors;
    entry.rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    entry.seconds = (performance.now() - started) / 1000;
    if (step % 10 === 0 || step === steps - 1) {
      console.log(
        `step ${step} total ${total.toFixed(4)} ` +
          ['loss_objectness', 'loss_rpn_box_reg', 'loss_classifier', 'loss_box_reg', 'loss_mask']
            .map((k) => `${k} ${entry[k].toFixed(4)}`)
            .join(' ') +
          ` tensors ${entry.tensors} rss ${entry.rssMiB} MiB ${entry.seconds.toFixed(0)} s`,
      );
    }
  }
  const window = (from: number, to: number) => {
    const slice = log.slice(from, to).map((e) => e.total);
    return slice.reduce((a, b) => a + b, 0) / slice.length;
  };
  const summary = {
    input: values.input,
    images: samples.length,
    steps,
    firstWindowMeanTotal: window(0, Math.min(30, steps)),
    lastWindowMeanTotal: window(Math.max(0, steps - 30), steps),
    tensorsAtStep10: log[Math.min(10, steps - 1)].tensors,
    tensorsAtEnd: log[steps - 1].tensors,
    rssAtStep10: log[Math.min(10, steps - 1)].rssMiB,
    rssAtEnd: log[steps - 1].rssMiB,
  };
  const validation = loadCocoDataset(join(root, 'annotations/instances_val.json'), join(root, 'images'));
  const evaluation = {
    trainImages: await evaluateOn(model, dataset, samples.length),
    valImages: await evaluateOn(model, validation, Number(values['eval-images'])),
  };
  console.log(summary);
  writeFileSync(
    join(resultsDir, 'detection-train.json'),
    JSON.stringify({ summary, evaluation, log }, null, 2),
  );
  tf.dispose(samples.map((s) => s.image));
  model.dispose();
}

if (mode === 'train') await train();
else await bench();
