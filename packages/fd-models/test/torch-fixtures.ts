import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc } from '../src/nn/layout.js';
import { loadSafetensors } from '../src/safetensors.js';
import { type StateDict, toFloat32 } from '../src/state-dict.js';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = join(here, '..', '..', '..');

/** Committed small fixtures written by tools/torch-fixtures/backbones/generate.py. */
export const FIXTURE_DIRECTORY = join(repositoryRoot, 'tools', 'torch-fixtures', 'backbones', 'fixtures');
/** Full-size fixtures (`generate.py --full`), gitignored. */
export const CACHE_DIRECTORY = join(repositoryRoot, '.fdl-cache', 'fd-models-backbones');

export function readFixture(path: string): StateDict {
  return loadSafetensors(new Uint8Array(readFileSync(path)));
}

export function fixtureExists(path: string): boolean {
  return existsSync(path);
}

/** Splits a fixture into weights (plain names) and expected outputs (`expected.*`). */
export function splitFixture(record: StateDict): {
  weights: StateDict;
  expected: Record<string, Float32Array>;
} {
  const weights: StateDict = {};
  const expected: Record<string, Float32Array> = {};
  for (const [name, tensor] of Object.entries(record)) {
    if (name.startsWith('expected.')) {
      const values = toFloat32(tensor);
      const key = name.slice('expected.'.length);
      expected[key] =
        tensor.shape.length === 4
          ? nchwToNhwc(values, tensor.shape as [number, number, number, number])
          : values;
    } else weights[name] = tensor;
  }
  return { weights, expected };
}

/** The generator's input: value(n, c, h, w) = sin(0.9 n + 1.3 c + 0.37 h + 0.53 w), NHWC float32. */
export function fixtureInput(batch: number, height: number, width: number, channels: number): tf.Tensor4D {
  const values = new Float32Array(batch * height * width * channels);
  let i = 0;
  for (let n = 0; n < batch; n++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++)
        for (let c = 0; c < channels; c++) values[i++] = Math.sin(0.9 * n + 1.3 * c + 0.37 * h + 0.53 * w);
  return tf.tensor4d(values, [batch, height, width, channels]);
}

/** max |actual - expected| / max |expected|. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`relativeError: length ${actual.length} != ${expected.length}`);
  }
  let maxDifference = 0;
  let maxMagnitude = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
    maxMagnitude = Math.max(maxMagnitude, Math.abs(expected[i]));
  }
  return maxDifference / maxMagnitude;
}

/** A state dict without the names that start with any of `prefixes`. */
export function withoutPrefixes(record: StateDict, prefixes: string[]): StateDict {
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => !prefixes.some((p) => name.startsWith(p))),
  );
}
