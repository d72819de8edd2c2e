import { join } from 'node:path';
import { type ConfigOverrides, mergeConfig, readConfigFile, resolveConfig } from '../config/load-config.js';
import { configError } from '../errors.js';
import { defaultRunName } from '../runtime/run-folder.js';
import { comparisonTable } from './comparison-table.js';
import { type GateStatsSummary, gateStatsCommand } from './gate-stats.js';
import { type TrainSummary, trainCommand } from './train.js';

/**
 * Settings of the demo on the generated set: 64 px images, RGB at 64 and DCT at 128 px (so both
 * networks see a 16x16 map after their stems, the paper's 224 / 448 ratio), a narrow ResNet-18.
 */
export const DEMO_SYNTHETIC_DEFAULTS: Readonly<ConfigOverrides> = Object.freeze({
  model: { architecture: 'resnet18', baseWidth: 16 },
  input: { resize: 64, crop: 64, dctResize: 128, dctCrop: 128 },
  data: { synthetic: { classes: 4, trainPerClass: 48, valPerClass: 32, size: 64 } },
  train: { epochs: 6, batchSize: 16, labelSmoothing: 0.1, keepBest: 1 },
  optimizer: { kind: 'sgd', learningRate: 0.05, weightDecay: 5e-5 },
  schedule: { kind: 'cosine', warmupEpochs: 1 },
  // a 6-epoch run only moves the gate with a faster gate; measured open channels (of 192) after 6 epochs
  // at learningRateScale 30: lambda 0.003 -> 188, 0.01 -> 145, 0.015 -> 37, 0.025 -> 3.4, 0.05 -> 1.6
  gate: { lambda: 0.015, learningRateScale: 30 },
});

/** Settings with real photographs (--data): the paper geometry (RGB 256/224, DCT 512/448), ResNet-18. */
export const DEMO_REAL_DEFAULTS: Readonly<ConfigOverrides> = Object.freeze({
  model: { architecture: 'resnet18', baseWidth: 32 },
  input: { resize: 256, crop: 224, dctResize: 512, dctCrop: 448 },
  train: { epochs: 8, batchSize: 16, labelSmoothing: 0.1, keepBest: 1 },
  optimizer: { kind: 'sgd', learningRate: 0.05, weightDecay: 1e-4 },
  schedule: { kind: 'cosine', warmupEpochs: 1 },
  gate: { lambda: 0.015, learningRateScale: 30 },
});

export interface DemoOptions {
  configFile?: string;
  /** Static runs to compare: `rgb` or `dct-<selection>` (`dct-24`, `dct-64`, `dct-24T`); default rgb, dct-24. */
  variants?: readonly string[];
  /** Train a gated DCT run and derive the heat map and static selection (default true). */
  gate: boolean;
  /** Then train a static DCT run on the derived selection: the paper's full workflow. */
  staticFromGate: boolean;
  log?: (line: string) => void;
}

export const DEFAULT_DEMO_VARIANTS: readonly string[] = Object.freeze(['rgb', 'dct-24']);

/** The input section of a variant name: `rgb`, or `dct-<selection>` such as `dct-24`, `dct-64`, `dct-24T`. */
export function variantInput(variant: string): ConfigOverrides {
  if (variant === 'rgb') return { mode: 'rgb' };
  const match = /^dct-(.+)$/i.exec(variant);
  if (match === null) {
    throw configError(
      `demo --variants: '${variant}' must be 'rgb' or 'dct-<selection>' (e.g. dct-24, dct-64, dct-24T)`,
      {
        variant,
      },
    );
  }
  return { mode: 'dct', channels: match[1] };
}

export interface DemoResult {
  runs: TrainSummary[];
  gateStats: GateStatsSummary | null;
  table: string;
}

/** Trains RGB, DCT-24 and (optionally) gated DCT models on the same data and schedule and compares them. */
export async function demoCommand(overrides: ConfigOverrides, options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const file = options.configFile ? readConfigFile(options.configFile) : {};
  const user = mergeConfig(file, overrides);
  const realData = typeof (user.data as ConfigOverrides | undefined)?.root === 'string';
  const base = mergeConfig(realData ? DEMO_REAL_DEFAULTS : DEMO_SYNTHETIC_DEFAULTS, user);
  const baseConfig = resolveConfig([base], 'demo config');
  const outputDir = join(
    baseConfig.outputDir,
    baseConfig.name ?? defaultRunName('demo', baseConfig.model.architecture),
  );
  const layer = (extra: ConfigOverrides) =>
    resolveConfig([base, { outputDir, name: null }, extra], 'demo config');

  const variants = options.variants ?? DEFAULT_DEMO_VARIANTS;
  const total = variants.length + (options.gate ? 1 : 0) + (options.gate && options.staticFromGate ? 1 : 0);
  const runs: TrainSummary[] = [];
  for (const [i, variant] of variants.entries()) {
    log(`== ${i + 1}/${total} ${variant}`);
    runs.push(await trainCommand(layer({ name: variant, input: variantInput(variant) }), { log }));
  }
  let gateStats: GateStatsSummary | null = null;
  if (options.gate) {
    log(`== ${variants.length + 1}/${total} DCT with a dynamic gate over all 192 channels`);
    const gated = await trainCommand(
      layer({ name: 'dct-gate', input: { mode: 'dct', channels: 'all' }, gate: { enabled: true } }),
      { log },
    );
    runs.push(gated);
    gateStats = await gateStatsCommand(layer({}), {
      weights: gated.lastCheckpoint!,
      split: null,
      keep: 24,
      threshold: null,
      out: null,
      maxSamples: null,
      log,
    });
    if (options.staticFromGate) {
      log(`== ${total}/${total} static run on the gate's ${gateStats.selection.indices.length} channels`);
      runs.push(
        await trainCommand(
          layer({
            name: 'dct-from-gate',
            input: { mode: 'dct', channels: [...gateStats.selection.indices] },
          }),
          { log },
        ),
      );
    }
  }
  const lines = [
    '',
    comparisonTable(runs),
    '',
    ...runs.map((r) => `curves ${r.name}: ${r.curvesPath}`),
    ...(gateStats
      ? [`gate heat map: ${gateStats.files.heatMapPng}`, `gate selection: ${gateStats.files.selection}`]
      : []),
  ];
  return { runs, gateStats, table: lines.join('\n') };
}
