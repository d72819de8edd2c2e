import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from '../src/classifier.js';
import type { NetworkVariant } from '../src/classifier-options.js';
import { FIXTURE_DIRECTORY } from './torch-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Parameter counts and multiply-adds measured on torchvision by generate.py (forward hooks). */
const counts: Record<string, { parameters: number; multiplyAdds: number; inputSize: number }> = JSON.parse(
  readFileSync(join(FIXTURE_DIRECTORY, 'counts.json'), 'utf8'),
);

describe('summary() matches torchvision parameter counts and multiply-adds', () => {
  for (const [key, reference] of Object.entries(counts)) {
    it(key, () => {
      const [architecture, inputName, variant] = key.split('/');
      const input =
        inputName === 'rgb' ? 'rgb' : { kind: 'dct' as const, channels: Number(inputName.slice(4)) };
      const model = createClassifier({
        architecture: architecture as 'resnet50' | 'mobilenetv2',
        input,
        variant: (variant ?? 'paper') as NetworkVariant,
        initialize: false,
      });
      const summary = model.summary();
      expect(summary.inputShape[0]).toBe(reference.inputSize);
      expect(summary.parameters).toBe(reference.parameters);
      expect(summary.multiplyAdds).toBe(reference.multiplyAdds);
      expect(summary.trainableParameters).toBe(reference.parameters);
      expect(summary.text).toContain(`multiply-adds: ${reference.multiplyAdds.toLocaleString('en-US')}`);
      model.dispose();
    });
  }

  it('lists layers with shapes, names the variant, and counts frozen parameters apart', () => {
    const model = createClassifier({
      architecture: 'resnet18',
      input: { kind: 'dct', channels: 24 },
      variant: 'official',
    });
    const summary = model.summary({ inputSize: 56 });
    expect(summary.variant).toBe('official');
    expect(summary.text.split('\n')[0]).toBe('resnet18 (dct-24, official), input [56, 56, 24]');
    const first = summary.rows[0];
    expect(first).toEqual({
      name: 'layer1.0.conv1',
      type: 'Conv2d(3x3, s1, p1)',
      inputShape: [56, 56, 24],
      outputShape: [56, 56, 64],
      parameters: 64 * 24 * 9,
      multiplyAdds: 56 * 56 * 64 * 24 * 9,
    });
    // Official variant: layer2 keeps 56x56.
    expect(summary.rows.find((row) => row.name === 'layer2.0.conv1')?.outputShape).toEqual([56, 56, 128]);
    model.setFrozenStages(2);
    const frozen = model.summary();
    const layer1 = summary.rows
      .filter((row) => row.name.startsWith('layer1.'))
      .reduce((s, r) => s + r.parameters, 0);
    expect(frozen.trainableParameters).toBe(summary.parameters - layer1);
    model.dispose();
  });
});
