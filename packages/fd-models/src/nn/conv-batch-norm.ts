import * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm2d } from './batch-norm.js';
import type { Conv2d } from './conv2d.js';

/** The activation after a conv + BatchNorm pair. */
export type ConvActivation = 'linear' | 'relu' | 'relu6';

/**
 * `activation(norm(conv(x)))`. At inference (`training` false) the BatchNorm is folded into the
 * convolution (one fused conv + bias + activation op instead of conv, batch norm and activation passes);
 * in training mode the layers run one after the other, so batch statistics and every gradient (frozen
 * BatchNorm included) behave exactly as in torch. The folded filter is cached per convolution (see
 * `Conv2d.forwardFolded`): the first inference call allocates it, later calls reuse it until a weight
 * changes, and `dispose()` of the network frees it.
 */
export function convBatchNorm(
  conv: Conv2d,
  norm: BatchNorm2d,
  x: tf.Tensor4D,
  training: boolean,
  activation: ConvActivation,
): tf.Tensor4D {
  return tf.tidy(() => {
    if (!training) return conv.forwardFolded(x, norm, activation);
    // Training changes the weights: drop the folded copy now rather than hold stale memory.
    conv.clearFoldCache();
    const y = norm.forward(conv.forward(x), training);
    if (activation === 'relu') return tf.relu(y);
    if (activation === 'relu6') return tf.relu6(y);
    return y;
  });
}
