import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { gateForward } from '../src/gate-forward.js';
import { createGateWeights, disposeGateWeights, gateTrainableVariables } from '../src/gate-weights.js';
import {
  formatLambdaSweepMarkdown,
  type LambdaSweepResult,
  summarizeLambdaSweep,
} from '../src/lambda-sweep.js';
import { createUniformSource } from '../src/random.js';
import { gateRegularizer } from '../src/regularizer.js';
import { GateStatistics } from '../src/statistics.js';
import { temperatureAt } from '../src/temperature.js';

/**
 * A synthetic frequency cube [batch, 4, 4, 16] whose label lives only in channels 0..3: those carry a
 * class-dependent mean shift, the other 12 channels are pure noise. A gate trained with lambda > 0
 * should switch the 12 noise channels off and keep accuracy; with lambda = 0 nothing pushes it to.
 */
const CHANNELS = 16;
const INFORMATIVE = [0, 1, 2, 3];
const SIDE = 4;

function makeBatch(size: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D; labels: number[] } {
  const source = createUniformSource(seed);
  const normal = () => Math.sqrt(-2 * Math.log(source.next())) * Math.cos(2 * Math.PI * source.next());
  const values = new Float32Array(size * SIDE * SIDE * CHANNELS);
  const labels: number[] = [];
  for (let n = 0; n < size; n++) {
    const label = source.next() < 0.5 ? 0 : 1;
    labels.push(label);
    for (let p = 0; p < SIDE * SIDE; p++) {
      for (let c = 0; c < CHANNELS; c++) {
        const shift = INFORMATIVE.includes(c) ? (label === 1 ? 0.6 : -0.6) : 0;
        values[(n * SIDE * SIDE + p) * CHANNELS + c] = normal() + shift;
      }
    }
  }
  return {
    x: tf.tensor4d(values, [size, SIDE, SIDE, CHANNELS]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 2), 'float32')) as tf.Tensor2D,
    labels,
  };
}

interface LearningOutcome {
  frequencies: number[];
  accuracy: number;
  statistics: GateStatistics;
}

async function trainGate(
  lambda: number,
  steps: number,
  mode: 'hard' | 'soft' = 'hard',
): Promise<LearningOutcome> {
  const gate = createGateWeights(CHANNELS, { seed: 7 });
  const classifierSource = createUniformSource(11);
  const kernel = tf.variable(
    tf.tensor2d(
      Array.from({ length: CHANNELS * 2 }, () => (classifierSource.next() - 0.5) * 0.2),
      [CHANNELS, 2],
    ),
  );
  const bias = tf.variable(tf.zeros([2]));
  const optimizer = tf.train.adam(0.05);
  const classify = (features: tf.Tensor4D) => tf.add(tf.matMul(tf.mean(features, [1, 2]), kernel), bias);
  for (let step = 0; step < steps; step++) {
    const batch = makeBatch(32, 1000 + step);
    optimizer.minimize(
      () => {
        // Soft mode anneals tau from 2 to 0.2 along a cosine; hard mode keeps tau = 1 (straight-through).
        const tau =
          mode === 'soft' ? temperatureAt({ kind: 'cosine', initial: 2, final: 0.2, steps }, step) : 1;
        const gated = gateForward(gate, batch.x, { training: true, mode, tau, seed: 5000 + step });
        const taskLoss = tf.losses.softmaxCrossEntropy(batch.y, classify(gated.output));
        return tf.add(taskLoss, gateRegularizer(gated.mask, { lambda })) as tf.Scalar;
      },
      false,
      [...gateTrainableVariables(gate), kernel, bias],
    );
    tf.dispose([batch.x, batch.y]);
  }
  const test = makeBatch(256, 99);
  const statistics = new GateStatistics(CHANNELS);
  const { mask, predictions } = tf.tidy(() => {
    const gated = gateForward(gate, test.x, { training: false, mode: 'argmax' });
    return { mask: gated.mask, predictions: tf.argMax(classify(gated.output), 1) };
  });
  await statistics.addMask(mask);
  const predicted = await predictions.data();
  const correct = test.labels.filter((label, i) => predicted[i] === label).length;
  tf.dispose([mask, predictions, test.x, test.y, kernel, bias]);
  optimizer.dispose();
  disposeGateWeights(gate);
  return {
    frequencies: Array.from(statistics.frequencies()),
    accuracy: correct / test.labels.length,
    statistics,
  };
}

describe('channel gate learning', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('switches off the uninformative channels with lambda > 0 and keeps accuracy', async () => {
    const outcome = await trainGate(0.05, 60);
    const noise = outcome.frequencies.filter((_, c) => !INFORMATIVE.includes(c));
    const signal = INFORMATIVE.map((c) => outcome.frequencies[c]);
    // Every noise channel is off for (almost) every test image ...
    expect(Math.max(...noise)).toBeLessThanOrEqual(0.05);
    // ... while the gate keeps enough signal channels to classify.
    expect(signal.filter((frequency) => frequency >= 0.5).length).toBeGreaterThanOrEqual(2);
    expect(outcome.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('also learns the sparse gate with soft samples and an annealed temperature', async () => {
    const outcome = await trainGate(0.05, 60, 'soft');
    const noise = outcome.frequencies.filter((_, c) => !INFORMATIVE.includes(c));
    const signal = INFORMATIVE.map((c) => outcome.frequencies[c]);
    expect(Math.max(...noise)).toBeLessThanOrEqual(0.05);
    expect(Math.max(...signal)).toBeGreaterThanOrEqual(0.9);
    expect(outcome.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the channels on with lambda = 0', async () => {
    const outcome = await trainGate(0, 60);
    const noise = outcome.frequencies.filter((_, c) => !INFORMATIVE.includes(c));
    const meanNoise = noise.reduce((total, frequency) => total + frequency, 0) / noise.length;
    // Nothing pushes the gate below its initial P(on) ~ 0.87.
    expect(meanNoise).toBeGreaterThanOrEqual(0.8);
    expect(outcome.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('uses fewer channels as lambda grows (the lambda -> channels table of a sweep)', async () => {
    const results: LambdaSweepResult[] = [];
    for (const lambda of [0, 0.02, 0.5]) {
      const outcome = await trainGate(lambda, 40);
      results.push({ lambda, statistics: outcome.statistics, accuracy: outcome.accuracy });
    }
    const rows = summarizeLambdaSweep(results);
    const channels = rows.map((row) => row.meanChannelsPerImage);
    expect(channels[0]).toBeGreaterThan(12);
    // A moderate lambda keeps (a subset of) the four informative channels and all the accuracy ...
    expect(channels[1]).toBeGreaterThanOrEqual(1);
    expect(channels[1]).toBeLessThanOrEqual(4);
    expect(rows[1].accuracy).toBeGreaterThanOrEqual(0.9);
    // ... a huge one closes every channel and the classifier falls to chance.
    expect(channels[2]).toBe(0);
    expect(rows[2].accuracy).toBeLessThan(0.7);
    expect(formatLambdaSweepMarkdown(rows).split('\n')[3]).toMatch(
      /^\| 0\.02 \| [1-4]\.00 \| [1-4] \| 100\.00% \| 256 \|$/,
    );
  });
});
