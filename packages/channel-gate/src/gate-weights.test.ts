import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createGateWeights,
  disposeGateWeights,
  gateTrainableVariables,
  initialGateWeightValues,
} from './gate-weights.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function standardDeviation(values: Float32Array): number {
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  return Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length);
}

describe('gate weights', () => {
  it('uses the official initialisation', () => {
    const values = initialGateWeightValues(192, { seed: 1 });
    expect(values.projectionBias.slice(0, 4)).toEqual(Float32Array.of(0.1, 2, 0.1, 2));
    expect(values.projectionBias.filter((_, i) => i % 2 === 0).every((b) => b === Math.fround(0.1))).toBe(
      true,
    );
    expect(values.projectionBias.filter((_, i) => i % 2 === 1).every((b) => b === 2)).toBe(true);
    // N(0, 0.001) over 384 values and Kaiming fan_out sqrt(2 / 192) = 0.102 over 36864 values.
    expect(standardDeviation(values.projectionKernel)).toBeGreaterThan(0.0009);
    expect(standardDeviation(values.projectionKernel)).toBeLessThan(0.0011);
    expect(standardDeviation(values.squeezeKernel)).toBeCloseTo(Math.sqrt(2 / 192), 2);
    expect(Array.from(values.normGamma).every((g) => g === 1)).toBe(true);
    expect(Array.from(values.normMovingVariance).every((v) => v === 1)).toBe(true);
    expect(Array.from(values.squeezeBias).every((b) => b === 0)).toBe(true);
  });

  it('is reproducible from its seed, with documented shapes', () => {
    expect(initialGateWeightValues(5, { seed: 3 })).toEqual(initialGateWeightValues(5, { seed: 3 }));
    expect(initialGateWeightValues(5, { seed: 3 }).squeezeKernel).not.toEqual(
      initialGateWeightValues(5, { seed: 4 }).squeezeKernel,
    );
    const weights = createGateWeights(5, { seed: 3, onBias: 1, offBias: -1 });
    expect(weights.squeezeKernel.shape).toEqual([5, 5]);
    expect(weights.projectionKernel.shape).toEqual([5, 2]);
    expect(weights.projectionBias.shape).toEqual([5, 2]);
    expect(weights.normMovingMean.shape).toEqual([5]);
    expect(Array.from(weights.projectionBias.dataSync().slice(0, 2))).toEqual([-1, 1]);
    expect(gateTrainableVariables(weights).every((v) => v.trainable)).toBe(true);
    expect(weights.normMovingMean.trainable).toBe(false);
    disposeGateWeights(weights);
  });

  it('creates one channel, names variables with a prefix and frees everything', () => {
    const before = tf.memory().numTensors;
    const weights = createGateWeights(1, { seed: 1, name: 'gate-test' });
    expect(weights.squeezeKernel.name).toBe('gate-test/squeezeKernel');
    disposeGateWeights(weights);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names argument and value in its errors', () => {
    expect(() => createGateWeights(0)).toThrow(
      "createGateWeights: argument 'channels' must be an integer >= 1, got 0",
    );
    expect(() => createGateWeights(2.5)).toThrow(
      "createGateWeights: argument 'channels' must be an integer >= 1, got 2.5",
    );
  });
});
