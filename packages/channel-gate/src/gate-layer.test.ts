import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { gateForward } from './gate-forward.js';
import { ChannelGate, channelGate } from './gate-layer.js';
import { createGateWeights, disposeGateWeights } from './gate-weights.js';
import { gateRegularizer } from './regularizer.js';
import { temperatureAt } from './temperature.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gatedModel(options: ConstructorParameters<typeof ChannelGate>[0]): tfl.Sequential {
  const model = tfl.sequential();
  model.add(channelGate({ inputShape: [4, 4, 8], seed: 3, ...options }));
  model.add(tfl.layers.globalAveragePooling2d({}));
  model.add(
    tfl.layers.dense({
      units: 2,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }),
    }),
  );
  return model;
}

describe('ChannelGate layer', () => {
  it('initialises and computes exactly like the functional core with the same seed', async () => {
    const layer = channelGate({ seed: 21, inferenceMode: 'threshold', threshold: 0.8699 });
    const input = tf.randomNormal([3, 2, 2, 6], 0, 1, 'float32', 22);
    const output = layer.apply(input) as tf.Tensor;
    const weights = createGateWeights(6, { seed: 21 });
    const reference = gateForward(weights, input, { mode: 'threshold', threshold: 0.8699 });
    expect(Array.from(await output.data())).toEqual(Array.from(await reference.output.data()));
    for (const [name, variable] of Object.entries(layer.gateWeights())) {
      if (name === 'channels') continue;
      const expected = weights[name as 'squeezeKernel'];
      expect(Array.from((variable as tf.Variable).dataSync())).toEqual(Array.from(expected.dataSync()));
    }
    // P(on) sits around 0.8699 at initialisation, so this threshold switches some channels off.
    const mask = await reference.mask.data();
    expect(mask.some((m) => m === 0) && mask.some((m) => m === 1)).toBe(true);
    tf.dispose([input, output, reference as never]);
    disposeGateWeights(weights);
  });

  it('returns [output, mask] with returnMask and adds lambda * sum(gates) / batch as a layer loss', async () => {
    const layer = channelGate({ seed: 5, returnMask: true, lambda: 0.3, inferenceMode: 'stochastic' });
    const input = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 6);
    const [output, mask] = layer.apply(input, { training: true }) as tf.Tensor[];
    expect(output.shape).toEqual([4, 3, 3, 5]);
    expect(mask.shape).toEqual([4, 5]);
    expect(layer.computeOutputShape([null, 3, 3, 5])).toEqual([
      [null, 3, 3, 5],
      [null, 5],
    ]);
    const [loss] = layer.calculateLosses();
    const expected = gateRegularizer(mask, { lambda: 0.3 });
    expect((await loss.data())[0]).toBeCloseTo((await expected.data())[0], 6);
    const sum = Array.from(await mask.data()).reduce((total, value) => total + value, 0);
    expect((await loss.data())[0]).toBeCloseTo((0.3 * sum) / 4, 6);
    tf.dispose([input, output, mask, loss, expected]);
    expect(layer.lastMask).toBeUndefined();
  });

  it('works in a functional model with two outputs (gated cube and mask)', async () => {
    const input = tfl.input({ shape: [3, 3, 4] });
    const [gated, mask] = channelGate({ seed: 2, returnMask: true }).apply(input) as tfl.SymbolicTensor[];
    expect(gated.shape).toEqual([null, 3, 3, 4]);
    expect(mask.shape).toEqual([null, 4]);
    const model = tfl.model({ inputs: input, outputs: [gated, mask] });
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 3);
    const [y, m] = model.predict(x) as tf.Tensor[];
    expect(y.shape).toEqual([2, 3, 3, 4]);
    // Official initialisation: every channel starts on under argmax.
    expect(Array.from(await m.data())).toEqual(new Array(8).fill(1));
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    tf.dispose([x, y, m]);
    model.dispose();
  });

  it('anneals tau along its schedule over training calls and keeps the schedule through getConfig', () => {
    const schedule = { kind: 'cosine', initial: 2, final: 0.5, steps: 4 } as const;
    const layer = channelGate({ seed: 4, temperatureSchedule: schedule, trainingMode: 'soft' });
    const input = tf.randomNormal([3, 2, 2, 4], 0, 1, 'float32', 5);
    const seen: number[] = [];
    for (let call = 0; call < 6; call++) {
      tf.dispose(layer.apply(input, { training: true }) as tf.Tensor);
      seen.push(layer.tau);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5].map((step) => temperatureAt(schedule, step)));
    expect(layer.trainingStep).toBe(6);
    // Inference calls neither advance the schedule nor change tau.
    tf.dispose(layer.apply(input) as tf.Tensor);
    expect(layer.trainingStep).toBe(6);
    layer.setTrainingStep(1);
    tf.dispose(layer.apply(input, { training: true }) as tf.Tensor);
    expect(layer.tau).toBe(temperatureAt(schedule, 1));
    const restored = ChannelGate.fromConfig(ChannelGate, layer.getConfig()) as ChannelGate;
    expect(restored.temperatureSchedule).toEqual(schedule);
    expect(() => channelGate({ temperatureSchedule: { kind: 'constant', value: 0 } })).toThrow(
      "temperatureAt: argument 'schedule.value' must be a finite number > 0, got 0",
    );
    expect(() => layer.setTrainingStep(-1)).toThrow(
      "ChannelGate.setTrainingStep: argument 'step' must be an integer >= 0, got -1",
    );
    input.dispose();
    layer.dispose();
  });

  it('draws a reproducible noise stream from its seed', async () => {
    const input = tf.randomNormal([6, 2, 2, 4], 0, 1, 'float32', 7);
    const masks = async (seed: number) => {
      const layer = channelGate({ seed, returnMask: true, inferenceMode: 'stochastic', onBias: 0.1 });
      const values: number[][] = [];
      for (let call = 0; call < 2; call++) {
        const [output, mask] = layer.apply(input) as tf.Tensor[];
        values.push(Array.from(await mask.data()));
        tf.dispose([output, mask]);
      }
      return values;
    };
    const first = await masks(8);
    expect(await masks(8)).toEqual(first);
    // Successive calls draw fresh noise.
    expect(first[0]).not.toEqual(first[1]);
    input.dispose();
  });

  it('round-trips through getConfig, save and load', async () => {
    const model = gatedModel({
      tau: 0.5,
      lambda: 0.01,
      regularizerReduction: 'mean',
      inferenceMode: 'argmax',
      temperatureSchedule: { kind: 'exponential', initial: 2, decayRate: 0.5, decaySteps: 10, minimum: 0.3 },
    });
    const input = tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 9);
    const before = model.predict(input) as tf.Tensor;
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const after = loaded.predict(input) as tf.Tensor;
    expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
    const gate = loaded.layers[0] as ChannelGate;
    expect(gate).toBeInstanceOf(ChannelGate);
    expect(gate.getConfig()).toEqual(model.layers[0].getConfig());
    expect(gate.getConfig()).toMatchObject({ tau: 0.5, lambda: 0.01, regularizerReduction: 'mean', seed: 3 });
    expect(gate.temperatureSchedule).toEqual({
      kind: 'exponential',
      initial: 2,
      decayRate: 0.5,
      decaySteps: 10,
      minimum: 0.3,
    });
    expect(gate.weights.map((w) => w.originalName.split('/').pop())).toEqual([
      'squeeze_kernel',
      'squeeze_bias',
      'norm_gamma',
      'norm_beta',
      'projection_kernel',
      'projection_bias',
      'norm_moving_mean',
      'norm_moving_variance',
    ]);
    tf.dispose([input, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('learns to close noise channels through model.fit with lambda > 0', async () => {
    // Channels 0 and 1 carry the label (mean +-0.8), channels 2..7 are noise.
    const size = 256;
    const labels = Array.from({ length: size }, (_, i) => i % 2);
    const x = tf.tidy(() => {
      const shift = tf.tensor(
        labels.flatMap((label) => Array.from({ length: 8 }, (_, c) => (c < 2 ? (label ? 0.8 : -0.8) : 0))),
        [size, 1, 1, 8],
      );
      return tf.add(tf.randomNormal([size, 4, 4, 8], 0, 1, 'float32', 10), shift);
    });
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 2), 'float32'));
    const model = gatedModel({ lambda: 0.05 });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const history = await model.fit(x, y, { epochs: 8, batchSize: 32, shuffle: false, verbose: 0 });
    expect(history.history.loss.length).toBe(8);
    const gate = model.layers[0] as ChannelGate;
    const probabilities = tf.tidy(() => tf.mean(gateForward(gate.gateWeights(), x).probabilities, 0));
    const onProbability = Array.from(await probabilities.data()) as number[];
    expect(Math.max(...onProbability.slice(2))).toBeLessThan(0.5);
    expect(Math.max(...onProbability.slice(0, 2))).toBeGreaterThan(0.5);
    tf.dispose([x, y, probabilities]);
    model.dispose();
  });

  it('leaks no tensors at inference and frees its variables on dispose', () => {
    const input = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    for (const mode of ['argmax', 'threshold', 'stochastic'] as const) {
      const layer = channelGate({ seed: 1, inferenceMode: mode, returnMask: true });
      tf.dispose(layer.apply(input) as tf.Tensor[]);
      const afterFirstCall = tf.memory().numTensors;
      tf.dispose(layer.apply(input) as tf.Tensor[]);
      expect(tf.memory().numTensors).toBe(afterFirstCall);
      expect(layer.dispose().numDisposedVariables).toBe(8);
      expect(tf.memory().numTensors).toBe(before);
    }
    input.dispose();
  });

  it('names argument and value in its errors', () => {
    expect(() => channelGate({ trainingMode: 'sometimes' as never })).toThrow(
      "ChannelGate: argument 'options.trainingMode' must be 'hard' or 'soft', got 'sometimes'",
    );
    expect(() => channelGate({ tau: -1 })).toThrow(
      "ChannelGate: argument 'options.tau' must be a finite number > 0, got -1",
    );
    expect(() => channelGate().build([null, 8])).toThrow(
      "ChannelGate.build: argument 'inputShape' must be [batch, H, W, C] with a known C, got [null, 8]",
    );
    expect(() => channelGate().setTemperature(0)).toThrow(
      "ChannelGate.setTemperature: argument 'tau' must be a finite number > 0, got 0",
    );
  });
});
