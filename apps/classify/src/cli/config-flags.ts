import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  type ConfigOverrides,
  mergeConfig,
  parseAssignment,
  readConfigFile,
  resolveConfig,
} from '../config/load-config.js';
import type { ClassifyConfig } from '../config/schema.js';

/** A command-line flag that sets one config field. */
interface ConfigFlag {
  flags: string;
  description: string;
  /** Dotted config path. */
  path: string;
  parse: (text: string) => unknown;
}

const number = (text: string): number => Number(text);
const integer = (text: string): number =>
  /^-?\d+$/.test(text.trim()) ? Number.parseInt(text, 10) : Number.NaN;
const text = (value: string): string => value;
/** `24`, `DCT-24`, `24T` stay strings; `0,1,2,64` or `[0, 1]` become index lists. */
export const parseChannels = (value: string): unknown =>
  /^\s*\[/.test(value)
    ? parseYaml(value)
    : value.includes(',')
      ? value.split(',').map((v) => integer(v))
      : value;

/** Flags shared by the commands that build a model and read data; each maps onto the config. */
export const CONFIG_FLAGS: readonly ConfigFlag[] = Object.freeze([
  {
    flags: '--data <folder>',
    description: 'image folder with <split>/<class>/ images (default: a generated synthetic set)',
    path: 'data.root',
    parse: text,
  },
  {
    flags: '--train-split <name>',
    description: 'training sub-folder (default train)',
    path: 'data.trainSplit',
    parse: text,
  },
  {
    flags: '--val-split <name>',
    description: 'validation sub-folder (default val)',
    path: 'data.valSplit',
    parse: text,
  },
  {
    flags: '--workers <n>',
    description: 'decoder worker threads (0 decodes on the main thread)',
    path: 'data.workers',
    parse: integer,
  },
  {
    flags: '--mode <rgb|dct>',
    description: 'model input: RGB pixels or DCT coefficients',
    path: 'input.mode',
    parse: text,
  },
  {
    flags: '--channels <selection>',
    description: "DCT channels: '24', 'DCT-64', '24T', 'all' or indices '0,1,64'",
    path: 'input.channels',
    parse: parseChannels,
  },
  {
    flags: '--resize <px>',
    description: 'RGB: shorter side before the crop (default 256)',
    path: 'input.resize',
    parse: integer,
  },
  { flags: '--crop <px>', description: 'RGB: crop size (default 224)', path: 'input.crop', parse: integer },
  {
    flags: '--dct-resize <px>',
    description: 'DCT: shorter side before the crop (default 512)',
    path: 'input.dctResize',
    parse: integer,
  },
  {
    flags: '--dct-crop <px>',
    description: 'DCT: crop size in pixels, the cube is crop/8 (default 448)',
    path: 'input.dctCrop',
    parse: integer,
  },
  {
    flags: '--normalization <name|file>',
    description: "'imagenet', 'none' or a stats JSON from `fdl-classify stats`",
    path: 'input.normalization',
    parse: text,
  },
  {
    flags: '--arch <name>',
    description: 'resnet18 | resnet34 | resnet50 | resnet101 | mobilenetv2',
    path: 'model.architecture',
    parse: text,
  },
  {
    flags: '--base-width <n>',
    description: 'ResNet base width (64 = torchvision)',
    path: 'model.baseWidth',
    parse: integer,
  },
  {
    flags: '--width-multiplier <x>',
    description: 'MobileNetV2 width multiplier',
    path: 'model.widthMultiplier',
    parse: number,
  },
  {
    flags: '--variant <paper|official>',
    description: 'DCT network variant',
    path: 'model.variant',
    parse: text,
  },
  {
    flags: '--gate-lambda <x>',
    description: 'weight of the gate usage penalty',
    path: 'gate.lambda',
    parse: number,
  },
  {
    flags: '--gate-lr-scale <x>',
    description: "learning-rate multiplier of the gate's parameters",
    path: 'gate.learningRateScale',
    parse: number,
  },
  { flags: '--epochs <n>', description: 'training epochs', path: 'train.epochs', parse: integer },
  { flags: '--batch-size <n>', description: 'images per batch', path: 'train.batchSize', parse: integer },
  {
    flags: '--accumulate <n>',
    description: 'micro-batches per optimizer step',
    path: 'train.accumulationSteps',
    parse: integer,
  },
  { flags: '--optimizer <sgd|adamw>', description: 'optimizer', path: 'optimizer.kind', parse: text },
  { flags: '--lr <x>', description: 'base learning rate', path: 'optimizer.learningRate', parse: number },
  {
    flags: '--weight-decay <x>',
    description: 'weight decay (SGD: L2; AdamW: decoupled)',
    path: 'optimizer.weightDecay',
    parse: number,
  },
  {
    flags: '--schedule <kind>',
    description: 'cosine | step | multistep | constant',
    path: 'schedule.kind',
    parse: text,
  },
  {
    flags: '--warmup-epochs <x>',
    description: 'linear warmup length in epochs',
    path: 'schedule.warmupEpochs',
    parse: number,
  },
  {
    flags: '--label-smoothing <x>',
    description: 'label smoothing epsilon',
    path: 'train.labelSmoothing',
    parse: number,
  },
  {
    flags: '--clip-grad-norm <x>',
    description: 'clip the global gradient norm (0 = off)',
    path: 'train.clipGradientNorm',
    parse: number,
  },
  {
    flags: '--max-steps-per-epoch <n>',
    description: 'cut epochs short (quick checks)',
    path: 'train.maxStepsPerEpoch',
    parse: integer,
  },
  {
    flags: '--max-eval-samples <n>',
    description: 'evaluate at most n validation images per epoch',
    path: 'train.maxEvalSamples',
    parse: integer,
  },
  {
    flags: '--keep-best <n>',
    description: 'best checkpoints to keep',
    path: 'train.keepBest',
    parse: integer,
  },
  {
    flags: '--seed <n>',
    description: 'seed of weights, shuffling and augmentation',
    path: 'seed',
    parse: integer,
  },
  { flags: '--backend <name>', description: 'auto | tensorflow | wasm | cpu', path: 'backend', parse: text },
  {
    flags: '--threads <n>',
    description: 'wasm worker threads: auto (every core) or 1..8',
    path: 'threads',
    parse: (value: string) => (value === 'auto' ? value : integer(value)),
  },
  { flags: '--name <run>', description: 'run folder name', path: 'name', parse: text },
  {
    flags: '--out <folder>',
    description: 'folder holding run folders (default runs)',
    path: 'outputDir',
    parse: text,
  },
]);

/** Adds `--config`, `--set` and every config flag to a command. */
export function addConfigOptions(command: Command): Command {
  command.option('-c, --config <file>', 'config file (JSON or YAML); flags override it');
  command.option(
    '--set <key=value>',
    'override any config field, e.g. --set train.ema.enabled=true (repeatable)',
    (value: string, previous: string[] = []) => [...previous, value],
  );
  for (const flag of CONFIG_FLAGS) command.option(flag.flags, flag.description);
  command.option('--gate', 'dynamic channel selection: train a gate in front of the DCT network');
  command.option('--ema', 'keep an exponential moving average of the weights');
  command.option('--no-progress', 'print progress lines instead of a live bar');
  return command;
}

/** Config overrides from parsed commander options. */
export function overridesFromOptions(options: Record<string, unknown>): ConfigOverrides {
  let overrides: ConfigOverrides = {};
  const set = (path: string, value: unknown) => {
    let nested: unknown = value;
    for (const key of path.split('.').reverse()) nested = { [key]: nested };
    overrides = mergeConfig(overrides, nested as ConfigOverrides);
  };
  for (const flag of CONFIG_FLAGS) {
    const key = attributeName(flag.flags);
    const raw = options[key];
    if (typeof raw === 'string') set(flag.path, flag.parse(raw));
  }
  if (options.gate === true) {
    set('gate.enabled', true);
    set('input.mode', 'dct');
  }
  if (options.ema === true) set('train.ema.enabled', true);
  if (options.progress === false) set('train.progress', false);
  for (const assignment of (options.set as string[] | undefined) ?? [])
    overrides = mergeConfig(overrides, parseAssignment(assignment));
  return overrides;
}

/** Defaults <- config file <- flags, validated. */
export function configFromOptions(
  options: Record<string, unknown>,
  base: ConfigOverrides = {},
): ClassifyConfig {
  const file = typeof options.config === 'string' ? readConfigFile(options.config) : {};
  const source = typeof options.config === 'string' ? `config (${options.config} + flags)` : 'config (flags)';
  return resolveConfig([base, file, overridesFromOptions(options)], source);
}

/** commander's attribute name of a flag: `--max-steps-per-epoch <n>` -> `maxStepsPerEpoch`. */
function attributeName(flags: string): string {
  const long = flags.split(/[ ,]+/).find((part) => part.startsWith('--'))!;
  return long.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
