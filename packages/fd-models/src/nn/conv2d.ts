import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm2d } from './batch-norm.js';
import { constantInit, kaimingNormalFanOut } from './init.js';
import type { ParameterKind } from './layout.js';
import type { Scope } from './parameter-store.js';
import type { ImageShape, ShapeTrace } from './trace.js';

/** Options of a torch-style `nn.Conv2d` (square kernels, symmetric zero padding). */
export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  /** Zero padding on every side, as torch's `padding=` (NOT tf's 'same'). */
  padding?: number;
  /** torch `groups`: 1 (dense), `inChannels` (depthwise) or `outChannels` (one output per group). */
  groups?: number;
  bias?: boolean;
}

/**
 * torch `nn.Conv2d` on NHWC tensors. Parameters: `<name>.weight` (and `<name>.bias`).
 *
 * Padding follows torch: `padding` zeros on each side. Where that equals tf's 'same' (stride 1, odd
 * kernel, padding (k-1)/2) tf's 'same' is used; otherwise an explicit `tf.pad` and 'valid' (a stride-2
 * 3x3 conv with padding 1 is NOT tf 'same', which would pad only bottom/right).
 */
export class Conv2d {
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly groups: number;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;
  private readonly kind: ParameterKind;

  constructor(scope: Scope, options: Conv2dOptions) {
    const {
      inChannels,
      outChannels,
      kernelSize,
      stride = 1,
      padding = 0,
      groups = 1,
      bias = false,
    } = options;
    this.name = scope.prefix;
    for (const [argument, value] of Object.entries({ inChannels, outChannels, kernelSize, stride, groups })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new ArgumentError('Conv2d', argument, `must be a positive integer, got ${value}`, {
          name: this.name,
        });
      }
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ArgumentError(
        'Conv2d',
        'groups',
        `must divide inChannels ${inChannels} and outChannels ${outChannels}, got ${groups}`,
      );
    }
    if (groups !== 1 && groups !== outChannels) {
      throw new ArgumentError(
        'Conv2d',
        'groups',
        `must be 1 or equal outChannels (depthwise / one output per group), got ${groups} for ${inChannels}->${outChannels}`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
    this.kind = groups === 1 ? 'conv' : 'depthwise';
    const torchShape = [outChannels, inChannels / groups, kernelSize, kernelSize];
    this.weight = scope.store.add(
      scope.name('weight'),
      this.kind,
      torchShape,
      scope.initialize
        ? kaimingNormalFanOut(this.kind, torchShape, scope.seedFor('weight'))
        : constantInit(this.kind, torchShape, 0),
    );
    this.bias = bias
      ? scope.store.add(scope.name('bias'), 'vector', [outChannels], constantInit('vector', [outChannels], 0))
      : undefined;
    scope.store.onDispose(() => this.clearFoldCache());
  }

  /** torch padding: tf 'same' where it is identical, otherwise an explicit zero pad and 'valid'. */
  private padded(x: tf.Tensor4D): { input: tf.Tensor4D; pad: 'same' | 'valid' } {
    const k = this.kernelSize;
    const p = this.padding;
    if (p === 0) return { input: x, pad: 'valid' };
    if (this.stride === 1 && k % 2 === 1 && p === (k - 1) / 2) return { input: x, pad: 'same' };
    return {
      input: tf.pad(x, [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ]),
      pad: 'valid',
    };
  }

  /** Sums each group's depthwise responses (one output per group, `inChannels / groups` inputs each). */
  private sumGroups(y: tf.Tensor4D): tf.Tensor4D {
    const perGroup = this.inChannels / this.groups;
    if (perGroup === 1) return y;
    const [batch, height, width] = y.shape;
    return tf.sum(tf.reshape(y, [batch, height, width, this.groups, perGroup]), 4) as tf.Tensor4D;
  }

  /** `x`: [batch, H, W, inChannels] -> [batch, H', W', outChannels]. */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const { input, pad } = this.padded(x);
      const y =
        this.kind === 'conv'
          ? tf.conv2d(input, this.weight as tf.Tensor4D, this.stride, pad)
          : this.sumGroups(tf.depthwiseConv2d(input, this.weight as tf.Tensor4D, this.stride, pad));
      return this.bias ? tf.add(y, this.bias) : y;
    });
  }

  /**
   * `activation(norm(conv(x)))` with the BatchNorm's running statistics folded into the filter and its
   * shift and the activation fused into the convolution (inference only: no batch statistics, and
   * tfjs has no gradient for fused relu6). The folded filter is cached until any of the variables
   * involved is reassigned (tfjs' wasm backend packs a filter once per tensor, so refolding on every
   * call would cost more than the batch-norm pass it saves).
   */
  forwardFolded(x: tf.Tensor4D, norm: BatchNorm2d, activation: 'linear' | 'relu' | 'relu6'): tf.Tensor4D {
    const { filter, bias } = this.foldedParameters(norm);
    return tf.tidy(() => {
      const { input, pad } = this.padded(x);
      if (this.kind === 'conv') {
        return tf.fused.conv2d({ x: input, filter, strides: this.stride, pad, bias, activation });
      }
      if (this.inChannels === this.groups) {
        return tf.fused.depthwiseConv2d({ x: input, filter, strides: this.stride, pad, bias, activation });
      }
      // One output per group: the filter is unscaled; scale after summing each group.
      const y = this.sumGroups(tf.depthwiseConv2d(input, filter, this.stride, pad));
      const affine = tf.add(tf.mul(y, this.foldCache!.scale), bias) as tf.Tensor4D;
      if (activation === 'relu') return tf.relu(affine);
      if (activation === 'relu6') return tf.relu6(affine);
      return affine;
    });
  }

  private foldCache:
    | { key: unknown[]; filter: tf.Tensor4D; bias: tf.Tensor1D; scale: tf.Tensor1D }
    | undefined;

  private foldedParameters(norm: BatchNorm2d): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
    const key = [this.weight, this.bias, norm.weight, norm.bias, norm.runningMean, norm.runningVar].map(
      (variable) => variable?.dataId,
    );
    const cached = this.foldCache;
    if (cached && cached.key.length === key.length && cached.key.every((id, i) => id === key[i]))
      return cached;
    this.clearFoldCache();
    const folded = tf.tidy(() => {
      const { scale, shift } = norm.foldedAffine();
      const bias = (this.bias ? tf.add(shift, tf.mul(scale, this.bias)) : shift) as tf.Tensor1D;
      let filter: tf.Tensor4D;
      if (this.kind === 'conv') filter = tf.mul(this.weight, scale) as tf.Tensor4D;
      else if (this.inChannels === this.groups) {
        filter = tf.mul(this.weight, tf.reshape(scale, [1, 1, this.inChannels, 1])) as tf.Tensor4D;
      } else filter = tf.clone(this.weight) as tf.Tensor4D;
      // Kept: the cache outlives the caller's tidy scope; freed by clearFoldCache().
      return { filter: tf.keep(filter), bias: tf.keep(bias), scale: tf.keep(scale) };
    });
    this.foldCache = { key, ...folded };
    return folded;
  }

  /** Frees the cached folded filter (also done when the owning store is disposed). */
  clearFoldCache(): void {
    if (!this.foldCache) return;
    tf.dispose([this.foldCache.filter, this.foldCache.bias, this.foldCache.scale]);
    this.foldCache = undefined;
  }

  outputShape([height, width]: ImageShape): ImageShape {
    const size = (n: number) => Math.floor((n + 2 * this.padding - this.kernelSize) / this.stride) + 1;
    return [size(height), size(width), this.outChannels];
  }

  trace(input: ImageShape, trace: ShapeTrace): ImageShape {
    const output = this.outputShape(input);
    const perOutput = (this.inChannels / this.groups) * this.kernelSize * this.kernelSize;
    const weights = this.outChannels * perOutput;
    const group = this.groups > 1 ? `, g${this.groups}` : '';
    return trace.record({
      name: this.name,
      type: `Conv2d(${this.kernelSize}x${this.kernelSize}, s${this.stride}, p${this.padding}${group})`,
      inputShape: input,
      outputShape: output,
      parameters: weights + (this.bias ? this.outChannels : 0),
      multiplyAdds: output[0] * output[1] * this.outChannels * perOutput,
    });
  }
}
