import * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '../nn/conv2d.js';
import type { Scope } from '../nn/parameter-store.js';

/**
 * torchvision's `RPNHead`: a shared 3x3 conv + ReLU, then 1x1 convs for objectness (A per location) and
 * box deltas (4A). Names under the scope (`rpn.head`): `conv.0.0.{weight,bias}`,
 * `cls_logits.{weight,bias}`, `bbox_pred.{weight,bias}`. Init N(0, 0.01), bias 0, as torchvision.
 */
export interface RpnHeadOutput {
  /** Per level `[N, H, W, A]` objectness logits (channel a = anchor a of the location). */
  readonly objectness: tf.Tensor4D[];
  /** Per level `[N, H, W, 4A]` deltas (channel 4a + k). */
  readonly deltas: tf.Tensor4D[];
}

function normalInit(conv: Conv2d, seed: number): void {
  const value = tf.randomNormal(conv.weight.shape, 0, 0.01, 'float32', seed);
  conv.weight.assign(value);
  value.dispose();
}

export class RpnHead {
  private readonly conv: Conv2d;
  private readonly classifier: Conv2d;
  private readonly regressor: Conv2d;

  constructor(
    scope: Scope,
    readonly inChannels: number,
    readonly anchorsPerLocation: number,
  ) {
    this.conv = new Conv2d(scope.child('conv').child(0).child(0), {
      inChannels,
      outChannels: inChannels,
      kernelSize: 3,
      padding: 1,
      bias: true,
    });
    this.classifier = new Conv2d(scope.child('cls_logits'), {
      inChannels,
      outChannels: anchorsPerLocation,
      kernelSize: 1,
      bias: true,
    });
    this.regressor = new Conv2d(scope.child('bbox_pred'), {
      inChannels,
      outChannels: 4 * anchorsPerLocation,
      kernelSize: 1,
      bias: true,
    });
    normalInit(this.conv, scope.seedFor('conv'));
    normalInit(this.classifier, scope.seedFor('cls_logits'));
    normalInit(this.regressor, scope.seedFor('bbox_pred'));
  }

  /** @param features pyramid levels `[N, H_l, W_l, inChannels]` */
  forward(features: readonly tf.Tensor4D[]): RpnHeadOutput {
    const objectness: tf.Tensor4D[] = [];
    const deltas: tf.Tensor4D[] = [];
    for (const feature of features) {
      const [o, d] = tf.tidy(() => {
        const hidden = tf.relu(this.conv.forward(feature)) as tf.Tensor4D;
        return [this.classifier.forward(hidden), this.regressor.forward(hidden)];
      });
      objectness.push(o);
      deltas.push(d);
    }
    return { objectness, deltas };
  }
}
