import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradientsByGlobalNorm } from './gradient-clipping.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('clipGradientsByGlobalNorm', () => {
  it('measures the global norm across tensors (3-4-12-13) and scales to maxNorm', () => {
    const g = { a: tf.tensor([3, 4]), b: tf.tensor([[12]]) };
    const result = clipGradientsByGlobalNorm(g, 6.5);
    expect(result.norm).toBeCloseTo(13, 6);
    expect(result.clipped).toBe(true);
    const scale = 6.5 / (13 + 1e-6);
    expect(Array.from(result.gradients.a.dataSync())[0]).toBeCloseTo(3 * scale, 6);
    expect(Array.from(result.gradients.b.dataSync())[0]).toBeCloseTo(12 * scale, 6);
  });

  it('leaves gradients under the limit untouched (same tensors)', () => {
    const g = { a: tf.tensor([0.3, 0.4]) };
    const result = clipGradientsByGlobalNorm(g, 1);
    expect(result.norm).toBeCloseTo(0.5, 6);
    expect(result.clipped).toBe(false);
    expect(result.gradients.a).toBe(g.a);
  });

  it('only measures when maxNorm is 0 or Infinity, and handles no gradients', () => {
    const g = { a: tf.tensor([30, 40]) };
    expect(clipGradientsByGlobalNorm(g, 0)).toMatchObject({ norm: 50, clipped: false });
    expect(clipGradientsByGlobalNorm(g, Number.POSITIVE_INFINITY).clipped).toBe(false);
    expect(clipGradientsByGlobalNorm({}, 1).norm).toBe(0);
  });

  it('reports a NaN norm without clipping, so the NaN guard can stop', () => {
    const result = clipGradientsByGlobalNorm({ a: tf.tensor([Number.NaN]) }, 1);
    expect(Number.isNaN(result.norm)).toBe(true);
    expect(result.clipped).toBe(false);
  });

  it('rejects a NaN limit', () => {
    expect(() => clipGradientsByGlobalNorm({}, Number.NaN)).toThrow(
      "clipGradientsByGlobalNorm: argument 'maxNorm'",
    );
  });
});
