#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FdlError } from '@fdl/dct-core';
import { Command, Option } from 'commander';
import { addConfigOptions, configFromOptions, overridesFromOptions } from './cli/config-flags.js';
import { demoCommand } from './commands/demo.js';
import { evaluateCommand } from './commands/evaluate.js';
import { gateStatsCommand } from './commands/gate-stats.js';
import { predictCommand } from './commands/predict.js';
import { statsCommand } from './commands/stats.js';
import { trainCommand } from './commands/train.js';

const RUN = 'node --conditions=@fdl/source --import tsx apps/classify/src/main.ts';

/** The `fdl-classify` program; exported so tests can run commands in-process. */
export function createProgram(): Command {
  const program = new Command('fdl-classify')
    .description('Train, evaluate and predict with frequency-domain (DCT) and RGB image classifiers')
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Examples:
  fdl-classify demo                                   synthetic data: RGB vs DCT-24 vs gated DCT, comparison table
  fdl-classify demo --data /work/shared/data/hymenoptera --config apps/classify/configs/hymenoptera.yaml
      --variants rgb,dct-24,dct-64 --skip-gate        real photographs: same backbone and schedule
  fdl-classify train --data DIR --mode dct --channels 24 --arch resnet50 --epochs 30 --lr 0.05
  fdl-classify train --config run.yaml --set train.ema.enabled=true
  fdl-classify train --resume runs/dct-resnet50-20260101-120000 --epochs 40
  fdl-classify evaluate --weights runs/NAME/checkpoints/last.fdlckpt --data DIR
  fdl-classify predict --weights runs/NAME/checkpoints/last.fdlckpt photo.jpg photos/ --top-k 3
  fdl-classify gate-stats --weights runs/GATED/checkpoints/last.fdlckpt --keep 24
  fdl-classify stats --data DIR --mode dct --channels all --stats-file stats.json

From the repository root without a build: ${RUN} <command> ...`,
    );

  addConfigOptions(
    program
      .command('train')
      .description('train a classifier (RGB, DCT static selection or DCT with a dynamic gate)')
      .option('--resume <checkpoint|run-folder>', 'continue a run exactly where its last checkpoint stopped'),
  ).action(async (options) => {
    const config = configFromOptions(options);
    const summary = await trainCommand(config, {
      resume: options.resume,
      overrides: overridesFromOptions(options),
    });
    printJson(summary);
    // the shell convention for a run stopped by Ctrl-C
    if (summary.stoppedBy === 'interrupt') process.exitCode = 130;
  });

  addConfigOptions(
    program
      .command('evaluate')
      .description('top-1/top-5, per-class accuracy, confusion matrix (CSV + PNG), images/s, input size')
      .requiredOption(
        '-w, --weights <file>',
        'fdl checkpoint (.fdlckpt) or safetensors with torchvision names',
      )
      .option('--split <name>', 'split to evaluate (default: the val split)')
      .option('--eval-out <folder>', 'where to write the results (default: <run>/evaluation-<split>)')
      .option('--use-ema', 'evaluate the EMA weights of the checkpoint')
      .option('--limit <n>', 'evaluate at most n images', (v) => Number.parseInt(v, 10)),
  ).action(async (options) => {
    const config = configFromOptions(options);
    const summary = await evaluateCommand(config, {
      weights: options.weights,
      split: options.split,
      out: options.evalOut,
      useEma: options.useEma,
      maxSamples: options.limit ?? null,
    });
    printJson(summary);
  });

  addConfigOptions(
    program
      .command('predict')
      .description('top-k classes for images, folders of images or ready model inputs (.npy)')
      .argument('<inputs...>', 'image files, folders, or .npy arrays [H, W, C] / [N, H, W, C] float32')
      .requiredOption(
        '-w, --weights <file>',
        'fdl checkpoint (.fdlckpt) or safetensors with torchvision names',
      )
      .option('-k, --top-k <n>', 'classes per input', (v) => Number.parseInt(v, 10), 5)
      .option('--save-logits <file.npy>', 'also write the raw logits [N, classes] as float32 .npy')
      .option('--classes <names>', 'comma-separated class names for safetensors weights')
      .option('--use-ema', 'use the EMA weights of the checkpoint'),
  ).action(async (inputs: string[], options) => {
    const config = configFromOptions(options);
    const predictions = await predictCommand(config, {
      weights: options.weights,
      inputs,
      topK: options.topK,
      saveLogits: options.saveLogits,
      classes: typeof options.classes === 'string' ? options.classes.split(',') : null,
      useEma: options.useEma,
    });
    printJson(predictions);
  });

  addConfigOptions(
    program
      .command('gate-stats')
      .description('selection frequency of a trained gate: heat map (PNG + SVG) and a static selection file')
      .requiredOption('-w, --weights <file>', 'checkpoint of a gated DCT run')
      .option('--split <name>', 'split the statistics are gathered on (default: the train split)')
      .addOption(
        new Option('--keep <n>', 'keep the n most selected channels').argParser((v) =>
          Number.parseInt(v, 10),
        ),
      )
      .addOption(
        new Option('--threshold <f>', 'keep channels selected at least this often (default 0.5)').argParser(
          Number,
        ),
      )
      .option('--stats-out <folder>', 'where to write the files (default: <run>/gate-stats)')
      .option('--limit <n>', 'use at most n images', (v) => Number.parseInt(v, 10)),
  ).action(async (options) => {
    const config = configFromOptions(options);
    const summary = await gateStatsCommand(config, {
      weights: options.weights,
      split: options.split,
      keep: options.keep ?? null,
      threshold: options.threshold ?? null,
      out: options.statsOut,
      maxSamples: options.limit ?? null,
    });
    printJson(summary);
  });

  addConfigOptions(
    program
      .command('stats')
      .description('per-channel normalization statistics of a dataset (RGB or DCT), as JSON')
      .option('--split <name>', 'split to measure (default: the train split)')
      .option('--stats-file <file>', 'output JSON (default: print)')
      .addOption(
        new Option(
          '--method <m>',
          "'pooled' (Welford over all values) or 'per-image-means' (official DCTNet)",
        ).default('pooled'),
      )
      .option('--limit <n>', 'use at most n images', (v) => Number.parseInt(v, 10)),
  ).action(async (options) => {
    const config = configFromOptions(options);
    const summary = await statsCommand(config, {
      split: options.split,
      out: options.statsFile,
      method: options.method,
      maxSamples: options.limit ?? null,
    });
    printJson(summary);
  });

  addConfigOptions(
    program
      .command('demo')
      .description('the paper workflow on an embedded synthetic set (or --data): RGB vs DCT-24 vs gated DCT')
      .option('--variants <list>', "static runs to compare, e.g. 'rgb,dct-24,dct-64' (default 'rgb,dct-24')")
      .option('--skip-gate', 'no gated run (only the static variants)')
      .option('--static-from-gate', 'also train a static run on the selection derived from the gate'),
  ).action(async (options) => {
    const overrides = overridesFromOptions(options);
    const result = await demoCommand(overrides, {
      configFile: options.config,
      variants:
        typeof options.variants === 'string'
          ? options.variants.split(',').map((v: string) => v.trim())
          : undefined,
      gate: !options.skipGate,
      staticFromGate: Boolean(options.staticFromGate),
    });
    process.stdout.write(`${result.table}\n`);
  });

  return program;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs the CLI; FdlErrors print their message (no stack) and exit with code 1. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof FdlError) {
      process.stderr.write(`fdl-classify: error [${error.code}]: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/** True when this file is the program (also through the `fdl-classify` bin symlink), not an import. */
function invokedDirectly(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) await main();
