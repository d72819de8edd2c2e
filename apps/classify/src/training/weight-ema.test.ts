import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightEma } from './weight-ema.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('WeightEma', () => {
  it('updates as decay * ema + (1 - decay) * value', () => {
    const ema = new WeightEma({ w: tf.tensor([1, 2]) }, { decay: 0.9, warmup: false });
    ema.update({ w: tf.tensor([11, 12]) });
    const first = Array.from(ema.stateDict().w.dataSync());
    expect(first[0]).toBeCloseTo(2, 5);
    expect(first[1]).toBeCloseTo(3, 5);
    ema.update({ w: tf.tensor([2, 3]) });
    expect(ema.stateDict().w.dataSync()[0]).toBeCloseTo(0.9 * 2 + 0.1 * 2, 5);
    expect(ema.updateCount).toBe(2);
  });

  it('warmup uses min(decay, (1 + t) / (10 + t))', () => {
    const ema = new WeightEma({ w: tf.tensor([0]) }, { decay: 0.99, warmup: true });
    expect(ema.currentDecay()).toBeCloseTo(0.1, 12);
    ema.update({ w: tf.tensor([10]) });
    // 0.1 * 0 + 0.9 * 10
    expect(ema.stateDict().w.dataSync()[0]).toBeCloseTo(9, 5);
    expect(ema.currentDecay()).toBeCloseTo(2 / 11, 12);
  });

  it('copies integer buffers instead of averaging them', () => {
    const ema = new WeightEma({ n: tf.tensor([1], [1], 'int32') }, { decay: 0.5, warmup: false });
    ema.update({ n: tf.tensor([7], [1], 'int32') });
    expect(Array.from(ema.stateDict().n.dataSync())).toEqual([7]);
  });

  it('does not leak tensors per update and names a missing tensor', () => {
    const ema = new WeightEma({ w: tf.tensor([1]) }, { decay: 0.5, warmup: false });
    const value = { w: tf.tensor([3]) };
    ema.update(value);
    const before = tf.memory().numTensors;
    ema.update(value);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => ema.update({})).toThrow("WeightEma.update: argument 'current' has no tensor 'w'");
  });
});
