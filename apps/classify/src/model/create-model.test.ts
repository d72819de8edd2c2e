import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/load-config.js';
import { createModelFromConfig } from './create-model.js';
import { resolveChannels } from './load-trained-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createModelFromConfig', () => {
  it('builds a gated DCT network with the configured channels, classes and gate temperature', () => {
    const config = resolveConfig([
      {
        input: { mode: 'dct', channels: '24T' },
        gate: { enabled: true, temperature: 0.5 },
        model: { architecture: 'resnet18', baseWidth: 4 },
        seed: 9,
      },
    ]);
    const channels = resolveChannels(config)!;
    expect(channels).toHaveLength(24);
    const model = createModelFromConfig(config, 3, channels);
    try {
      expect(model.options.input).toEqual({ kind: 'dct', channels: 24 });
      expect(model.options.numClasses).toBe(3);
      expect(model.options.seed).toBe(9);
      expect(model.options.gate).toEqual({ forward: { tau: 0.5 } });
      expect(model.variables().get('fc.weight')!.shape).toEqual([32, 3]);
      const forward = () =>
        tf.tidy(() => model.forward(tf.zeros([1, 4, 4, 24]) as tf.Tensor4D, { training: false }).logits);
      // the first forward lets the network cache what it derives from its weights (60 tensors here)
      forward().dispose();
      const before = tf.memory().numTensors;
      const out = forward();
      expect(out.shape).toEqual([1, 3]);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });

  it('builds an RGB network without a gate even when the gate is enabled', () => {
    const config = resolveConfig([
      { gate: { enabled: true }, model: { architecture: 'resnet18', baseWidth: 4 } },
    ]);
    expect(resolveChannels(config)).toBeNull();
    const model = createModelFromConfig(config, 2, null);
    expect(model.options.gate).toBe(false);
    model.dispose();
  });

  it('builds MobileNetV2 on a DCT input and passes the width multiplier', () => {
    const narrow = resolveConfig([{ model: { architecture: 'mobilenetv2', widthMultiplier: 0.25 } }]);
    const rgb = createModelFromConfig(narrow, 2, null);
    expect(rgb.options.widthMultiplier).toBe(0.25);
    rgb.dispose();
    const config = resolveConfig([
      {
        input: { mode: 'dct', channels: '6' },
        model: { architecture: 'mobilenetv2', widthMultiplier: 1 },
      },
    ]);
    const model = createModelFromConfig(config, 2, resolveChannels(config));
    try {
      expect(model.options).toMatchObject({
        architecture: 'mobilenetv2',
        widthMultiplier: 1,
        input: { kind: 'dct', channels: 6 },
      });
      const logits = tf.tidy(
        () => model.forward(tf.ones([2, 4, 4, 6]) as tf.Tensor4D, { training: false }).logits,
      );
      expect(logits.shape).toEqual([2, 2]);
      logits.dispose();
    } finally {
      model.dispose();
    }
  });
});
