import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../nn/linear.js';
import type { Scope } from '../nn/parameter-store.js';

/**
 * torchvision's `TwoMLPHead` (`roi_heads.box_head`: `fc6`, `fc7`, ReLU after each) and
 * `FastRCNNPredictor` (`roi_heads.box_predictor`: `cls_score`, `bbox_pred`). Pooled features are
 * flattened in torch's (C, H, W) order so torchvision's fc6 weights apply unchanged.
 */
export class TwoMlpHead {
  private readonly fc6: Linear;
  private readonly fc7: Linear;

  constructor(scope: Scope, inFeatures: number, representationSize: number) {
    this.fc6 = new Linear(scope.child('fc6'), inFeatures, representationSize);
    this.fc7 = new Linear(scope.child('fc7'), representationSize, representationSize);
  }

  /** `[K, 7, 7, C]` -> `[K, representationSize]` */
  forward(pooled: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const [rois, height, width, channels] = pooled.shape;
      const flat = tf.reshape(tf.transpose(pooled, [0, 3, 1, 2]), [
        rois,
        channels * height * width,
      ]) as tf.Tensor2D;
      return tf.relu(this.fc7.forward(tf.relu(this.fc6.forward(flat)) as tf.Tensor2D)) as tf.Tensor2D;
    });
  }
}

export class FastRcnnPredictor {
  private readonly classifier: Linear;
  private readonly regressor: Linear;

  constructor(
    scope: Scope,
    inFeatures: number,
    readonly numClasses: number,
  ) {
    this.classifier = new Linear(scope.child('cls_score'), inFeatures, numClasses);
    this.regressor = new Linear(scope.child('bbox_pred'), inFeatures, numClasses * 4);
  }

  /** `[K, in]` -> class logits `[K, numClasses]`, box codes `[K, numClasses * 4]` */
  forward(x: tf.Tensor2D): { classLogits: tf.Tensor2D; boxRegression: tf.Tensor2D } {
    return { classLogits: this.classifier.forward(x), boxRegression: this.regressor.forward(x) };
  }
}
