import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '@fdl/dct-core';
import { saveSafetensors } from '@fdl/fd-models';
import { repositoryPath } from '@fdl/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { gateStatsCommand } from '../src/commands/gate-stats.js';
import { predictCommand } from '../src/commands/predict.js';
import { statsCommand } from '../src/commands/stats.js';
import { trainCommand } from '../src/commands/train.js';
import { type ConfigOverrides, resolveConfig } from '../src/config/load-config.js';
import { writeSyntheticDataset } from '../src/data/synthetic-dataset.js';
import { prepareImageBatch } from '../src/data/training-data.js';
import { ClassifyError } from '../src/errors.js';
import { loadTrainedModel } from '../src/model/load-trained-model.js';
import { readCheckpoint } from '../src/training/checkpoint-file.js';
import { InterruptFlag } from '../src/training/interrupt.js';
import { learningRateAt } from '../src/training/learning-rate-schedule.js';

// A tiny but real setup: generated JPEGs read by the real loader, a narrow ResNet-18 on the cpu backend.
const work = mkdtempSync(join(tmpdir(), 'fdl-classify-smoke-'));
const dataRoot = join(work, 'data');
const runs = join(work, 'runs');
const quiet = () => {};

function config(extra: ConfigOverrides = {}) {
  const base: ConfigOverrides = {
    backend: 'cpu',
    seed: 3,
    outputDir: runs,
    data: { root: dataRoot },
    model: { architecture: 'resnet18', baseWidth: 4 },
    input: { resize: 32, crop: 32, dctResize: 32, dctCrop: 32 },
    train: { epochs: 2, batchSize: 4, maxStepsPerEpoch: 1, progress: false, keepBest: 1 },
    optimizer: { kind: 'sgd', learningRate: 0.05 },
    schedule: { kind: 'cosine', warmupEpochs: 0 },
  };
  return resolveConfig([base, extra]);
}

function modelTensors(path: string): Record<string, number[]> {
  const payload = readCheckpoint(path);
  return Object.fromEntries(
    Object.entries(payload.tensors)
      .filter(([key]) => key.startsWith('model/'))
      .map(([key, t]) => [key, Array.from(t.data)]),
  );
}

beforeAll(() => {
  writeSyntheticDataset(dataRoot, { classes: 2, trainPerClass: 4, valPerClass: 2, size: 32, seed: 1 });
});

describe('fdl-classify on generated data (cpu backend)', () => {
  let rgbRun: Awaited<ReturnType<typeof trainCommand>>;

  it('trains two steps and writes config, run record, logs, curves and checkpoints', async () => {
    rgbRun = await trainCommand(config({ name: 'rgb' }), { log: quiet, handleInterrupt: false });
    const folder = join(runs, 'rgb');
    expect(rgbRun.globalStep).toBe(2);
    expect(rgbRun.epochsCompleted).toBe(2);
    expect(rgbRun.inputBytesPerImage).toBe(32 * 32 * 3 * 4);
    const record = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8'));
    expect(record.backend.name).toBe('cpu');
    expect(record.seed).toBe(3);
    expect(record.git.commit).toMatch(/^[0-9a-f]{40}$/);
    const saved = parseYaml(readFileSync(join(folder, 'config.yaml'), 'utf8'));
    expect(saved.data.root).toBe(dataRoot);
    expect(saved.train.maxStepsPerEpoch).toBe(1);
    const steps = readFileSync(join(folder, 'steps.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const schedule = {
      kind: 'cosine' as const,
      baseLearningRate: 0.05,
      totalSteps: 2,
      stepsPerEpoch: 1,
      warmupSteps: 0,
      warmupStartFactor: 0.01,
      minLearningRate: 0,
      gamma: 0.1,
      stepEpochs: 30,
      milestones: [],
    };
    expect(steps.map((s) => s.lr)).toEqual([learningRateAt(0, schedule), learningRateAt(1, schedule)]);
    expect(steps[1].lr).toBeCloseTo(0.025, 12);
    expect(steps.every((s) => Number.isFinite(s.loss) && s.gradient_norm > 0)).toBe(true);
    const csv = readFileSync(join(folder, 'epochs.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0].split(',')).toContain('val_top1');
    const png = PNG.sync.read(readFileSync(rgbRun.curvesPath));
    expect(png.width).toBeGreaterThan(400);
    const checkpoint = readCheckpoint(rgbRun.lastCheckpoint!);
    expect(checkpoint.metadata).toMatchObject({
      epoch: 2,
      globalStep: 2,
      batchesDone: 0,
      optimizerKind: 'sgd',
      reason: 'epoch',
    });
    expect(
      Object.keys(checkpoint.tensors).some((k) => k.startsWith('optimizer/') && k.endsWith('/momentum')),
    ).toBe(true);
    expect(existsSync(rgbRun.bestCheckpoint!)).toBe(true);
  });

  it('resumes exactly: one epoch + resume equals two epochs, and an interrupt mid-epoch resumes exactly', async () => {
    await trainCommand(config({ name: 'split', train: { epochs: 1 } }), {
      log: quiet,
      handleInterrupt: false,
    });
    const resumed = await trainCommand(config(), {
      resume: join(runs, 'split'),
      overrides: { train: { epochs: 2 } },
      log: quiet,
      handleInterrupt: false,
    });
    expect(resumed.globalStep).toBe(2);
    expect(modelTensors(resumed.lastCheckpoint!)).toEqual(modelTensors(rgbRun.lastCheckpoint!));
    const resumes = readFileSync(join(runs, 'split', 'resumes.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(resumes[0])).toMatchObject({
      from: join(runs, 'split', 'checkpoints', 'last.fdlckpt'),
    });

    // two steps in one epoch, interrupted after the first (a Ctrl-C between steps)
    const oneEpoch = { train: { epochs: 1, maxStepsPerEpoch: 2 } };
    const full = await trainCommand(config({ name: 'full', ...oneEpoch }), {
      log: quiet,
      handleInterrupt: false,
    });
    let polls = 0;
    const afterFirst = new (class extends InterruptFlag {
      override get isRequested() {
        return ++polls >= 1;
      }
    })();
    const stopped = await trainCommand(config({ name: 'stopped', ...oneEpoch }), {
      log: quiet,
      interrupt: afterFirst,
    });
    expect(stopped.stoppedBy).toBe('interrupt');
    const interrupted = readCheckpoint(stopped.lastCheckpoint!).metadata;
    expect(interrupted).toMatchObject({ epoch: 0, batchesDone: 1, globalStep: 1, reason: 'interrupt' });
    const continued = await trainCommand(config(), {
      resume: stopped.lastCheckpoint!,
      log: quiet,
      handleInterrupt: false,
    });
    expect(continued.globalStep).toBe(2);
    expect(modelTensors(continued.lastCheckpoint!)).toEqual(modelTensors(full.lastCheckpoint!));
  });

  it('evaluates: counts, confusion matrix files and the same top-1 as the last training epoch', async () => {
    const out = join(work, 'evaluation');
    const before = tf.memory().numTensors;
    const result = await evaluateCommand(config(), { weights: rgbRun.lastCheckpoint!, out, log: quiet });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.metrics.count).toBe(4);
    expect(result.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(4);
    expect(result.metrics.top1).toBe(rgbRun.top1);
    expect(result.metrics.inputBytesPerImage).toBe(12288);
    expect(readFileSync(join(out, 'confusion.csv'), 'utf8').split('\n')[0]).toBe(
      'true\\predicted,coarse-stripes,fine-stripes',
    );
    expect(PNG.sync.read(readFileSync(join(out, 'confusion.png'))).width).toBeGreaterThan(50);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.classes).toEqual(['coarse-stripes', 'fine-stripes']);
  });

  it('predicts images, folders and .npy inputs with the same logits, leaving no tensors', async () => {
    const image = join(dataRoot, 'val', 'fine-stripes', '0000.jpg');
    const prepared = await prepareImageBatch(config(), null, [image]);
    const npyPath = join(work, 'input.npy');
    writeFileSync(npyPath, encodeNpy({ shape: prepared.shape.slice(1), data: prepared.inputs }));
    const logitsPath = join(work, 'logits.npy');
    const before = tf.memory().numTensors;
    const predictions = await predictCommand(config(), {
      weights: rgbRun.lastCheckpoint!,
      inputs: [image, join(dataRoot, 'val', 'coarse-stripes'), npyPath],
      topK: 2,
      saveLogits: logitsPath,
      log: quiet,
    });
    // model variables are disposed with the model
    expect(tf.memory().numTensors).toBe(before);
    expect(predictions.map((p) => p.input)).toEqual([
      npyPath,
      image,
      join(dataRoot, 'val', 'coarse-stripes', '0000.jpg'),
      join(dataRoot, 'val', 'coarse-stripes', '0001.jpg'),
    ]);
    for (const p of predictions) {
      expect(p.top).toHaveLength(2);
      expect(p.top[0].probability + p.top[1].probability).toBeCloseTo(1, 6);
      expect(p.top[0].logit).toBeGreaterThanOrEqual(p.top[1].logit);
    }
    const logits = decodeNpy(new Uint8Array(readFileSync(logitsPath)));
    expect(logits.shape).toEqual([4, 2]);
    expect(logits.data[0]).toBeCloseTo(logits.data[2], 5);
    expect(logits.data[1]).toBeCloseTo(logits.data[3], 5);
  });

  it('predicts with torchvision-named safetensors weights exactly as with the checkpoint', async () => {
    const loaded = loadTrainedModel(rgbRun.lastCheckpoint!, { config: config() });
    const safetensors = join(work, 'rgb.safetensors');
    writeFileSync(safetensors, saveSafetensors(loaded.model.stateDict()));
    loaded.model.dispose();
    const image = join(dataRoot, 'val', 'coarse-stripes', '0001.jpg');
    const fromCheckpoint = await predictCommand(config(), {
      weights: rgbRun.lastCheckpoint!,
      inputs: [image],
      log: quiet,
    });
    const fromSafetensors = await predictCommand(config(), {
      weights: safetensors,
      inputs: [image],
      classes: ['coarse-stripes', 'fine-stripes'],
      log: quiet,
    });
    expect(fromSafetensors[0].top.map((t) => t.class)).toEqual(fromCheckpoint[0].top.map((t) => t.class));
    expect(fromSafetensors[0].top[0].logit).toBeCloseTo(fromCheckpoint[0].top[0].logit, 5);
    // the same file for another architecture: a short message naming the file and the network
    const error = await predictCommand(config({ model: { architecture: 'resnet34' } }), {
      weights: safetensors,
      inputs: [image],
      log: quiet,
    }).catch((e) => e);
    expect(error.code).toBe('E_CHECKPOINT');
    expect(error.message).toMatch(
      new RegExp(`^checkpoint '${safetensors}': does not fit resnet34 \\(rgb\\): `),
    );
    expect(error.message.length).toBeLessThan(800);
  });

  it('trains with AdamW, EMA, gradient accumulation, clipping and label smoothing together', async () => {
    const run = await trainCommand(
      config({
        name: 'adamw-ema',
        optimizer: { kind: 'adamw', learningRate: 0.001, weightDecay: 0.05 },
        train: {
          epochs: 1,
          maxStepsPerEpoch: 1,
          accumulationSteps: 2,
          clipGradientNorm: 0.5,
          ema: { enabled: true, decay: 0.9 },
        },
      }),
      { log: quiet, handleInterrupt: false },
    );
    // one optimizer step made of two micro-batches
    expect(run.globalStep).toBe(1);
    const steps = readFileSync(join(runs, 'adamw-ema', 'steps.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(steps).toHaveLength(1);
    const checkpoint = readCheckpoint(run.lastCheckpoint!);
    expect(checkpoint.metadata).toMatchObject({ optimizerKind: 'adamw', optimizerStep: 1, emaUpdates: 1 });
    const keys = Object.keys(checkpoint.tensors);
    expect(keys).toContain('optimizer/fc.weight/exp_avg');
    expect(keys).toContain('optimizer/fc.weight/exp_avg_sq');
    // EMA after one update with warmup decay min(0.9, 1/10) = 0.1: ema = 0.1 * initial + 0.9 * trained
    expect(keys.filter((k) => k.startsWith('ema/'))).toHaveLength(
      keys.filter((k) => k.startsWith('model/')).length,
    );
    const epochs = readFileSync(join(runs, 'adamw-ema', 'epochs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(typeof epochs[0].val_top1_ema).toBe('number');
    // --use-ema loads the averaged weights
    const ema = loadTrainedModel(run.lastCheckpoint!, { config: config(), useEma: true });
    const live = loadTrainedModel(run.lastCheckpoint!, { config: config() });
    try {
      const emaWeight = Array.from(ema.model.variables().get('fc.weight')!.dataSync());
      expect(emaWeight).toEqual(Array.from(checkpoint.tensors['ema/fc.weight'].data));
      expect(emaWeight).not.toEqual(Array.from(live.model.variables().get('fc.weight')!.dataSync()));
    } finally {
      ema.model.dispose();
      live.model.dispose();
    }
  });

  it('stops a diverging run with a clear message and keeps the last good checkpoint', async () => {
    const error = await trainCommand(
      config({
        name: 'diverge',
        optimizer: { learningRate: 1e30 },
        train: { epochs: 3, clipGradientNorm: 0 },
      }),
      { log: quiet, handleInterrupt: false },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ClassifyError);
    expect(error.code).toBe('E_DIVERGED');
    expect(error.message).toMatch(
      /^training diverged at epoch \d, step \d \(lr [\d.e+]+\): (loss|gradient norm) = (NaN|-?Infinity)/,
    );
    const last = join(runs, 'diverge', 'checkpoints', 'last.fdlckpt');
    expect(error.message).toContain(`the last good checkpoint is kept at ${last}`);
    expect(readCheckpoint(last).metadata).toMatchObject({ reason: 'epoch' });
  });

  it('trains a gated DCT model and turns its statistics into a heat map and a static selection', async () => {
    const gated = await trainCommand(
      config({
        name: 'gated',
        input: { mode: 'dct', channels: 'all' },
        gate: { enabled: true, lambda: 0.01 },
        train: { epochs: 1 },
      }),
      { log: quiet, handleInterrupt: false },
    );
    expect(gated.mode).toBe('dct-192-gate');
    expect(gated.inputBytesPerImage).toBe(4 * 4 * 192 * 4);
    expect(gated.gateChannels).toBeGreaterThan(0);
    const step = JSON.parse(
      readFileSync(join(runs, 'gated', 'steps.jsonl'), 'utf8')
        .trim()
        .split('\n')[0],
    );
    expect(step.gate_channels).toBeGreaterThan(0);
    expect(step.gate_penalty).toBeCloseTo(0.01 * step.gate_channels, 10);
    const stats = await gateStatsCommand(config(), {
      weights: gated.lastCheckpoint!,
      split: null,
      keep: 6,
      threshold: null,
      out: null,
      maxSamples: null,
      log: quiet,
    });
    expect(stats.samples).toBe(8);
    expect(stats.selection.indices).toHaveLength(6);
    expect([...stats.selection.indices].sort((a, b) => a - b)).toEqual(stats.selection.indices);
    const statistics = JSON.parse(readFileSync(stats.files.statistics, 'utf8'));
    expect(statistics.frequencies).toHaveLength(192);
    expect(statistics.frequencies.every((f: number) => f >= 0 && f <= 1)).toBe(true);
    expect(PNG.sync.read(readFileSync(stats.files.heatMapPng)).width).toBeGreaterThan(100);
    expect(readFileSync(stats.files.heatMapSvg, 'utf8')).toContain('<svg');
    // the selection file drives a static run
    const fromGate = await trainCommand(
      config({
        name: 'from-gate',
        input: { mode: 'dct', channels: stats.files.selection },
        train: { epochs: 1 },
      }),
      { log: quiet, handleInterrupt: false },
    );
    expect(fromGate.channels).toEqual(stats.selection.indices);
    expect(fromGate.inputBytesPerImage).toBe(4 * 4 * 6 * 4);
  });

  it('measures DCT normalization statistics of a split', async () => {
    const file = join(work, 'stats.json');
    const result = await statsCommand(config({ input: { mode: 'dct', channels: '6' } }), {
      out: file,
      method: 'pooled',
      maxSamples: null,
      log: quiet,
    });
    expect(result.images).toBe(8);
    expect(result.stats.channelIndices).toEqual([0, 1, 8, 9, 64, 128]);
    expect(result.stats.count).toBe(8 * 16);
    // DC of Y: 8 * (mean - 128), within the possible range; positive spread
    expect(Math.abs(result.stats.mean[0])).toBeLessThan(1024);
    expect(result.stats.std.every((s) => s > 0)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).mean).toHaveLength(6);
  });
});

describe('fdl-classify errors', () => {
  it('names a missing data folder', async () => {
    await expect(
      trainCommand(config({ data: { root: join(work, 'nope') } }), { log: quiet, handleInterrupt: false }),
    ).rejects.toThrow(`data folder '${join(work, 'nope')}' does not exist (--data)`);
  });

  it('rejects a corrupt checkpoint with its path', async () => {
    const corrupt = join(work, 'corrupt.fdlckpt');
    copyFileSync(join(runs, 'rgb', 'checkpoints', 'last.fdlckpt'), corrupt);
    const bytes = readFileSync(corrupt);
    bytes[bytes.length - 10] ^= 0x55;
    writeFileSync(corrupt, bytes);
    const error = await evaluateCommand(config(), { weights: corrupt, log: quiet }).catch((e) => e);
    expect(error).toBeInstanceOf(ClassifyError);
    expect(error.code).toBe('E_CHECKPOINT');
    expect(error.message).toBe(
      `checkpoint '${corrupt}': is corrupt: the tensor data does not match its sha256 checksum`,
    );
  });

  it('Ctrl-C (SIGINT) makes the CLI write a checkpoint and exit with code 130', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@fdl/source',
        '--import',
        'tsx',
        repositoryPath('apps/classify/src/main.ts'),
        'train',
        ...['--data', dataRoot, '--backend', 'cpu', '--arch', 'resnet18', '--base-width', '4'],
        ...['--resize', '32', '--crop', '32', '--batch-size', '4', '--epochs', '50', '--no-progress'],
        ...['--out', runs, '--name', 'sigint'],
      ],
      { cwd: repositoryPath(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // interrupt once the first epoch is done
      if (!signalled && stderr.includes('epoch 1/50:')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('interrupt: finishing the current step and writing a checkpoint');
    const last = join(runs, 'sigint', 'checkpoints', 'last.fdlckpt');
    expect(stderr).toContain(`interrupted: checkpoint written to ${last}`);
    // the signal lands between steps of a later epoch; exactly where depends on timing
    const metadata = readCheckpoint(last).metadata as { reason: string; epoch: number; batchesDone: number };
    expect(metadata.reason).toBe('interrupt');
    expect(metadata.epoch).toBeGreaterThanOrEqual(1);
    expect(metadata.batchesDone).toBeGreaterThanOrEqual(1);
  });

  it('the CLI prints a bad config file clearly and exits with code 1', () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'train:\n  epochs: -1\n  optimiser: adam\n');
    const result = spawnSync(
      process.execPath,
      [
        '--conditions=@fdl/source',
        '--import',
        'tsx',
        repositoryPath('apps/classify/src/main.ts'),
        'train',
        '--config',
        bad,
      ],
      { cwd: repositoryPath(), encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`fdl-classify: error [E_CONFIG]: invalid config (${bad} + flags):`);
    expect(result.stderr).toContain('train.epochs: Too small: expected number to be >=1 (got -1)');
    expect(result.stderr).toContain('"optimiser"');
  });
});
