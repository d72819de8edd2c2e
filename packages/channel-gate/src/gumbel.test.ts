import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { gumbelSoftmax, gumbelSoftmaxHard, gumbelSoftmaxSoft, sampleGumbel } from './gumbel.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sampleGumbel', () => {
  it('has the Gumbel(0, 1) mean (Euler-Mascheroni 0.5772) and variance pi^2/6 over 400k samples', async () => {
    const noise = sampleGumbel([400_000], { seed: 1 });
    const values = await noise.data();
    noise.dispose();
    let sum = 0;
    for (const value of values) sum += value;
    const mean = sum / values.length;
    let squares = 0;
    for (const value of values) squares += (value - mean) ** 2;
    const variance = squares / (values.length - 1);
    // Standard errors: 1.28 / sqrt(4e5) = 0.002 for the mean, ~0.006 for the variance.
    expect(mean).toBeCloseTo(0.5772156649, 2);
    expect(Math.abs(variance - Math.PI ** 2 / 6)).toBeLessThan(0.03);
    // Median of Gumbel(0, 1) is -log(log 2) = 0.3665.
    const sorted = Float64Array.from(values).sort();
    expect(Math.abs(sorted[200_000] - 0.36651292)).toBeLessThan(0.01);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('is reproducible from its seed and differs between seeds', async () => {
    const a = sampleGumbel([4, 3, 2], { seed: 42 });
    const b = sampleGumbel([4, 3, 2], { seed: 42 });
    const c = sampleGumbel([4, 3, 2], { seed: 43 });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(Array.from(await a.data())).not.toEqual(Array.from(await c.data()));
    expect(a.shape).toEqual([4, 3, 2]);
    tf.dispose([a, b, c]);
  });

  it('returns an empty tensor for an empty shape and rejects bad shapes', () => {
    const empty = sampleGumbel([0, 2], { seed: 1 });
    expect(empty.shape).toEqual([0, 2]);
    empty.dispose();
    expect(() => sampleGumbel([2, -1])).toThrow(
      "sampleGumbel: argument 'shape' must be a list of non-negative integers, got 2,-1",
    );
  });
});

describe('gumbelSoftmaxSoft', () => {
  it('equals softmax((logits + noise) / tau) on a hand-computed case', async () => {
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    const zero = tf.zeros([1, 2]);
    const atOne = gumbelSoftmaxSoft(logits, zero, 1);
    const atHalf = gumbelSoftmaxSoft(logits, zero, 0.5);
    expect(Array.from(await atOne.data())).toEqual([expect.closeTo(0.25, 6), expect.closeTo(0.75, 6)]);
    // tau = 1/2 doubles the logit gap: softmax([0, 2 log 3]) = [1/10, 9/10].
    expect(Array.from(await atHalf.data())).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.9, 6)]);
    tf.dispose([logits, zero, atOne, atHalf]);
  });

  it('gets sharper as tau decreases', async () => {
    const logits = tf.randomNormal([512, 4], 0, 1, 'float32', 3);
    const noise = sampleGumbel([512, 4], { seed: 4 });
    const meanMaximum = async (tau: number) => {
      const maximum = tf.tidy(() => tf.mean(tf.max(gumbelSoftmaxSoft(logits, noise, tau), 1)));
      const value = (await maximum.data())[0];
      maximum.dispose();
      return value;
    };
    const sharpness = [
      await meanMaximum(10),
      await meanMaximum(1),
      await meanMaximum(0.1),
      await meanMaximum(0.01),
    ];
    expect(sharpness[0]).toBeLessThan(sharpness[1]);
    expect(sharpness[1]).toBeLessThan(sharpness[2]);
    expect(sharpness[2]).toBeLessThan(sharpness[3]);
    expect(sharpness[3]).toBeGreaterThan(0.99);
    tf.dispose([logits, noise]);
  });
});

describe('gumbelSoftmaxHard', () => {
  it('is exactly one-hot at argmax(logits + noise)', async () => {
    const logits = tf.randomNormal([64, 3, 5], 0, 2, 'float32', 5);
    const noise = sampleGumbel([64, 3, 5], { seed: 6 });
    const hard = gumbelSoftmaxHard(logits, noise, 0.7);
    const values = await hard.data();
    const perturbed = await tf.add(logits, noise).data();
    for (let row = 0; row < 64 * 3; row++) {
      let best = 0;
      for (let k = 1; k < 5; k++) if (perturbed[row * 5 + k] > perturbed[row * 5 + best]) best = k;
      for (let k = 0; k < 5; k++) expect(values[row * 5 + k]).toBe(k === best ? 1 : 0);
    }
    tf.dispose([logits, noise, hard]);
  });

  it('has the soft sample gradient (straight-through), finite and non-zero', async () => {
    const logits = tf.randomNormal([6, 4, 2], 0, 1, 'float32', 8);
    const noise = sampleGumbel([6, 4, 2], { seed: 9 });
    const weights = tf.randomNormal([6, 4, 2], 0, 1, 'float32', 10);
    for (const tau of [0.5, 1, 2]) {
      const hardGradient = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(gumbelSoftmaxHard(x, noise, tau), weights)),
      )(logits);
      const softGradient = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(gumbelSoftmaxSoft(x, noise, tau), weights)),
      )(logits);
      const hardValues = await hardGradient.data();
      const softValues = await softGradient.data();
      expect(hardValues.every(Number.isFinite)).toBe(true);
      expect(hardValues.some((value) => Math.abs(value) > 1e-4)).toBe(true);
      for (let i = 0; i < hardValues.length; i++) expect(hardValues[i]).toBeCloseTo(softValues[i], 6);
      tf.dispose([hardGradient, softGradient]);
    }
    tf.dispose([logits, noise, weights]);
  });

  it('leaks no tensors with or without a gradient tape', () => {
    const logits = tf.randomNormal([3, 2], 0, 1, 'float32', 1);
    const noise = sampleGumbel([3, 2], { seed: 2 });
    const before = tf.memory().numTensors;
    gumbelSoftmaxHard(logits, noise, 1).dispose();
    tf.grad((x: tf.Tensor) => tf.sum(gumbelSoftmaxHard(x, noise, 1)))(logits).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, noise]);
  });
});

describe('gumbelSoftmax', () => {
  it('is reproducible from its seed (same seed, same samples)', async () => {
    const logits = tf.zeros([32, 2]);
    const a = gumbelSoftmax(logits, { hard: true, seed: 77 });
    const b = gumbelSoftmax(logits, { hard: true, seed: 77 });
    const c = gumbelSoftmax(logits, { hard: true, seed: 78 });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(Array.from(await a.data())).not.toEqual(Array.from(await c.data()));
    tf.dispose([logits, a, b, c]);
  });

  it('samples categories with their softmax probabilities', async () => {
    // P = softmax([0, log 3]) = [0.25, 0.75]; over 20000 hard samples the share of category 1 is 0.75 +- 0.01.
    const logits = tf.tidy(() => tf.tile(tf.tensor2d([[0, Math.log(3)]]), [20_000, 1]));
    const hard = gumbelSoftmax(logits, { hard: true, seed: 12 });
    const share = tf.tidy(() => tf.mean(tf.slice(hard, [0, 1], [-1, 1])));
    expect((await share.data())[0]).toBeCloseTo(0.75, 1);
    expect(Math.abs((await share.data())[0] - 0.75)).toBeLessThan(0.01);
    tf.dispose([logits, hard, share]);
  });

  it('handles one category and an empty batch', async () => {
    const single = tf.tensor2d([[3], [-2]]);
    const soft = gumbelSoftmax(single, { seed: 1 });
    const hard = gumbelSoftmax(single, { seed: 1, hard: true });
    expect(Array.from(await soft.data())).toEqual([1, 1]);
    expect(Array.from(await hard.data())).toEqual([1, 1]);
    const empty = tf.zeros([0, 2]);
    const emptySample = gumbelSoftmax(empty, { hard: true, seed: 1 });
    expect(emptySample.shape).toEqual([0, 2]);
    tf.dispose([single, soft, hard, empty, emptySample]);
  });

  it('names function, argument and value in its errors and leaks nothing', () => {
    const logits = tf.zeros([2, 3]);
    const before = tf.memory().numTensors;
    expect(() => gumbelSoftmax(logits, { tau: 0 })).toThrow(
      "gumbelSoftmax: argument 'options.tau' must be a finite number > 0, got 0",
    );
    const wrongNoise = tf.zeros([2, 2]);
    expect(() => gumbelSoftmax(logits, { noise: wrongNoise })).toThrow(
      "gumbelSoftmax: argument 'options.noise' must have shape [2, 3], got [2, 2]",
    );
    const ints = tf.zeros([2, 3], 'int32');
    expect(() => gumbelSoftmax(ints)).toThrow("gumbelSoftmax: argument 'logits' must be float32, got int32");
    tf.dispose([wrongNoise, ints]);
    expect(tf.memory().numTensors).toBe(before);
    gumbelSoftmax(logits, { seed: 3, hard: true }).dispose();
    gumbelSoftmax(logits, { seed: 3 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    logits.dispose();
  });
});
