import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
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
  }

  /** `x`: [batch, H, W, inChannels] -> [batch, H', W', outChannels]. */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let input = x;
      let pad: 'same' | 'valid' = 'valid';
      const k = this.kernelSize;
      if (this.padding > 0) {
        if (this.stride === 1 && k % 2 === 1 && this.padding === (k - 1) / 2) pad = 'same';
        else {
          const p = this.padding;
          input = tf.pad(x, [
            [0, 0],
            [p, p],
            [p, p],
            [0, 0],
          ]);
        }
      }
      let y: tf.Tensor4D;
      if (this.kind === 'conv') {
        y = tf.conv2d(input, this.weight as tf.Tensor4D, this.stride, pad);
      } else {
        y = tf.depthwiseConv2d(input, this.weight as tf.Tensor4D, this.stride, pad);
        const perGroup = this.inChannels / this.groups;
        if (perGroup > 1) {
          // One output per group: sum each group's depthwise responses.
          const [batch, height, width] = y.shape;
          y = tf.sum(tf.reshape(y, [batch, height, width, this.groups, perGroup]), 4) as tf.Tensor4D;
        }
      }
      return this.bias ? tf.add(y, this.bias) : y;
    });
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
