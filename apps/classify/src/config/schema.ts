import { z } from 'zod';

/**
 * The run configuration. Every field has a default, so `{}` is a valid config; a config file (JSON or
 * YAML) and command-line flags override them in that order. Unknown keys are errors (typos surface).
 */
const channelSelection = z.union([
  z
    .string()
    .regex(
      /^(all|(DCT-?)?\d+[ST]?|.+\.json)$/i,
      "a preset such as '24', 'DCT-24', '24T', 'all', a selection file '*.json' or a list of channel indices",
    ),
  z.array(z.number().int().min(0).max(191)).min(1),
]);

export const dataSchema = z
  .strictObject({
    /** ImageNet-style folder with `<split>/<class>/*.jpg`; null generates a synthetic set. */
    root: z.string().nullable().default(null),
    trainSplit: z.string().default('train'),
    valSplit: z.string().default('val'),
    /** Synthetic set (used when root is null). */
    synthetic: z
      .strictObject({
        classes: z.number().int().min(2).max(8).default(4),
        trainPerClass: z.number().int().min(1).default(32),
        valPerClass: z.number().int().min(1).default(12),
        size: z.number().int().min(16).default(64),
      })
      .prefault({}),
    /** Decoder worker threads (0 decodes on the main thread). */
    workers: z.number().int().min(0).default(0),
  })
  .prefault({});

export const inputSchema = z
  .strictObject({
    mode: z.enum(['rgb', 'dct']).default('rgb'),
    /** RGB: resize shorter side to `resize`, crop `crop` (torchvision's 256/224). */
    resize: z.number().int().min(8).default(256),
    crop: z.number().int().min(8).default(224),
    /** DCT: the image is resized/cropped to these pixel sizes before the 8x8 DCT (paper: 512/448). */
    dctResize: z.number().int().min(16).default(512),
    dctCrop: z.number().int().min(16).default(448),
    /** DCT channel selection: preset or indices (channel = component * 64 + u * 8 + v). */
    channels: channelSelection.default('24'),
    /** Normalization: 'imagenet' statistics, a stats JSON path from `fdl-classify stats`, or 'none'. */
    normalization: z.string().default('imagenet'),
  })
  .prefault({});

export const gateSchema = z
  .strictObject({
    /** Dynamic channel selection: a gate in front of a DCT network, trained with the lambda penalty. */
    enabled: z.boolean().default(false),
    /** Weight of the lambda * mean(sum of open gates) regularizer. */
    lambda: z.number().min(0).default(0.005),
    temperature: z.number().positive().default(1),
    /** Learning-rate multiplier of the gate's parameters (`inp_GM.*`), so short runs can move the gate. */
    learningRateScale: z.number().positive().default(1),
  })
  .prefault({});

export const modelSchema = z
  .strictObject({
    architecture: z
      .enum(['resnet18', 'resnet34', 'resnet50', 'resnet101', 'mobilenetv2'])
      .default('resnet50'),
    /** ResNet base width (64 in torchvision); smaller values build narrow networks for quick runs. */
    baseWidth: z.number().int().min(1).default(64),
    widthMultiplier: z.number().positive().default(1),
    variant: z.enum(['paper', 'official']).default('paper'),
    /** Initial weights: an fdl checkpoint or a safetensors file with torchvision names. */
    weights: z.string().nullable().default(null),
  })
  .prefault({});

export const optimizerSchema = z
  .strictObject({
    kind: z.enum(['sgd', 'adamw']).default('sgd'),
    learningRate: z.number().positive().default(0.1),
    momentum: z.number().min(0).max(0.9999).default(0.9),
    nesterov: z.boolean().default(false),
    weightDecay: z.number().min(0).default(1e-4),
    excludeNormAndBiasFromDecay: z.boolean().default(true),
    beta1: z.number().min(0).max(0.9999).default(0.9),
    beta2: z.number().min(0).max(0.99999).default(0.999),
    epsilon: z.number().positive().default(1e-8),
  })
  .prefault({});

export const scheduleSchema = z
  .strictObject({
    kind: z.enum(['cosine', 'step', 'multistep', 'constant']).default('cosine'),
    warmupEpochs: z.number().min(0).default(0),
    warmupStartFactor: z.number().min(0).max(1).default(0.01),
    minLearningRate: z.number().min(0).default(0),
    gamma: z.number().positive().default(0.1),
    stepEpochs: z.number().int().positive().default(30),
    milestones: z.array(z.number().int().min(0)).default([30, 60, 80]),
  })
  .prefault({});

export const trainSchema = z
  .strictObject({
    epochs: z.number().int().min(1).default(90),
    batchSize: z.number().int().min(1).default(32),
    /** Micro-batches per optimizer step. */
    accumulationSteps: z.number().int().min(1).default(1),
    labelSmoothing: z.number().min(0).max(0.99).default(0.1),
    /** Global-norm gradient clipping; 0 disables. */
    clipGradientNorm: z.number().min(0).default(0),
    ema: z
      .strictObject({
        enabled: z.boolean().default(false),
        decay: z.number().min(0).max(0.999999).default(0.9998),
        warmup: z.boolean().default(true),
      })
      .prefault({}),
    keepBest: z.number().int().min(0).default(2),
    /** Stop each epoch after this many optimizer steps (quick checks); null runs full epochs. */
    maxStepsPerEpoch: z.number().int().min(1).nullable().default(null),
    /** Validation examples evaluated per epoch; null evaluates the whole split. */
    maxEvalSamples: z.number().int().min(1).nullable().default(null),
    progress: z.boolean().default(true),
  })
  .prefault({});

export const configSchema = z.strictObject({
  /** Run folder name under outputDir (default: `<mode>-<architecture>-<date>`). */
  name: z.string().nullable().default(null),
  outputDir: z.string().default('runs'),
  seed: z.number().int().min(0).default(0),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  /** Threads of the wasm backend (its multi-threaded build): `auto` = every core, at most 8. */
  threads: z.union([z.literal('auto'), z.number().int().min(1).max(8)]).default('auto'),
  data: dataSchema,
  input: inputSchema,
  gate: gateSchema,
  model: modelSchema,
  optimizer: optimizerSchema,
  schedule: scheduleSchema,
  train: trainSchema,
});

/** The fully resolved configuration (every field present). */
export type ClassifyConfig = z.output<typeof configSchema>;
/** What a config file may hold (every field optional). */
export type ClassifyConfigInput = z.input<typeof configSchema>;
export type ChannelSelectionInput = z.output<typeof channelSelection>;
