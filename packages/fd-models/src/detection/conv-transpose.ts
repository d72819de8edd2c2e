import * as tf from '@tensorflow/tfjs-core';
import { constantInit, kaimingNormalFanOut } from '../nn/init.js';
import type { Scope } from '../nn/parameter-store.js';

/**
 * torch `nn.ConvTranspose2d(in, out, kernel, stride = kernel, padding = 0)` on NHWC tensors (the mask
 * predictor's 2x deconvolution). torch stores the weight `[in, out, kh, kw]`; the 'conv' layout permutation
 * turns it into `[kh, kw, out, in]`, which is exactly tfjs' conv2dTranspose filter layout.
 * Parameters: `<name>.weight`, `<name>.bias`; init kaiming-normal (fan_out over torch's first axis), bias 0.
 */
export class ConvTranspose2d {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    scope: Scope,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
  ) {
    const torchShape = [inChannels, outChannels, kernelSize, kernelSize];
    this.weight = scope.store.add(
      scope.name('weight'),
      'conv',
      torchShape,
      kaimingNormalFanOut('conv', torchShape, scope.seedFor('weight')),
    );
    this.bias = scope.store.add(
      scope.name('bias'),
      'vector',
      [outChannels],
      constantInit('vector', [outChannels], 0),
    );
  }

  /** `[N, H, W, in]` -> `[N, H * k, W * k, out]` */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    const [batch, height, width] = x.shape;
    const k = this.kernelSize;
    return tf.tidy(() =>
      tf.add(
        tf.conv2dTranspose(
          x,
          this.weight as tf.Tensor4D,
          [batch, height * k, width * k, this.outChannels],
          k,
          'valid',
        ),
        this.bias,
      ),
    );
  }
}
