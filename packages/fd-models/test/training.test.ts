import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResNet } from '../src/resnet.js';
import type { StateDict } from '../src/state-dict.js';
import { toFloat32 } from '../src/state-dict.js';
import { trainStep } from '../src/training.js';
import { FIXTURE_DIRECTORY, fixtureInput, readFixture, relativeError } from './torch-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function crossEntropy(logits: tf.Tensor2D, labels: number[]): tf.Scalar {
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]);
  return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
}

describe('training mode', () => {
  it('one SGD step equals torch: batch-statistics logits, loss, updated weights and running averages', () => {
    const fixture = readFixture(join(FIXTURE_DIRECTORY, 'train-resnet18w4.safetensors'));
    const initial: StateDict = {};
    const after: StateDict = {};
    for (const [name, tensor] of Object.entries(fixture)) {
      if (name.startsWith('after.')) after[name.slice(6)] = tensor;
      else if (!name.includes('.') || !/^(expected|input)\./.test(name)) initial[name] = tensor;
    }
    const labels = Array.from(toFloat32(fixture['input.labels']));
    const model = createResNet({ architecture: 'resnet18', baseWidth: 4, numClasses: 5 });
    model.loadStateDict(initial);
    const x = fixtureInput(4, 32, 32, 3);
    const optimizer = tf.train.sgd(0.1);
    let logitsValues: Float32Array | undefined;
    const loss = trainStep(model, optimizer, () => {
      const { logits } = model.forward(x, { training: true });
      logitsValues = logits.dataSync() as Float32Array;
      return crossEntropy(logits, labels);
    });
    expect(relativeError(logitsValues!, toFloat32(fixture['expected.logits']))).toBeLessThan(1e-4);
    expect(loss).toBeCloseTo(toFloat32(fixture['expected.loss'])[0], 5);
    const state = model.stateDict();
    expect(Object.keys(state).sort()).toEqual(Object.keys(after).sort());
    for (const [name, tensor] of Object.entries(after)) {
      expect(relativeError(state[name].data as Float32Array, toFloat32(tensor)), name).toBeLessThan(1e-4);
    }
    // The running averages really moved (torch momentum 0.1, unbiased variance).
    expect(
      relativeError(state['bn1.running_var'].data as Float32Array, toFloat32(initial['bn1.running_var'])),
    ).toBeGreaterThan(1e-3);
    x.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('a few SGD steps reduce the loss on a fixed batch without leaking tensors', () => {
    const model = createResNet({ architecture: 'resnet18', baseWidth: 4, numClasses: 3, seed: 5 });
    const x = fixtureInput(6, 32, 32, 3);
    const labels = [0, 1, 2, 0, 1, 2];
    const optimizer = tf.train.sgd(0.05);
    const losses: number[] = [];
    const step = () =>
      trainStep(model, optimizer, () => crossEntropy(model.forward(x, { training: true }).logits, labels));
    losses.push(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) losses.push(step());
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
    x.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('trainStep discards queued statistics and rethrows when the loss fails', () => {
    const model = createResNet({ architecture: 'resnet18', baseWidth: 2, numClasses: 2 });
    const x = fixtureInput(2, 16, 16, 3);
    const optimizer = tf.train.sgd(0.1);
    const runningMean = Array.from(toFloat32(model.stateDict()['bn1.running_mean']));
    expect(() =>
      trainStep(model, optimizer, () => {
        model.forward(x, { training: true });
        throw new Error('loss exploded');
      }),
    ).toThrow('loss exploded');
    // (tfjs itself keeps the tensors its gradient tape saved when a recorded function throws; the
    // queued BatchNorm statistics, ours, are gone: applying updates now changes nothing.)
    model.applyBatchNormUpdates();
    expect(Array.from(toFloat32(model.stateDict()['bn1.running_mean']))).toEqual(runningMean);
    x.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('eval mode uses running statistics and queues nothing; frozen BN ignores training mode', () => {
    const model = createResNet({ architecture: 'resnet18', baseWidth: 2, numClasses: 2 });
    const x = fixtureInput(2, 32, 32, 3);
    const evalLogits = model.forward(x).logits;
    model.setFrozenBatchNorm(true);
    const frozenTraining = model.forward(x, { training: true }).logits;
    // Same statistics; eval folds BN into the convolutions, so values agree to rounding.
    expect(relativeError(frozenTraining.dataSync(), evalLogits.dataSync())).toBeLessThan(1e-6);
    expect(model.trainableVariables().has('bn1.weight')).toBe(false);
    expect(model.trainableVariables().has('conv1.weight')).toBe(true);
    model.setFrozenBatchNorm(false);
    expect(model.trainableVariables().has('bn1.weight')).toBe(true);
    const numTensors = tf.memory().numTensors;
    const training = model.forward(x, { training: true }).logits;
    // Queued statistics: mean and variance per BatchNorm (20 in ResNet-18) plus the logits.
    expect(tf.memory().numTensors).toBe(numTensors + 1 + 2 * 20);
    model.discardBatchNormUpdates();
    expect(tf.memory().numTensors).toBe(numTensors + 1);
    tf.dispose([evalLogits, frozenTraining, training, x]);
    model.dispose();
  });

  it('setFrozenStages freezes the stem and the first stages (detectron2 FREEZE_AT) and validates its argument', () => {
    const model = createResNet({ architecture: 'resnet18', baseWidth: 2 });
    model.setFrozenStages(2);
    const trainable = [...model.trainableVariables().keys()];
    expect(trainable.some((name) => name.startsWith('conv1.') || name.startsWith('layer1.'))).toBe(false);
    expect(trainable).toContain('layer2.0.conv1.weight');
    model.setFrozenStages(0);
    expect(model.trainableVariables().has('conv1.weight')).toBe(true);
    expect(() => model.setFrozenStages(6)).toThrow(
      "setFrozenStages: argument 'stages' must be an integer in 0..5, got 6",
    );
    model.dispose();
  });
});
