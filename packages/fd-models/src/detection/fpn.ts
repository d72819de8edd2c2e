import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '../nn/conv2d.js';
import type { Scope } from '../nn/parameter-store.js';
import { maxPool2d } from '../nn/pool.js';
import { upsampleNearest } from './upsample.js';

/**
 * Feature pyramid network (torchvision `FeaturePyramidNetwork` + `LastLevelMaxPool`): a 1x1 lateral conv
 * per input level, top-down nearest upsampling and addition, a 3x3 output conv per level, and P6 as a
 * stride-2 1x1 max pool of the last output. Parameter names (under the scope, `backbone.fpn` in Mask R-CNN):
 * `inner_blocks.{i}.0.{weight,bias}` and `layer_blocks.{i}.0.{weight,bias}`.
 */
export interface FeaturePyramidOptions {
  /** Channels of C2..C5 (ResNet-50: 256, 512, 1024, 2048). */
  readonly inChannels: readonly number[];
  /** Channels of every output level. */
  readonly outChannels: number;
  /** Append P6 = maxpool(P5, 1, 2) (torchvision's LastLevelMaxPool). */
  readonly lastLevelMaxPool: boolean;
}

export const DEFAULT_FEATURE_PYRAMID_OPTIONS: FeaturePyramidOptions = Object.freeze({
  inChannels: Object.freeze([256, 512, 1024, 2048]),
  outChannels: 256,
  lastLevelMaxPool: true,
});

/** torchvision's FPN init: `kaiming_uniform_(w, a=1)` = U(+-sqrt(3 / fan_in)), bias 0. */
function kaimingUniformA1(conv: Conv2d, seed: number): void {
  const fanIn = conv.inChannels * conv.kernelSize * conv.kernelSize;
  const bound = Math.sqrt(3 / fanIn);
  const value = tf.randomUniform(conv.weight.shape, -bound, bound, 'float32', seed);
  conv.weight.assign(value);
  value.dispose();
}

export class FeaturePyramid {
  readonly options: FeaturePyramidOptions;
  private readonly inner: Conv2d[];
  private readonly layer: Conv2d[];

  constructor(scope: Scope, options: Partial<FeaturePyramidOptions> = {}) {
    this.options = { ...DEFAULT_FEATURE_PYRAMID_OPTIONS, ...options };
    const { inChannels, outChannels } = this.options;
    if (inChannels.length === 0)
      throw new ArgumentError('FeaturePyramid', 'options.inChannels', 'must not be empty');
    this.inner = inChannels.map((channels, i) => {
      const conv = new Conv2d(scope.child('inner_blocks').child(i).child(0), {
        inChannels: channels,
        outChannels,
        kernelSize: 1,
        bias: true,
      });
      kaimingUniformA1(conv, scope.seedFor(`inner_blocks.${i}`));
      return conv;
    });
    this.layer = inChannels.map((_, i) => {
      const conv = new Conv2d(scope.child('layer_blocks').child(i).child(0), {
        inChannels: outChannels,
        outChannels,
        kernelSize: 3,
        padding: 1,
        bias: true,
      });
      kaimingUniformA1(conv, scope.seedFor(`layer_blocks.${i}`));
      return conv;
    });
  }

  /**
   * @param features C2..C5 (finest first), `[N, H_l, W_l, inChannels[l]]`
   * @returns P2..P5 (+ P6), `[N, H_l, W_l, outChannels]`
   */
  forward(features: readonly tf.Tensor4D[]): tf.Tensor4D[] {
    const { inChannels } = this.options;
    if (
      features.length !== inChannels.length ||
      features.some((x, i) => x.rank !== 4 || x.shape[3] !== inChannels[i])
    ) {
      throw new ArgumentError(
        'FeaturePyramid.forward',
        'features',
        `must be ${inChannels.length} NHWC maps with channels [${inChannels}], got shapes ` +
          features.map((x) => `[${x.shape}]`).join(', '),
      );
    }
    return tf.tidy(() => {
      const last = features.length - 1;
      let inner = this.inner[last].forward(features[last]);
      const results = [this.layer[last].forward(inner)];
      for (let i = last - 1; i >= 0; i--) {
        const lateral = this.inner[i].forward(features[i]);
        inner = tf.add(lateral, upsampleNearest(inner, [lateral.shape[1], lateral.shape[2]]));
        results.unshift(this.layer[i].forward(inner));
      }
      if (this.options.lastLevelMaxPool) results.push(maxPool2d(results[results.length - 1], 1, 2, 0));
      return results;
    });
  }
}
