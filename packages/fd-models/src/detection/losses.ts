import * as tf from '@tensorflow/tfjs-core';

/**
 * Loss building blocks written with masks instead of gathers: every op here has a gradient on every
 * tfjs backend, and a 0/1 weight tensor selects the sampled elements exactly as torchvision's indexing.
 */

/** Elementwise smooth-L1 (Huber) of `input - target`: `0.5 d^2 / beta` below beta, `d - 0.5 beta` above. */
export function smoothL1(input: tf.Tensor, target: tf.Tensor, beta: number): tf.Tensor {
  return tf.tidy(() => {
    const distance = tf.abs(tf.sub(input, target));
    if (beta === 0) return distance;
    // min(d, beta) splits the two branches without tf.where: 0.5 m^2 / beta + (d - m)
    const inner = tf.minimum(distance, beta);
    return tf.add(tf.mul(tf.square(inner), 0.5 / beta), tf.sub(distance, inner));
  });
}

/** Elementwise `binary_cross_entropy_with_logits`, stable: `max(x, 0) - x z + log(1 + exp(-|x|))`. */
export function binaryCrossEntropyWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
  );
}

/** Mean `cross_entropy(logits, labels)` over rows: `[K, C]` logits, `[K]` integer labels. */
export function crossEntropy(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.tidy(() => {
    const [rows, classes] = logits.shape;
    if (rows === 0) return tf.mul(tf.sum(logits), 0) as tf.Scalar;
    const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot))), rows) as tf.Scalar;
  });
}
