import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateForward } from './gate-forward.js';
import {
  createGateWeights,
  createGateWeightsFrom,
  disposeGateWeights,
  type GateWeights,
  gateTrainableVariables,
} from './gate-weights.js';
import { sampleGumbel } from './gumbel.js';
import { gateRegularizer } from './regularizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A float64 re-implementation of the gate, written from the paper's description, as the oracle. */
function referenceGate(
  weights: GateWeights,
  input: { values: Float32Array; shape: number[] },
  training: boolean,
  noise: Float32Array | undefined,
  epsilon = 1e-5,
) {
  const [batch, height, width, channels] = input.shape;
  const read = (variable: tf.Variable) => Float64Array.from(variable.dataSync());
  const [kernel, squeezeBias, gamma, beta, movingMean, movingVariance, projection, projectionBias] = [
    weights.squeezeKernel,
    weights.squeezeBias,
    weights.normGamma,
    weights.normBeta,
    weights.normMovingMean,
    weights.normMovingVariance,
    weights.projectionKernel,
    weights.projectionBias,
  ].map(read);
  const squeezed: number[][] = [];
  for (let n = 0; n < batch; n++) {
    const pooled = new Array(channels).fill(0);
    for (let p = 0; p < height * width; p++) {
      for (let c = 0; c < channels; c++) pooled[c] += input.values[(n * height * width + p) * channels + c];
    }
    for (let c = 0; c < channels; c++) pooled[c] /= height * width;
    squeezed.push(
      Array.from({ length: channels }, (_, out) => {
        let sum = squeezeBias[out];
        for (let c = 0; c < channels; c++) sum += pooled[c] * kernel[c * channels + out];
        return sum;
      }),
    );
  }
  const mean = training
    ? Array.from({ length: channels }, (_, c) => squeezed.reduce((t, row) => t + row[c], 0) / batch)
    : Array.from(movingMean);
  const variance = training
    ? Array.from(
        { length: channels },
        (_, c) => squeezed.reduce((t, row) => t + (row[c] - mean[c]) ** 2, 0) / batch,
      )
    : Array.from(movingVariance);
  const logits: number[] = [];
  const probabilities: number[] = [];
  const mask: number[] = [];
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const normalized = ((squeezed[n][c] - mean[c]) / Math.sqrt(variance[c] + epsilon)) * gamma[c] + beta[c];
      const hidden = Math.max(0, normalized);
      const off = hidden * projection[2 * c] + projectionBias[2 * c];
      const on = hidden * projection[2 * c + 1] + projectionBias[2 * c + 1];
      logits.push(off, on);
      probabilities.push(1 / (1 + Math.exp(off - on)));
      const i = (n * channels + c) * 2;
      mask.push(noise ? (on + noise[i + 1] > off + noise[i] ? 1 : 0) : on > off ? 1 : 0);
    }
  }
  return { logits, probabilities, mask, mean, variance };
}

function randomWeights(channels: number, seed: number): GateWeights {
  const values = (count: number, scale: number, offset = 0) =>
    Float32Array.from(tf.randomNormal([count], offset, scale, 'float32', seed++).dataSync());
  return createGateWeightsFrom({
    channels,
    squeezeKernel: values(channels * channels, 0.5),
    squeezeBias: values(channels, 0.1),
    normGamma: values(channels, 0.2, 1),
    normBeta: values(channels, 0.2),
    normMovingMean: values(channels, 0.3),
    normMovingVariance: Float32Array.from(values(channels, 0.3), (v) => 0.5 + Math.abs(v)),
    projectionKernel: values(channels * 2, 2),
    projectionBias: values(channels * 2, 1),
  });
}

describe('gateForward', () => {
  it('computes the hand-checked mask of a two-channel gate', async () => {
    const weights = createGateWeightsFrom({
      channels: 2,
      squeezeKernel: Float32Array.of(1, 0, 0, 1),
      squeezeBias: new Float32Array(2),
      normGamma: Float32Array.of(1, 1),
      normBeta: new Float32Array(2),
      normMovingMean: new Float32Array(2),
      normMovingVariance: Float32Array.of(1, 1),
      projectionKernel: new Float32Array(4),
      // channel 0: off 0, on 1 -> P(on) = sigmoid(1) = 0.731; channel 1: off 0, on -1 -> 0.269
      projectionBias: Float32Array.of(0, 1, 0, -1),
    });
    const input = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const argmax = gateForward(weights, input);
    expect(Array.from(await argmax.mask.data())).toEqual([1, 0]);
    expect(Array.from(await argmax.output.data())).toEqual([1, 0, 3, 0, 5, 0, 7, 0]);
    expect(Array.from(await argmax.probabilities.data())).toEqual([
      expect.closeTo(1 / (1 + Math.exp(-1)), 6),
      expect.closeTo(1 / (1 + Math.exp(1)), 6),
    ]);
    expect(Array.from(await argmax.logits.data())).toEqual([0, 1, 0, -1]);
    const strict = gateForward(weights, input, { mode: 'threshold', threshold: 0.8 });
    expect(Array.from(await strict.mask.data())).toEqual([0, 0]);
    const loose = gateForward(weights, input, { mode: 'threshold', threshold: 0.2 });
    expect(Array.from(await loose.mask.data())).toEqual([1, 1]);
    tf.dispose([input, argmax, strict, loose] as never);
    disposeGateWeights(weights);
  });

  it('starts with P(on) = sigmoid(2 - 0.1) ~ 0.87 under the official initialisation', async () => {
    const weights = createGateWeights(192, { seed: 1 });
    const input = tf.randomNormal([4, 3, 3, 192], 0, 1, 'float32', 2);
    const result = gateForward(weights, input);
    const probabilities = await result.probabilities.data();
    for (const p of probabilities) expect(p).toBeCloseTo(1 / (1 + Math.exp(-1.9)), 2);
    expect(Array.from(await result.mask.data()).every((m) => m === 1)).toBe(true);
    tf.dispose([input, result] as never);
    disposeGateWeights(weights);
  });

  it('matches a float64 reference in training (batch statistics, hard noise) and inference', async () => {
    const weights = randomWeights(6, 30);
    const input = tf.randomNormal([5, 3, 2, 6], 0, 1, 'float32', 31);
    const inputValues = { values: Float32Array.from(await input.data()), shape: input.shape };
    const noise = sampleGumbel([5, 6, 2], { seed: 32 });
    const noiseValues = Float32Array.from(await noise.data());
    for (const training of [false, true]) {
      const expected = referenceGate(weights, inputValues, training, noiseValues);
      const result = gateForward(weights, input, {
        training,
        mode: 'hard',
        noise,
        updateMovingStatistics: false,
      });
      const logits = await result.logits.data();
      for (const [i, value] of expected.logits.entries()) expect(logits[i]).toBeCloseTo(value, 4);
      const probabilities = await result.probabilities.data();
      for (const [i, value] of expected.probabilities.entries())
        expect(probabilities[i]).toBeCloseTo(value, 5);
      expect(Array.from(await result.mask.data())).toEqual(expected.mask);
      expect(expected.mask.filter((m) => m === 0).length).toBeGreaterThan(3);
      const output = await result.output.data();
      for (let i = 0; i < output.length; i++) {
        expect(output[i]).toBe(inputValues.values[i] * expected.mask[Math.floor(i / 36) * 6 + (i % 6)]);
      }
      tf.dispose(result as never);
    }
    tf.dispose([input, noise]);
    disposeGateWeights(weights);
  });

  it('updates the moving statistics with PyTorch semantics (momentum 0.1, unbiased variance)', async () => {
    const weights = randomWeights(3, 40);
    const input = tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 41);
    const before = {
      mean: Array.from(weights.normMovingMean.dataSync()),
      variance: Array.from(weights.normMovingVariance.dataSync()),
    };
    const expected = referenceGate(
      weights,
      { values: Float32Array.from(input.dataSync()), shape: input.shape },
      true,
      undefined,
    );
    tf.dispose(gateForward(weights, input, { training: true, seed: 1 }) as never);
    const mean = await weights.normMovingMean.data();
    const variance = await weights.normMovingVariance.data();
    for (let c = 0; c < 3; c++) {
      expect(mean[c]).toBeCloseTo(0.9 * before.mean[c] + 0.1 * expected.mean[c], 5);
      expect(variance[c]).toBeCloseTo(0.9 * before.variance[c] + 0.1 * ((expected.variance[c] * 4) / 3), 5);
    }
    tf.dispose(input);
    disposeGateWeights(weights);
  });

  it('gives the same masks for the same seed, exactly binary hard masks and soft masks in (0, 1)', async () => {
    const weights = randomWeights(8, 50);
    const input = tf.randomNormal([6, 2, 2, 8], 0, 1, 'float32', 51);
    const a = gateForward(weights, input, { mode: 'stochastic', seed: 9 });
    const b = gateForward(weights, input, { mode: 'stochastic', seed: 9 });
    const c = gateForward(weights, input, { mode: 'stochastic', seed: 10 });
    const maskA = Array.from(await a.mask.data());
    expect(maskA).toEqual(Array.from(await b.mask.data()));
    expect(maskA).not.toEqual(Array.from(await c.mask.data()));
    expect(maskA.every((m) => m === 0 || m === 1)).toBe(true);
    const soft = gateForward(weights, input, { mode: 'soft', seed: 9, tau: 2 });
    const softMask = await soft.mask.data();
    expect(softMask.every((m) => m > 0 && m < 1)).toBe(true);
    tf.dispose([input, a, b, c, soft] as never);
    disposeGateWeights(weights);
  });

  it('sends finite, non-zero straight-through gradients to every trainable gate weight', async () => {
    const weights = randomWeights(4, 60);
    const input = tf.randomNormal([8, 2, 2, 4], 0, 1, 'float32', 61);
    const target = tf.randomNormal([8, 2, 2, 4], 0, 1, 'float32', 62);
    const { grads, value } = tf.variableGrads(() => {
      const result = gateForward(weights, input, {
        training: true,
        mode: 'hard',
        seed: 3,
        updateMovingStatistics: false,
      });
      return tf.add(tf.sum(tf.mul(result.output, target)), tf.sum(result.mask)) as tf.Scalar;
    }, gateTrainableVariables(weights));
    for (const variable of gateTrainableVariables(weights)) {
      const gradient = await grads[variable.name].data();
      expect(gradient.every(Number.isFinite)).toBe(true);
      if (variable === weights.squeezeBias) {
        // Batch norm in training mode subtracts the batch mean, so a bias before it has zero gradient.
        expect(gradient.every((g) => Math.abs(g) < 1e-5)).toBe(true);
      } else {
        expect(gradient.some((g) => Math.abs(g) > 1e-6)).toBe(true);
      }
    }
    tf.dispose([input, target, value, ...Object.values(grads)]);
    disposeGateWeights(weights);
  });

  it('gives the gate weights the soft-mode gradient in hard mode when the loss is linear in the mask', async () => {
    const weights = randomWeights(5, 63);
    const input = tf.randomNormal([6, 2, 2, 5], 0, 1, 'float32', 64);
    const target = tf.randomNormal([6, 2, 2, 5], 0, 1, 'float32', 65);
    const noise = sampleGumbel([6, 5, 2], { seed: 66 });
    const gradients = async (mode: 'hard' | 'soft') => {
      const { value, grads } = tf.variableGrads(() => {
        const result = gateForward(weights, input, {
          training: true,
          mode,
          tau: 0.7,
          noise,
          updateMovingStatistics: false,
        });
        return tf.add(
          tf.sum(tf.mul(result.output, target)),
          gateRegularizer(result.mask, { lambda: 0.3 }),
        ) as tf.Scalar;
      }, gateTrainableVariables(weights));
      const values = await Promise.all(gateTrainableVariables(weights).map((v) => grads[v.name].data()));
      tf.dispose([value, ...Object.values(grads)]);
      return values;
    };
    const hard = await gradients('hard');
    const soft = await gradients('soft');
    for (let v = 0; v < hard.length; v++) {
      for (let i = 0; i < hard[v].length; i++) {
        expect(Math.abs(hard[v][i] - soft[v][i])).toBeLessThan(1e-4 * (1 + Math.abs(soft[v][i])));
      }
    }
    expect(hard[5].some((g) => Math.abs(g) > 1e-3)).toBe(true);
    tf.dispose([input, target, noise]);
    disposeGateWeights(weights);
  });

  it('has the finite-difference gradient in soft mode (training batch norm included)', async () => {
    const weights = randomWeights(3, 65);
    const input = tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 66);
    const target = tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 67);
    const noise = sampleGumbel([4, 3, 2], { seed: 68 });
    const loss = () =>
      tf.tidy(() => {
        const result = gateForward(weights, input, {
          training: true,
          mode: 'soft',
          tau: 0.8,
          noise,
          updateMovingStatistics: false,
        });
        return tf.sum(tf.mul(result.output, target)) as tf.Scalar;
      });
    const { grads } = tf.variableGrads(loss, [
      weights.squeezeKernel,
      weights.projectionKernel,
      weights.normGamma,
    ]);
    for (const variable of [weights.squeezeKernel, weights.projectionKernel, weights.normGamma]) {
      const analytic = await grads[variable.name].data();
      const original = Float32Array.from(await variable.data());
      for (let i = 0; i < original.length; i++) {
        const step = 1e-2;
        const shifted = (delta: number) => {
          const values = Float32Array.from(original);
          values[i] += delta;
          tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
          const value = loss();
          const result = value.dataSync()[0];
          value.dispose();
          return result;
        };
        const numeric = (shifted(step) - shifted(-step)) / (2 * step);
        tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
        expect(Math.abs(analytic[i] - numeric), `${variable.name}[${i}]`).toBeLessThan(
          2e-2 * (1 + Math.abs(numeric)),
        );
      }
    }
    tf.dispose([input, target, noise, ...Object.values(grads)]);
    disposeGateWeights(weights);
  });

  it('handles 1x1 and odd spatial sizes', async () => {
    const weights = randomWeights(3, 70);
    for (const [h, w] of [
      [1, 1],
      [3, 5],
    ]) {
      const input = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 71);
      const expected = referenceGate(
        weights,
        { values: Float32Array.from(input.dataSync()), shape: input.shape },
        false,
        undefined,
      );
      const result = gateForward(weights, input);
      expect(result.output.shape).toEqual([2, h, w, 3]);
      expect(Array.from(await result.mask.data())).toEqual(expected.mask);
      tf.dispose([input, result] as never);
    }
    disposeGateWeights(weights);
  });

  it('passes an empty batch through at inference', () => {
    const weights = randomWeights(3, 75);
    const input = tf.zeros([0, 2, 2, 3]);
    const result = gateForward(weights, input, { mode: 'stochastic', seed: 1 });
    expect([result.output.shape, result.mask.shape, result.logits.shape]).toEqual([
      [0, 2, 2, 3],
      [0, 3],
      [0, 3, 2],
    ]);
    tf.dispose([input, result as never]);
    disposeGateWeights(weights);
  });

  it('leaks no tensors in inference and training', () => {
    const weights = randomWeights(4, 80);
    const input = tf.randomNormal([3, 2, 2, 4], 0, 1, 'float32', 81);
    const before = tf.memory().numTensors;
    for (const mode of ['argmax', 'threshold', 'stochastic', 'soft', 'hard'] as const) {
      tf.dispose(gateForward(weights, input, { mode }) as never);
      tf.dispose(gateForward(weights, input, { mode, training: true }) as never);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(input);
    disposeGateWeights(weights);
  });

  it('names function, argument and actual shape in its errors', () => {
    const weights = randomWeights(4, 90);
    const wrong = tf.zeros([2, 3, 3, 5]);
    const single = tf.zeros([1, 3, 3, 4]);
    const right = tf.zeros([2, 3, 3, 4]);
    expect(() => gateForward(weights, wrong)).toThrow(
      "gateForward: argument 'input' must be [batch, H, W, 4], got shape [2, 3, 3, 5]",
    );
    expect(() => gateForward(weights, single, { training: true })).toThrow(
      "gateForward: argument 'input' needs a batch of at least 2 in training mode (batch norm over pooled vectors), got shape [1, 3, 3, 4]",
    );
    expect(() => gateForward(weights, right, { mode: 'sometimes' as never })).toThrow(
      "gateForward: argument 'options.mode' must be one of hard, soft, stochastic, argmax, threshold, got 'sometimes'",
    );
    expect(() => gateForward(weights, right, { mode: 'threshold', threshold: 1.5 })).toThrow(
      "gateForward: argument 'options.threshold' must be a number in [0, 1], got 1.5",
    );
    const noise = tf.zeros([2, 4]);
    expect(() => gateForward(weights, right, { mode: 'hard', noise })).toThrow(
      "gateForward: argument 'options.noise' must have shape [2, 4, 2], got [2, 4]",
    );
    tf.dispose([wrong, single, right, noise]);
    disposeGateWeights(weights);
  });
});

describe('gateForward on the wasm backend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the cpu result forward and backward', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const weights = createGateWeights(6, { seed: 100 });
      const input = tf.randomNormal([4, 3, 3, 6], 0, 1, 'float32', 101);
      const noise = sampleGumbel([4, 6, 2], { seed: 102 });
      const { grads, value } = tf.variableGrads(() => {
        const result = gateForward(weights, input, { training: true, mode: 'hard', noise });
        return tf.add(tf.sum(tf.square(result.output)), tf.sum(result.mask)) as tf.Scalar;
      }, gateTrainableVariables(weights));
      const evaluation = gateForward(weights, input, { mode: 'argmax' });
      const outcome = {
        loss: (await value.data())[0],
        gradients: gateTrainableVariables(weights).map((v) => Array.from(grads[v.name].dataSync())),
        probabilities: Array.from(await evaluation.probabilities.data()),
      };
      tf.dispose([input, noise, value, ...Object.values(grads), evaluation as never]);
      disposeGateWeights(weights);
      return outcome;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 3);
    for (const [i, p] of wasm.probabilities.entries()) expect(p).toBeCloseTo(cpu.probabilities[i], 5);
    for (const [v, gradient] of wasm.gradients.entries()) {
      for (const [i, g] of gradient.entries()) {
        expect(Math.abs(g - cpu.gradients[v][i])).toBeLessThan(1e-3 * (1 + Math.abs(cpu.gradients[v][i])));
      }
    }
  });
});
