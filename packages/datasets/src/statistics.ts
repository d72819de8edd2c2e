import {
  ArgumentError,
  createStatisticsAccumulator,
  finalizeStatistics,
  type NormalizationMode,
  type NormalizationStats,
  type StatisticsState,
} from '@fdl/dct-core';
import type { CocoDataset } from './coco/coco-dataset.js';
import type { ClassificationDataset, ErrorPolicy } from './folder/image-folder.js';
import { DataLoader, type DataLoaderProgress, type DataLoaderReport } from './loader/data-loader.js';
import {
  type ClassificationPipelineOptions,
  createClassificationPipeline,
} from './pipeline/classification-pipeline.js';
import { createDetectionPipeline, type DetectionPipelineOptions } from './pipeline/detection-pipeline.js';
import { deriveEpochSeed, Random } from './random.js';

/** Options of `computeDatasetStatistics`. */
export interface DatasetStatisticsOptions {
  /** `per-image-means` (the official DCTNet statistic) or `pooled` (Welford over every coefficient). */
  mode: NormalizationMode;
  /**
   * The sample transform measured. Default: the evaluation transform of the paper's ResNet-50 DCT
   * input (resize 512, centre crop 448, upscaled chroma), all 192 channels, no normalization.
   * `normalization` is always forced to null.
   */
  pipeline?: Partial<Omit<ClassificationPipelineOptions, 'mode' | 'normalization'>>;
  /** Use at most this many images, a seeded random subset. Default: all. */
  limit?: number;
  seed?: number;
  workers?: number;
  batchSize?: number;
  onError?: ErrorPolicy;
  /** Shard of the dataset this call measures; merge the shards' `state`s with `mergeStatistics`. */
  rank?: number;
  worldSize?: number;
  onProgress?: (progress: DataLoaderProgress) => void;
}

/** Statistics of a dataset plus the mergeable state behind them. */
export interface DatasetStatistics {
  stats: NormalizationStats;
  /** Combine with other shards' states via @fdl/dct-core `mergeStatistics`, then `finalizeStatistics`. */
  state: StatisticsState;
  report: DataLoaderReport;
}

/**
 * Per-channel DCT normalization vectors over a dataset, in either of dct-core's modes, computed with
 * worker threads (each image's cube is transformed in a worker and accumulated here). Sharding by
 * (rank, worldSize) splits the work across processes; their states merge exactly (Chan et al.).
 */
export async function computeDatasetStatistics(
  dataset: ClassificationDataset,
  options: DatasetStatisticsOptions,
): Promise<DatasetStatistics> {
  const mode = options?.mode;
  if (mode !== 'pooled' && mode !== 'per-image-means') {
    throw new ArgumentError(
      'computeDatasetStatistics',
      'options.mode',
      `must be 'pooled' or 'per-image-means', got ${String(mode)}`,
    );
  }
  const seed = options.seed ?? 0;
  const subset = seededSubset(dataset, options.limit, seed);
  const pipeline = createClassificationPipeline({
    train: false,
    selection: 'DCT-192',
    ...options.pipeline,
    mode: 'dct',
    normalization: null,
  });
  const accumulator = createStatisticsAccumulator({ mode, channelIndices: pipeline.channelIndices });
  const [height, width, channels] = pipeline.outputShape;
  const channelIndices = Int32Array.from(pipeline.channelIndices);
  const loader = new DataLoader(subset, pipeline, {
    batchSize: options.batchSize ?? 8,
    workers: options.workers ?? 0,
    seed,
    onError: options.onError ?? 'error',
    rank: options.rank ?? 0,
    worldSize: options.worldSize ?? 1,
    onProgress: options.onProgress,
  });
  try {
    for await (const batch of loader.epoch(0)) {
      const cell = height * width * channels;
      for (let i = 0; i < batch.shape[0]; i++) {
        accumulator.add({
          data: batch.inputs.subarray(i * cell, (i + 1) * cell),
          height,
          width,
          channels,
          channelIndices,
        });
      }
    }
  } finally {
    await loader.close();
  }
  const state = accumulator.state();
  return {
    state,
    stats: finalizeStatistics(state, {
      source: `computeDatasetStatistics(${mode}, ${state.count} ${mode === 'pooled' ? 'coefficients' : 'images'})`,
    }),
    report: loader.report(),
  };
}

/** Options of `computeDetectionStatistics`. */
export interface DetectionStatisticsOptions extends Omit<DatasetStatisticsOptions, 'pipeline'> {
  /**
   * The detection transform measured. Default: evaluation (no flip), keep-ratio 800 / 1333, the paper's
   * `detection` geometry (H/4), all 192 channels, no normalization (always forced to null).
   */
  pipeline?: Partial<Omit<DetectionPipelineOptions, 'mode' | 'normalization'>>;
}

/**
 * `computeDatasetStatistics` for COCO datasets and the Mask R-CNN (`detection`) geometry: every image's
 * cube is measured at its own size (batch padding is excluded), so the result is comparable with
 * `COCO_DCT_STATS`.
 */
export async function computeDetectionStatistics(
  dataset: CocoDataset,
  options: DetectionStatisticsOptions,
): Promise<DatasetStatistics> {
  const mode = options?.mode;
  if (mode !== 'pooled' && mode !== 'per-image-means') {
    throw new ArgumentError(
      'computeDetectionStatistics',
      'options.mode',
      `must be 'pooled' or 'per-image-means', got ${String(mode)}`,
    );
  }
  const seed = options.seed ?? 0;
  const subset = seededSubset(dataset, options.limit, seed);
  const pipeline = createDetectionPipeline({
    train: false,
    selection: 'DCT-192',
    masks: false,
    ...options.pipeline,
    mode: 'dct',
    normalization: null,
  });
  const accumulator = createStatisticsAccumulator({ mode, channelIndices: pipeline.channelIndices });
  const channelIndices = Int32Array.from(pipeline.channelIndices);
  const channels = channelIndices.length;
  const loader = new DataLoader(subset, pipeline, {
    batchSize: options.batchSize ?? 2,
    workers: options.workers ?? 0,
    seed,
    onError: options.onError ?? 'error',
    rank: options.rank ?? 0,
    worldSize: options.worldSize ?? 1,
    onProgress: options.onProgress,
  });
  try {
    for await (const batch of loader.epoch(0)) {
      const [, batchHeight, batchWidth] = batch.shape;
      batch.targets.forEach((target, i) => {
        // The image's own cells: the DCT grid of its resized size, without the batch padding.
        const height = Math.ceil(target.height / pipeline.stride);
        const width = Math.ceil(target.width / pipeline.stride);
        const data = new Float32Array(height * width * channels);
        for (let y = 0; y < height; y++) {
          const from = (i * batchHeight + y) * batchWidth * channels;
          data.set(batch.inputs.subarray(from, from + width * channels), y * width * channels);
        }
        accumulator.add({ data, height, width, channels, channelIndices });
      });
    }
  } finally {
    await loader.close();
  }
  const state = accumulator.state();
  return {
    state,
    stats: finalizeStatistics(state, {
      source: `computeDetectionStatistics(${mode}, ${state.count} ${mode === 'pooled' ? 'coefficients' : 'images'})`,
    }),
    report: loader.report(),
  };
}

/** At most `limit` samples chosen by a seeded shuffle, kept in dataset order; all without a limit. */
function seededSubset<T extends { samples: unknown[] }>(
  dataset: T,
  limit: number | undefined,
  seed: number,
): T {
  if (limit === undefined) return dataset;
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new ArgumentError(
      'computeDatasetStatistics',
      'options.limit',
      `must be a positive integer, got ${limit}`,
    );
  }
  const chosen = new Random(deriveEpochSeed(seed, -1))
    .shuffle(dataset.samples.map((_, i) => i))
    .slice(0, limit)
    .sort((a, b) => a - b);
  return { ...dataset, samples: chosen.map((i) => dataset.samples[i]) };
}
