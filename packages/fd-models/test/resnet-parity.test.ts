import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NetworkInput, NetworkVariant } from '../src/classifier-options.js';
import { createResNet } from '../src/resnet.js';
import {
  FIXTURE_DIRECTORY,
  fixtureInput,
  readFixture,
  relativeError,
  splitFixture,
  withoutPrefixes,
} from './torch-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const baseWeights = () => readFixture(join(FIXTURE_DIRECTORY, 'resnet50w4.safetensors'));

const cases: Array<{
  file: string;
  input: NetworkInput;
  variant: NetworkVariant;
  shape: [number, number, number, number];
}> = [
  { file: 'resnet50w4-rgb', input: 'rgb', variant: 'paper', shape: [2, 64, 64, 3] },
  {
    file: 'resnet50w4-dct24-paper',
    input: { kind: 'dct', channels: 24 },
    variant: 'paper',
    shape: [2, 16, 16, 24],
  },
  {
    file: 'resnet50w4-dct24-official',
    input: { kind: 'dct', channels: 24 },
    variant: 'official',
    shape: [2, 16, 16, 24],
  },
  {
    file: 'resnet50w4-dct192-official',
    input: { kind: 'dct', channels: 192 },
    variant: 'official',
    shape: [2, 16, 16, 192],
  },
];

describe('ResNet-50 structure (base width 4) matches torchvision in eval mode', () => {
  for (const { file, input, variant, shape } of cases) {
    it(`${file}: logits and C2..C5 within 1e-4 relative error`, () => {
      const { weights, expected } = splitFixture(readFixture(join(FIXTURE_DIRECTORY, `${file}.safetensors`)));
      const model = createResNet({ architecture: 'resnet50', baseWidth: 4, numClasses: 10, input, variant });
      const base = input === 'rgb' ? baseWeights() : withoutPrefixes(baseWeights(), ['conv1.', 'bn1.']);
      const report = model.loadStateDict({ ...base, ...weights });
      expect(report.missing).toEqual([]);
      const x = fixtureInput(...shape);
      // The first inference call builds the folded conv + BN filters; later calls must not add tensors.
      tf.tidy(() => {
        model.forward(x);
      });
      const before = tf.memory().numTensors;
      const { logits } = model.forward(x);
      const features = model.features(x);
      expect(relativeError(logits.dataSync(), expected.logits)).toBeLessThan(1e-4);
      for (const level of ['c2', 'c3', 'c4', 'c5'] as const) {
        expect(relativeError(features[level].dataSync(), expected[level]), level).toBeLessThan(1e-4);
      }
      tf.dispose([logits, features.c2, features.c3, features.c4, features.c5]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    });
  }
});
