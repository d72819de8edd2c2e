import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ArgumentError } from '@fdl/dct-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTraining } from './batch-norm-training.js';

function maxRelative(a: tf.Tensor, b: tf.Tensor): number {
  const av = a.dataSync();
  const bv = b.dataSync();
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < bv.length; i++) {
    difference = Math.max(difference, Math.abs(av[i]! - bv[i]!));
    scale = Math.max(scale, Math.abs(bv[i]!));
  }
  return difference / scale;
}

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('normalizes with the biased batch statistics (hand-checked)', () => {
    // Channel 0 holds {1, 3}: mean 2, variance 1 -> x^ = {-1, 1}; channel 1 holds {0, 0}: x^ = 0.
    const x = tf.tensor4d([1, 0, 3, 0], [2, 1, 1, 2]);
    const { output, mean, variance } = batchNormTraining(x, tf.tensor1d([2, 1]), tf.tensor1d([10, 5]), {
      epsilon: 1e-12,
    });
    expect(Array.from(output.dataSync())).toEqual([8, 5, 12, 5]);
    expect(Array.from(mean.dataSync())).toEqual([2, 0]);
    expect(Array.from(variance.dataSync())).toEqual([1, 0]);
    tf.dispose([x, output, mean, variance]);
  });

  it('has the gradients of tf.moments + tf.batchNorm', () => {
    const x = tf.randomNormal([3, 4, 5, 6], 1, 2, 'float32', 1);
    const gamma = tf.randomNormal([6], 1, 0.5, 'float32', 2);
    const beta = tf.randomNormal([6], 0, 0.5, 'float32', 3);
    const upstream = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 4);
    const ours = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(batchNormTraining(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D).output, upstream),
      ),
    )([x, gamma, beta]);
    const reference = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      const y = tf.batchNorm4d(
        a as tf.Tensor4D,
        mean as tf.Tensor1D,
        variance as tf.Tensor1D,
        b as tf.Tensor1D,
        g as tf.Tensor1D,
        1e-5,
      );
      return tf.sum(tf.mul(y, upstream));
    })([x, gamma, beta]);
    for (let i = 0; i < 3; i++) expect(maxRelative(ours[i]!, reference[i]!)).toBeLessThan(1e-4);
  });

  it.each(['relu', 'relu6'] as const)('fuses %s with the gradients of the composition', (activation) => {
    const x = tf.randomNormal([2, 3, 4, 5], 0, 3, 'float32', 5);
    const gamma = tf.randomNormal([5], 3, 1, 'float32', 6);
    const beta = tf.randomNormal([5], 1, 2, 'float32', 7);
    const upstream = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 8);
    const apply = activation === 'relu' ? tf.relu : tf.relu6;
    const ours = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          batchNormTraining(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, { activation }).output,
          upstream,
        ),
      ),
    )([x, gamma, beta]);
    const reference = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          apply(batchNormTraining(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D).output),
          upstream,
        ),
      ),
    )([x, gamma, beta]);
    for (let i = 0; i < 3; i++) expect(maxRelative(ours[i]!, reference[i]!)).toBeLessThan(1e-4);
    const clipped = batchNormTraining(x as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D, {
      activation,
    }).output;
    expect(Math.min(...clipped.dataSync())).toBe(0);
  });

  it('keeps the statistics out of tidy and leaks nothing else', () => {
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 1);
    const gamma = tf.ones([4]) as tf.Tensor1D;
    const beta = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const statistics = tf.tidy(() => {
      const { mean, variance } = batchNormTraining(x as tf.Tensor4D, gamma, beta);
      return { mean, variance };
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(statistics.mean.isDisposed).toBe(false);
    tf.dispose([statistics.mean, statistics.variance]);
    tf.tidy(() => {
      tf.grad((a: tf.Tensor) => tf.sum(batchNormTraining(a as tf.Tensor4D, gamma, beta).output))(x);
    });
    // Only the two kept statistics of the gradient call remain.
    expect(tf.memory().numTensors).toBe(before + 2);
  });

  it('rejects mismatched shapes with ArgumentError naming the argument', () => {
    const x = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => batchNormTraining(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D)).toThrow(
      ArgumentError,
    );
    expect(() => batchNormTraining(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D)).toThrow(
      "batchNormTraining: argument 'gamma' must have shape [3], got [4]",
    );
    expect(() =>
      batchNormTraining(
        tf.zeros([0, 2, 2, 3]) as tf.Tensor4D,
        tf.ones([3]) as tf.Tensor1D,
        tf.zeros([3]) as tf.Tensor1D,
      ),
    ).toThrow("batchNormTraining: argument 'x' has no positions to normalize over, shape [0,2,2,3]");
  });
});
