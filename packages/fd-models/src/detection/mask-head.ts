import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '../nn/conv2d.js';
import type { Scope } from '../nn/parameter-store.js';
import { ConvTranspose2d } from './conv-transpose.js';

/**
 * torchvision's `MaskRCNNHeads` (`roi_heads.mask_head.{i}.0`: 3x3 convs + ReLU, four of 256 by default)
 * and `MaskRCNNPredictor` (`roi_heads.mask_predictor`: `conv5_mask` 2x2 stride-2 deconvolution + ReLU,
 * `mask_fcn_logits` 1x1 conv to one logit map per class). Init kaiming-normal fan_out, bias 0.
 */
export class MaskHead {
  private readonly convs: Conv2d[];

  constructor(scope: Scope, inChannels: number, layers: readonly number[], dilation = 1) {
    let channels = inChannels;
    if (dilation !== 1)
      throw new ArgumentError('MaskHead', 'dilation', `must be 1 (torchvision's default), got ${dilation}`);
    this.convs = layers.map((out, i) => {
      const conv = new Conv2d(scope.child(i).child(0), {
        inChannels: channels,
        outChannels: out,
        kernelSize: 3,
        padding: 1,
        bias: true,
      });
      channels = out;
      return conv;
    });
  }

  /** `[K, 14, 14, in]` -> `[K, 14, 14, layers.at(-1)]` */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.convs.reduce((h, conv) => tf.relu(conv.forward(h)) as tf.Tensor4D, x));
  }
}

export class MaskPredictor {
  private readonly deconv: ConvTranspose2d;
  private readonly logits: Conv2d;

  constructor(scope: Scope, inChannels: number, reducedChannels: number, numClasses: number) {
    this.deconv = new ConvTranspose2d(scope.child('conv5_mask'), inChannels, reducedChannels, 2);
    this.logits = new Conv2d(scope.child('mask_fcn_logits'), {
      inChannels: reducedChannels,
      outChannels: numClasses,
      kernelSize: 1,
      bias: true,
    });
  }

  /** `[K, 14, 14, in]` -> mask logits `[K, 28, 28, numClasses]` */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.logits.forward(tf.relu(this.deconv.forward(x)) as tf.Tensor4D));
  }
}
