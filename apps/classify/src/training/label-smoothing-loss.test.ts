import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelSmoothingCrossEntropy } from './label-smoothing-loss.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function handLoss(logits: number[][], labels: number[], eps: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i];
    const max = Math.max(...row);
    const logSum = Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) + max;
    const k = row.length;
    for (let c = 0; c < k; c++) {
      const q = (c === labels[i] ? 1 - eps : 0) + eps / k;
      total -= q * (row[c] - logSum);
    }
  }
  return total / logits.length;
}

describe('labelSmoothingCrossEntropy', () => {
  it('equals a hand computation with and without smoothing', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, -1],
    ];
    const labels = [0, 2];
    for (const eps of [0, 0.1, 0.5]) {
      const loss = labelSmoothingCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'), eps);
      expect(loss.dataSync()[0]).toBeCloseTo(handLoss(logits, labels, eps), 5);
      loss.dispose();
    }
  });

  it('is log(K) for uniform logits whatever the smoothing', () => {
    const loss = labelSmoothingCrossEntropy(tf.zeros([1, 4]) as tf.Tensor2D, tf.tensor1d([3], 'int32'), 0.2);
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(4), 6);
  });

  it('keeps no tensors', () => {
    const logits = tf.tensor2d([[1, 2]]);
    const labels = tf.tensor1d([1], 'int32');
    const before = tf.memory().numTensors;
    labelSmoothingCrossEntropy(logits, labels, 0.1).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects mismatched labels and a bad smoothing with clear messages', () => {
    expect(() =>
      labelSmoothingCrossEntropy(tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0], 'int32')),
    ).toThrow("labelSmoothingCrossEntropy: argument 'labels' must be [2], got shape [1]");
    expect(() =>
      labelSmoothingCrossEntropy(tf.zeros([1, 3]) as tf.Tensor2D, tf.tensor1d([0], 'int32'), 1),
    ).toThrow(/'smoothing' must be in \[0, 1\), got 1/);
  });
});
