import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientAccumulator } from './gradient-accumulator.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GradientAccumulator', () => {
  it('averages the gradients of N micro-batches and reports when an update is due', () => {
    const accumulator = new GradientAccumulator(3);
    expect(accumulator.add({ w: tf.tensor([1, 2]) })).toBe(false);
    expect(accumulator.add({ w: tf.tensor([3, 4]) })).toBe(false);
    expect(accumulator.add({ w: tf.tensor([5, 9]) })).toBe(true);
    const mean = accumulator.takeMean();
    expect(Array.from(mean.w.dataSync())).toEqual([3, 5]);
    expect(accumulator.pending).toBe(0);
  });

  it('with one step passes a copy through', () => {
    const accumulator = new GradientAccumulator(1);
    const g = tf.tensor([2]);
    expect(accumulator.add({ w: g })).toBe(true);
    const mean = accumulator.takeMean();
    expect(mean.w).not.toBe(g);
    expect(mean.w.dataSync()[0]).toBe(2);
  });

  it('holds no tensors after takeMean besides the result', () => {
    const g = tf.tensor([1]);
    const before = tf.memory().numTensors;
    const accumulator = new GradientAccumulator(2);
    accumulator.add({ w: g });
    accumulator.add({ w: g });
    const mean = accumulator.takeMean();
    expect(tf.memory().numTensors).toBe(before + 1);
    mean.w.dispose();
  });

  it('rejects a step count below 1', () => {
    expect(() => new GradientAccumulator(0)).toThrow(
      "GradientAccumulator: argument 'steps' must be a positive integer, got 0",
    );
  });
});
