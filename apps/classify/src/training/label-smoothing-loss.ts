import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean cross-entropy with label smoothing, as PyTorch's `cross_entropy(label_smoothing=eps)`:
 * the target is (1 - eps) * onehot + eps / numClasses, the loss is -sum(target * logSoftmax(logits)).
 *
 * @param logits [batch, numClasses]
 * @param labels [batch] int32 class indices
 * @returns scalar
 */
export function labelSmoothingCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  smoothing = 0,
): tf.Scalar {
  if (logits.rank !== 2) {
    throw new ArgumentError(
      'labelSmoothingCrossEntropy',
      'logits',
      `must be [batch, numClasses], got shape [${logits.shape}]`,
    );
  }
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ArgumentError(
      'labelSmoothingCrossEntropy',
      'labels',
      `must be [${logits.shape[0]}], got shape [${labels.shape}]`,
    );
  }
  if (!(smoothing >= 0 && smoothing < 1)) {
    throw new ArgumentError('labelSmoothingCrossEntropy', 'smoothing', `must be in [0, 1), got ${smoothing}`);
  }
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const logProbabilities = tf.logSoftmax(logits);
    const onehot = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), numClasses), 'float32');
    const target = tf.add(tf.mul(onehot, 1 - smoothing), smoothing / numClasses);
    return tf.mean(tf.neg(tf.sum(tf.mul(target, logProbabilities), 1))) as tf.Scalar;
  });
}
