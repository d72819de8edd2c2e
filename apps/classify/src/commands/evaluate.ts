import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClassifyConfig } from '../config/schema.js';
import { syntheticDataRoot } from '../data/synthetic-data-root.js';
import { openEvaluationData } from '../data/training-data.js';
import { confusionMatrixCsv, perClassCsv } from '../evaluation/classification-metrics.js';
import { type EvaluationResult, evaluateModel } from '../evaluation/evaluate-model.js';
import { loadTrainedModel } from '../model/load-trained-model.js';
import { renderConfusionMatrix } from '../plots/confusion-matrix-image.js';
import { selectBackend } from '../runtime/backend.js';

export interface EvaluateCommandOptions {
  weights: string;
  /** Split to evaluate (default: the config's valSplit). */
  split?: string | null;
  /** Folder for metrics.json, per-class.csv, confusion.csv, confusion.png (default: next to the weights). */
  out?: string | null;
  useEma?: boolean;
  maxSamples?: number | null;
  log?: (line: string) => void;
}

export interface EvaluateSummary {
  weights: string;
  split: string;
  dataRoot: string;
  classes: string[];
  metrics: Omit<EvaluationResult, 'gateStatistics'>;
  files: { metrics: string; perClass: string; confusionCsv: string; confusionPng: string };
}

/**
 * Evaluates trained weights on a labelled split: top-1/top-5, per-class accuracy, the confusion matrix
 * (CSV and PNG), images/s and the input size per image.
 */
export async function evaluateCommand(
  config: ClassifyConfig,
  options: EvaluateCommandOptions,
): Promise<EvaluateSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  await selectBackend(config.backend, { training: false, threads: config.threads, log });
  const loaded = loadTrainedModel(options.weights, { config, useEma: options.useEma });
  try {
    // data location and split come from the command line when given, else from the training config
    const dataConfig = config.data.root !== null ? config : loaded.config;
    const root = dataConfig.data.root ?? syntheticDataRoot(loaded.config, log);
    const split = options.split ?? dataConfig.data.valSplit;
    const data = await openEvaluationData(loaded.config, root, split, loaded.channels);
    if (data.classes.join('\n') !== loaded.classes.join('\n') && loaded.metadata !== null) {
      log(`warning: the data's classes [${data.classes}] differ from the checkpoint's [${loaded.classes}]`);
    }
    let result: EvaluationResult;
    try {
      result = await evaluateModel(loaded.model, data.batches(), {
        numClasses: loaded.classes.length,
        maxSamples: options.maxSamples ?? null,
      });
    } finally {
      await data.close();
    }
    const out = resolve(options.out ?? join(resolve(options.weights, '..'), '..', `evaluation-${split}`));
    mkdirSync(out, { recursive: true });
    const { gateStatistics, ...metrics } = result;
    const files = {
      metrics: join(out, 'metrics.json'),
      perClass: join(out, 'per-class.csv'),
      confusionCsv: join(out, 'confusion.csv'),
      confusionPng: join(out, 'confusion.png'),
    };
    writeFileSync(
      files.metrics,
      `${JSON.stringify({ weights: options.weights, split, dataRoot: root, classes: loaded.classes, ...metrics, gateStatistics }, null, 2)}\n`,
    );
    writeFileSync(files.perClass, perClassCsv(result, loaded.classes));
    writeFileSync(files.confusionCsv, confusionMatrixCsv(result.confusion, loaded.classes));
    writeFileSync(files.confusionPng, renderConfusionMatrix(result.confusion, loaded.classes).toPng());
    log(
      `${split}: ${result.count} images, top-1 ${(result.top1 * 100).toFixed(2)}%, top-5 ${(result.top5 * 100).toFixed(2)}%, ` +
        `${result.imagesPerSecond.toFixed(1)} img/s, input ${result.inputShape.join('x')} = ${result.inputBytesPerImage} bytes/image` +
        (result.gateChannels !== null ? `, gate ${result.gateChannels.toFixed(1)} channels/image` : ''),
    );
    log(`wrote ${out}/{metrics.json, per-class.csv, confusion.csv, confusion.png}`);
    return { weights: options.weights, split, dataRoot: root, classes: loaded.classes, metrics, files };
  } finally {
    loaded.model.dispose();
  }
}
