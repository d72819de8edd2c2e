/**
 * Prints the relative errors (max |tfjs - torch| / max |torch|) of every backbone parity fixture and the
 * forward time per image on the chosen backend. Needs the fixtures of
 * tools/torch-fixtures/backbones/generate.py (--full for the full-size ones).
 *
 *   cd packages/fd-models && node --conditions=@fdl/source --import tsx scripts/parity-report.ts [wasm|cpu]
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createClassifier } from '../src/classifier.js';
import type { NetworkInput, NetworkVariant } from '../src/classifier-options.js';
import {
  CACHE_DIRECTORY,
  fixtureExists,
  fixtureInput,
  readFixture,
  relativeError,
  splitFixture,
} from '../test/torch-fixtures.js';

const backend = process.argv[2] ?? 'wasm';
await tf.setBackend(backend);

const cases: Array<[string, 'resnet50' | 'mobilenetv2', NetworkInput, NetworkVariant, number]> = [
  ['resnet50-rgb', 'resnet50', 'rgb', 'paper', 224],
  ['resnet50-dct24-paper', 'resnet50', { kind: 'dct', channels: 24 }, 'paper', 56],
  ['resnet50-dct192-official', 'resnet50', { kind: 'dct', channels: 192 }, 'official', 56],
  ['mobilenetv2-rgb', 'mobilenetv2', 'rgb', 'paper', 224],
  ['mobilenetv2-dct24-paper', 'mobilenetv2', { kind: 'dct', channels: 24 }, 'paper', 112],
  ['mobilenetv2-dct192-official', 'mobilenetv2', { kind: 'dct', channels: 192 }, 'official', 112],
];

const rows: string[] = [];
for (const [file, architecture, input, variant, size] of cases) {
  const path = join(CACHE_DIRECTORY, `${file}.safetensors`);
  if (!fixtureExists(path)) {
    console.log(
      `${file}: missing (${path}); run /usr/bin/python3 tools/torch-fixtures/backbones/generate.py --full`,
    );
    continue;
  }
  const { weights, expected } = splitFixture(readFixture(path));
  const model = createClassifier({ architecture, input, variant, initialize: false });
  model.loadStateDict(weights);
  const x = fixtureInput(1, size, size, input === 'rgb' ? 3 : input.channels);
  const features = model.features(x);
  const errors = (['c2', 'c3', 'c4', 'c5'] as const).map((level) =>
    relativeError(features[level].dataSync(), expected[level]),
  );
  tf.dispose(Object.values(features));
  const times: number[] = [];
  let logitsError = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const { logits } = model.forward(x);
    const values = logits.dataSync();
    times.push(performance.now() - start);
    logitsError = relativeError(values, expected.logits);
    logits.dispose();
  }
  times.sort((a, b) => a - b);
  rows.push(
    `${file.padEnd(30)} logits ${logitsError.toExponential(2)}  c2..c5 ${errors.map((e) => e.toExponential(2)).join(' ')}  forward median ${times[2].toFixed(0)} ms (${backend}, 5 runs)`,
  );
  x.dispose();
  model.dispose();
}
console.log(rows.join('\n'));
