import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from '../src/classifier.js';
import type { NetworkInput, NetworkVariant } from '../src/classifier-options.js';
import {
  CACHE_DIRECTORY,
  fixtureExists,
  fixtureInput,
  readFixture,
  relativeError,
  splitFixture,
} from './torch-fixtures.js';

const cases: Array<{
  file: string;
  architecture: 'resnet50' | 'mobilenetv2';
  input: NetworkInput;
  variant: NetworkVariant;
  size: number;
}> = [
  { file: 'resnet50-rgb', architecture: 'resnet50', input: 'rgb', variant: 'paper', size: 224 },
  {
    file: 'resnet50-dct24-paper',
    architecture: 'resnet50',
    input: { kind: 'dct', channels: 24 },
    variant: 'paper',
    size: 56,
  },
  {
    file: 'resnet50-dct192-official',
    architecture: 'resnet50',
    input: { kind: 'dct', channels: 192 },
    variant: 'official',
    size: 56,
  },
  { file: 'mobilenetv2-rgb', architecture: 'mobilenetv2', input: 'rgb', variant: 'paper', size: 224 },
  {
    file: 'mobilenetv2-dct24-paper',
    architecture: 'mobilenetv2',
    input: { kind: 'dct', channels: 24 },
    variant: 'paper',
    size: 112,
  },
  {
    file: 'mobilenetv2-dct192-official',
    architecture: 'mobilenetv2',
    input: { kind: 'dct', channels: 192 },
    variant: 'official',
    size: 112,
  },
];

const available = fixtureExists(join(CACHE_DIRECTORY, `${cases[0].file}.safetensors`));

describe.skipIf(!available)(
  `full-size ResNet-50 / MobileNetV2 match torchvision on wasm${available ? '' : ` (skipped: no fixtures in ${CACHE_DIRECTORY}; run /usr/bin/python3 tools/torch-fixtures/backbones/generate.py --full)`}`,
  () => {
    beforeAll(async () => {
      await tf.setBackend('wasm');
    });

    for (const { file, architecture, input, variant, size } of cases) {
      it(`${file}: logits and C2..C5 within 1e-4 relative error`, () => {
        const { weights, expected } = splitFixture(readFixture(join(CACHE_DIRECTORY, `${file}.safetensors`)));
        const model = createClassifier({ architecture, input, variant, initialize: false });
        model.loadStateDict(weights);
        const x = fixtureInput(1, size, size, input === 'rgb' ? 3 : input.channels);
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
  },
);
