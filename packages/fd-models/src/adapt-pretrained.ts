import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NetworkVariant } from './classifier-options.js';
import type { StateDict, TensorRecord } from './state-dict.js';
import { toFloat32 } from './state-dict.js';

export interface AdaptPretrainedOptions {
  /** Number of DCT input channels C. */
  channels: number;
  /** Default 'paper' (only matters for MobileNetV2 with C > 32). */
  variant?: NetworkVariant;
  /** Seed of re-initialised weights (default 0). */
  seed?: number;
}

export const ADAPT_PRETRAINED_DEFAULTS = Object.freeze({ variant: 'paper' as NetworkVariant, seed: 0 });

/**
 * Turns a pretrained RGB torchvision state dict (ResNet or MobileNetV2, detected from its names) into
 * the initial state dict of the matching DCT network, as the official code does:
 *
 * ResNet: conv1/bn1 are dropped; `layer1.0.conv1.weight` and `layer1.0.downsample.0.weight` keep their
 * first C input channels when C <= 64 (C = 64 keeps them whole, as the official code does) and are
 * Kaiming-normal re-initialised (fan_out, ReLU) for C > 64. BasicBlock ResNets gain a new
 * `layer1.0.downsample` (Kaiming conv, BN 1/0/0/1) when C != 64.
 *
 * MobileNetV2: features.0 is dropped; features.1's depthwise conv, its BN and the pointwise conv keep
 * their first C channels when C <= 32 (the stem width); for C > 32, variant `official` repeats the
 * depthwise weights C/32 times along its input axis (grouped conv C -> 32), variant `paper`
 * re-initialises the three layers.
 */
export function adaptPretrainedToDct(rgb: StateDict, options: AdaptPretrainedOptions): StateDict {
  const fn = 'adaptPretrainedToDct';
  const { channels, variant, seed } = { ...ADAPT_PRETRAINED_DEFAULTS, ...options };
  if (!Number.isInteger(channels) || channels < 1 || channels > 192) {
    throw new ArgumentError(fn, 'options.channels', `must be an integer in 1..192, got ${channels}`);
  }
  if ('layer1.0.conv1.weight' in rgb) return adaptResNet(rgb, channels, seed);
  if ('features.1.conv.0.0.weight' in rgb) return adaptMobileNetV2(rgb, channels, variant, seed);
  throw new ArgumentError(
    fn,
    'rgb',
    "must be a torchvision ResNet or MobileNetV2 state dict (no 'layer1.0.conv1.weight' or 'features.1.conv.0.0.weight')",
  );
}

function withoutPrefixes(record: StateDict, prefixes: string[]): StateDict {
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => !prefixes.some((prefix) => name.startsWith(prefix))),
  );
}

/** Keeps the first `count` entries along `axis` of a torch-layout tensor. */
function sliceAxis(tensor: TensorRecord, axis: number, count: number): TensorRecord {
  const values = toFloat32(tensor);
  const shape = [...tensor.shape];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const output = new Float32Array(outer * count * inner);
  for (let o = 0; o < outer; o++) {
    output.set(
      values.subarray(o * shape[axis] * inner, (o * shape[axis] + count) * inner),
      o * count * inner,
    );
  }
  shape[axis] = count;
  return { dtype: 'F32', shape, data: output };
}

/** Kaiming-normal (fan_out, ReLU) torch-layout conv weight [out, in/groups, kh, kw]. */
function kaimingConv(shape: number[], seed: number): TensorRecord {
  const std = Math.sqrt(2 / (shape[0] * shape[2] * shape[3]));
  const tensor = tf.randomNormal(shape, 0, std, 'float32', seed);
  const data = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return { dtype: 'F32', shape, data };
}

function batchNormDefaults(prefix: string, channels: number): StateDict {
  const filled = (value: number): TensorRecord => ({
    dtype: 'F32',
    shape: [channels],
    data: new Float32Array(channels).fill(value),
  });
  return {
    [`${prefix}.weight`]: filled(1),
    [`${prefix}.bias`]: filled(0),
    [`${prefix}.running_mean`]: filled(0),
    [`${prefix}.running_var`]: filled(1),
  };
}

function adaptInputConv(tensor: TensorRecord, channels: number, seed: number): TensorRecord {
  if (channels <= tensor.shape[1]) return sliceAxis(tensor, 1, channels);
  return kaimingConv([tensor.shape[0], channels, tensor.shape[2], tensor.shape[3]], seed);
}

function adaptResNet(rgb: StateDict, channels: number, seed: number): StateDict {
  const result = withoutPrefixes(rgb, ['conv1.', 'bn1.']);
  result['layer1.0.conv1.weight'] = adaptInputConv(rgb['layer1.0.conv1.weight'], channels, seed);
  const downsample = rgb['layer1.0.downsample.0.weight'];
  const stemWidth = rgb['layer1.0.conv1.weight'].shape[1];
  if (downsample) {
    result['layer1.0.downsample.0.weight'] = adaptInputConv(downsample, channels, seed + 1);
  } else if (channels !== stemWidth) {
    // BasicBlock: torchvision adds a downsample when inplanes (now C) != planes.
    const planes = rgb['layer1.0.conv1.weight'].shape[0];
    result['layer1.0.downsample.0.weight'] = kaimingConv([planes, channels, 1, 1], seed + 1);
    Object.assign(result, batchNormDefaults('layer1.0.downsample.1', planes));
  }
  return result;
}

function adaptMobileNetV2(
  rgb: StateDict,
  channels: number,
  variant: NetworkVariant,
  seed: number,
): StateDict {
  const result = withoutPrefixes(rgb, ['features.0.']);
  const depthwise = rgb['features.1.conv.0.0.weight'];
  const pointwise = rgb['features.1.conv.1.weight'];
  const stem = depthwise.shape[0];
  const bn = 'features.1.conv.0.1';
  if (channels <= stem) {
    result['features.1.conv.0.0.weight'] = sliceAxis(depthwise, 0, channels);
    for (const field of ['weight', 'bias', 'running_mean', 'running_var']) {
      result[`${bn}.${field}`] = sliceAxis(rgb[`${bn}.${field}`], 0, channels);
    }
    result['features.1.conv.1.weight'] = sliceAxis(pointwise, 1, channels);
  } else if (variant === 'official') {
    if (channels % stem !== 0) {
      throw new ArgumentError(
        'adaptPretrainedToDct',
        'options.channels',
        `must be at most ${stem} or a multiple of it for variant 'official', got ${channels}`,
      );
    }
    const repeats = channels / stem;
    const values = toFloat32(depthwise);
    const kernel = depthwise.shape[2] * depthwise.shape[3];
    const output = new Float32Array(stem * repeats * kernel);
    for (let o = 0; o < stem; o++)
      for (let r = 0; r < repeats; r++)
        output.set(values.subarray(o * kernel, (o + 1) * kernel), (o * repeats + r) * kernel);
    result['features.1.conv.0.0.weight'] = {
      dtype: 'F32',
      shape: [stem, repeats, depthwise.shape[2], depthwise.shape[3]],
      data: output,
    };
  } else {
    result['features.1.conv.0.0.weight'] = kaimingConv(
      [channels, 1, depthwise.shape[2], depthwise.shape[3]],
      seed,
    );
    Object.assign(result, batchNormDefaults(bn, channels));
    result['features.1.conv.1.weight'] = kaimingConv([pointwise.shape[0], channels, 1, 1], seed + 1);
  }
  return result;
}
