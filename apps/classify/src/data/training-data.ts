import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ClassificationDataset,
  type ClassificationPipelineOptions,
  createClassificationPipeline,
  DataLoader,
  openImageFolder,
} from '@fdl/datasets';
import { type NormalizationStats, statsFromJson } from '@fdl/dct-core';
import type { ClassifyConfig } from '../config/schema.js';
import { inputError } from '../errors.js';
import type { ClassificationBatch, TrainingData } from './batches.js';

/**
 * DCT normalization the config asks for: `imagenet` (the pipeline's default, the official ImageNet
 * vectors), `none` (raw coefficients) or a stats JSON written by `fdl-classify stats`. RGB input always
 * uses torchvision's ImageNet mean/std.
 */
export function resolveNormalization(config: ClassifyConfig): NormalizationStats | null | undefined {
  const value = config.input.normalization;
  if (value === 'imagenet') return undefined;
  if (value === 'none') return null;
  if (!existsSync(value)) {
    throw inputError(
      `input.normalization: '${value}' is neither 'imagenet', 'none' nor an existing stats file`,
      {
        path: value,
      },
    );
  }
  return statsFromJson(readFileSync(value, 'utf8'));
}

/** Pipeline options (sizes, channels, normalization) of a config, for training or evaluation. */
export function pipelineOptions(
  config: ClassifyConfig,
  channels: readonly number[] | null,
  train: boolean,
): ClassificationPipelineOptions {
  const dct = config.input.mode === 'dct';
  const options: ClassificationPipelineOptions = {
    mode: config.input.mode,
    train,
    size: dct ? config.input.dctCrop : config.input.crop,
    resize: dct ? config.input.dctResize : config.input.resize,
  };
  if (dct) {
    options.selection = [...channels!];
    const normalization = resolveNormalization(config);
    if (normalization !== undefined) options.normalization = normalization;
  }
  return options;
}

function requireFolder(root: string, split: string): void {
  if (!existsSync(root)) throw inputError(`data folder '${root}' does not exist (--data)`, { path: root });
  const folder = join(root, split);
  if (!existsSync(folder)) {
    throw inputError(`data folder '${root}' has no '${split}' split (expected ${folder}/<class>/<images>)`, {
      path: folder,
    });
  }
}

function openSplit(root: string, split: string): ClassificationDataset {
  requireFolder(root, split);
  return openImageFolder(root, { split, onError: 'skip' });
}

/** Training and validation loaders over `<root>/<trainSplit>` and `<root>/<valSplit>`. */
export async function openTrainingData(
  config: ClassifyConfig,
  root: string,
  channels: readonly number[] | null,
): Promise<TrainingData> {
  const trainSet = openSplit(root, config.data.trainSplit);
  const valSet = openSplit(root, config.data.valSplit);
  if (trainSet.classes.join('\n') !== valSet.classes.join('\n')) {
    throw inputError(
      `data folder '${root}': classes of '${config.data.trainSplit}' [${trainSet.classes}] and '${config.data.valSplit}' [${valSet.classes}] differ`,
      { path: root },
    );
  }
  const common = {
    batchSize: config.train.batchSize,
    workers: config.data.workers,
    onError: 'skip' as const,
  };
  const trainLoader = new DataLoader(
    trainSet,
    createClassificationPipeline(pipelineOptions(config, channels, true)),
    {
      ...common,
      shuffle: true,
      seed: config.seed,
    },
  );
  const evalLoader = new DataLoader(
    valSet,
    createClassificationPipeline(pipelineOptions(config, channels, false)),
    {
      ...common,
      shuffle: false,
    },
  );
  return {
    classes: trainSet.classes,
    trainSize: trainLoader.size,
    evalSize: evalLoader.size,
    trainBatches: (epoch) => trainLoader.epoch(epoch),
    evalBatches: () => evalLoader.epoch(0),
    skipped: () =>
      dedupeSkipped(
        [...trainLoader.report().skipped, ...evalLoader.report().skipped].map((s) => ({
          path: s.path,
          reason: s.message,
        })),
      ),
    close: async () => {
      await trainLoader.close();
      await evalLoader.close();
    },
  };
}

export interface EvaluationData {
  classes: string[];
  size: number;
  batches(): AsyncIterable<ClassificationBatch>;
  skipped(): { path: string; reason: string }[];
  close(): Promise<void>;
}

/** A loader over one split, in file order, with the evaluation transform. */
export async function openEvaluationData(
  config: ClassifyConfig,
  root: string,
  split: string,
  channels: readonly number[] | null,
): Promise<EvaluationData> {
  const dataset = openSplit(root, split);
  const loader = new DataLoader(
    dataset,
    createClassificationPipeline(pipelineOptions(config, channels, false)),
    {
      batchSize: config.train.batchSize,
      workers: config.data.workers,
      onError: 'skip',
    },
  );
  return {
    classes: dataset.classes,
    size: loader.size,
    batches: () => loader.epoch(0),
    skipped: () => dedupeSkipped(loader.report().skipped.map((s) => ({ path: s.path, reason: s.message }))),
    close: () => loader.close(),
  };
}

/** Model inputs for individual image files, with the evaluation transform (errors name the file). */
export async function prepareImageBatch(
  config: ClassifyConfig,
  channels: readonly number[] | null,
  paths: readonly string[],
): Promise<ClassificationBatch> {
  const dataset: ClassificationDataset = {
    classes: ['unlabelled'],
    samples: paths.map((path) => ({ path, label: 0 })),
    skipped: [],
  };
  const loader = new DataLoader(
    dataset,
    createClassificationPipeline(pipelineOptions(config, channels, false)),
    {
      batchSize: Math.max(1, paths.length),
      onError: 'error',
    },
  );
  try {
    for await (const batch of loader.epoch(0)) return batch;
    throw inputError('predict: no image to read', { paths });
  } finally {
    await loader.close();
  }
}

function dedupeSkipped(entries: { path: string; reason: string }[]): { path: string; reason: string }[] {
  const seen = new Map<string, { path: string; reason: string }>();
  for (const entry of entries) if (!seen.has(entry.path)) seen.set(entry.path, entry);
  return [...seen.values()];
}
