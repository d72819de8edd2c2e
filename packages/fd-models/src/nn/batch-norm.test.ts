import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm2d } from './batch-norm.js';
import { ParameterStore, Scope } from './parameter-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('BatchNorm2d', () => {
  it('training: normalises with batch statistics and applies torch running averages after the step', () => {
    const store = new ParameterStore();
    const norm = new BatchNorm2d(new Scope(store, 'bn', 0), 1);
    // One channel, values 1, 2, 3, 4: mean 2.5, biased variance 1.25, unbiased 5/3.
    const x = tf.tensor4d([1, 2, 3, 4], [2, 1, 2, 1]);
    const y = norm.forward(x, true);
    const expected = [1, 2, 3, 4].map((v) => (v - 2.5) / Math.sqrt(1.25 + 1e-5));
    for (const [i, v] of Array.from(y.dataSync()).entries()) expect(v).toBeCloseTo(expected[i], 6);
    expect(norm.pendingUpdates).toBe(1);
    expect(norm.runningMean.dataSync()[0]).toBe(0);
    norm.applyPendingUpdates();
    expect(norm.pendingUpdates).toBe(0);
    expect(norm.runningMean.dataSync()[0]).toBeCloseTo(0.25, 7);
    expect(norm.runningVar.dataSync()[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6);
    tf.dispose([x, y]);
    store.dispose();
  });

  it('eval and frozen: running statistics, nothing queued', () => {
    const store = new ParameterStore();
    const norm = new BatchNorm2d(new Scope(store, 'bn', 0), 2);
    norm.runningMean.assign(tf.tensor1d([1, -1]));
    norm.runningVar.assign(tf.tensor1d([4, 0.25]));
    const x = tf.tensor4d([3, 0, 5, -2], [1, 1, 2, 2]);
    const y = norm.forward(x, false);
    const e = 1e-5;
    const expected = [
      2 / Math.sqrt(4 + e),
      1 / Math.sqrt(0.25 + e),
      4 / Math.sqrt(4 + e),
      -1 / Math.sqrt(0.25 + e),
    ];
    for (const [i, v] of Array.from(y.dataSync()).entries()) expect(v).toBeCloseTo(expected[i], 5);
    norm.frozen = true;
    const z = norm.forward(x, true);
    expect(Array.from(z.dataSync())).toEqual(Array.from(y.dataSync()));
    expect(norm.pendingUpdates).toBe(0);
    tf.dispose([x, y, z]);
    store.dispose();
  });

  it('discards queued statistics without leaks and rejects a single value per channel in training', () => {
    const store = new ParameterStore();
    const norm = new BatchNorm2d(new Scope(store, 'layer1.0.bn1', 0), 3);
    const x = tf.ones([2, 2, 2, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      norm.forward(x, true);
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    norm.discardPendingUpdates();
    expect(tf.memory().numTensors).toBe(before);
    const single = tf.ones([1, 1, 1, 3]) as tf.Tensor4D;
    expect(() => norm.forward(single, true)).toThrow(
      "BatchNorm2d: argument 'x' needs more than one value per channel in training mode, got shape [1,1,1,3] (layer1.0.bn1)",
    );
    tf.dispose([x, single]);
    store.dispose();
  });
});
