import {
  ArgumentError,
  createStatisticsAccumulator,
  finalizeStatistics,
  type NormalizationMode,
  type NormalizationStats,
  type StatisticsState,
} from '@fdl/dct-core';
import type { ClassificationDataset, ErrorPolicy } from './folder/image-folder.js';
import { DataLoader, type DataLoaderProgress, type DataLoaderReport } from './loader/data-loader.js';
import {
  type ClassificationPipelineOptions,
  createClassificationPipeline,
} from './pipeline/classification-pipeline.js';
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
  let subset = dataset;
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit <= 0) {
      throw new ArgumentError(
        'computeDatasetStatistics',
        'options.limit',
        `must be a positive integer, got ${options.limit}`,
      );
    }
    const chosen = new Random(deriveEpochSeed(seed, -1))
      .shuffle(dataset.samples.map((_, i) => i))
      .slice(0, options.limit)
      .sort((a, b) => a - b);
    subset = { ...dataset, samples: chosen.map((i) => dataset.samples[i]!) };
  }
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
