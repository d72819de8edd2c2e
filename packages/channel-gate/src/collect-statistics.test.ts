import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectGateStatistics } from './collect-statistics.js';
import { channelGate } from './gate-layer.js';
import { createGateWeightsFrom, disposeGateWeights } from './gate-weights.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A gate whose P(on) is fixed per channel by its biases: sigmoid(on - off) = 0.1, 0.5, 0.9. */
function fixedGate() {
  const logit = (p: number) => Math.log(p / (1 - p));
  return createGateWeightsFrom({
    channels: 3,
    squeezeKernel: new Float32Array(9),
    squeezeBias: new Float32Array(3),
    normGamma: Float32Array.of(1, 1, 1),
    normBeta: new Float32Array(3),
    normMovingMean: new Float32Array(3),
    normMovingVariance: Float32Array.of(1, 1, 1),
    projectionKernel: new Float32Array(6),
    projectionBias: Float32Array.of(0, logit(0.1), 0, logit(0.5) + 1e-3, 0, logit(0.9)),
  });
}

describe('collectGateStatistics', () => {
  it('counts deterministic selections and averages P(on) over all batches', async () => {
    const gate = fixedGate();
    const batches = [tf.ones([2, 2, 2, 3]), tf.ones([3, 1, 1, 3])];
    const { selections, probabilities } = await collectGateStatistics(gate, batches, {
      withProbabilities: true,
    });
    expect(selections.samples).toBe(5);
    expect(Array.from(selections.frequencies())).toEqual([0, 1, 1]);
    const mean = probabilities!.frequencies();
    expect(mean[0]).toBeCloseTo(0.1, 5);
    expect(mean[2]).toBeCloseTo(0.9, 5);
    const strict = await collectGateStatistics(gate, batches, { mode: 'threshold', threshold: 0.7 });
    expect(Array.from(strict.selections.frequencies())).toEqual([0, 0, 1]);
    tf.dispose(batches);
    disposeGateWeights(gate);
  });

  it('samples channels at their P(on) in stochastic mode, reproducibly from the seed', async () => {
    const gate = fixedGate();
    const batch = tf.ones([4000, 1, 1, 3]);
    async function* twice() {
      yield batch;
      yield batch;
    }
    const first = await collectGateStatistics(gate, twice(), { mode: 'stochastic', seed: 5 });
    const again = await collectGateStatistics(gate, twice(), { mode: 'stochastic', seed: 5 });
    const frequencies = first.selections.frequencies();
    // 8000 Bernoulli draws per channel: standard error <= 0.006.
    expect(Math.abs(frequencies[0] - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(frequencies[1] - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(frequencies[2] - 0.9)).toBeLessThan(0.02);
    expect(again.selections.toJSON()).toEqual(first.selections.toJSON());
    batch.dispose();
    disposeGateWeights(gate);
  });

  it('accepts a ChannelGate layer, handles no batches and leaks nothing', async () => {
    const layer = channelGate({ seed: 1 });
    const x = tf.ones([2, 2, 2, 4]);
    (layer.apply(x) as tf.Tensor).dispose();
    const before = tf.memory().numTensors;
    const { selections } = await collectGateStatistics(layer, [x, x], { mode: 'stochastic', seed: 1 });
    expect(selections.samples).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    const empty = await collectGateStatistics(layer, []);
    expect(empty.selections.samples).toBe(0);
    x.dispose();
    layer.dispose();
  });

  it('names argument and value in its errors', async () => {
    const gate = fixedGate();
    await expect(collectGateStatistics(gate, [], { mode: 'hard' as never })).rejects.toThrow(
      "collectGateStatistics: argument 'options.mode' must be 'argmax', 'threshold' or 'stochastic', got 'hard'",
    );
    const wrong = tf.ones([1, 2, 2, 5]);
    await expect(collectGateStatistics(gate, [wrong])).rejects.toThrow(
      "gateForward: argument 'input' must be [batch, H, W, 3], got shape [1, 2, 2, 5]",
    );
    wrong.dispose();
    disposeGateWeights(gate);
  });
});
