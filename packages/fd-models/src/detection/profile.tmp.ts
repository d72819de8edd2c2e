import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadSafetensors } from '../safetensors.js';
import { createMaskRcnn } from './mask-rcnn.js';
import { maxAbsDifference } from './test-fixtures.js';

const backend = process.argv[2] ?? 'cpu';
await tf.setBackend(backend);
const kind = process.argv[3] ?? 'rgb';
let t = performance.now();
const lap = (label: string) => {
  const now = performance.now();
  console.log(label, (now - t).toFixed(0), 'ms');
  t = now;
};
const bytes = readFileSync(`.fdl-cache/detection/maskrcnn_${kind}.safetensors`);
const record = loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
lap('read');
const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
const meta = JSON.parse(header.__metadata__.json);
const weights = Object.fromEntries(
  Object.entries(record).filter(([n]) => !/^(input|expected|intermediate)\./.test(n)),
);
const model = createMaskRcnn({
  backbone: kind === 'rgb' ? 'resnet50' : 'resnet50-dct',
  channels: 24,
  numClasses: 3,
  rpn: { preNmsTopN: { training: 2000, testing: 200 }, postNmsTopN: { training: 2000, testing: 100 } },
});
lap('create');
model.loadStateDict(weights);
lap('load');
const inputRecord = record[kind === 'rgb' ? 'input.batch' : 'input.cube'];
const input = tf.tensor4d(
  inputRecord.data as Float32Array,
  inputRecord.shape as [number, number, number, number],
);
const pyramid = model.pyramid(input);
for (const [i, p] of pyramid.entries()) {
  const name = ['0', '1', '2', '3', 'pool'][i];
  const expected = record[`intermediate.fpn.${name}`].data as Float32Array;
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  console.log('fpn', name, 'max abs diff', maxAbsDifference(p.dataSync(), expected), 'max |value|', scale);
}
lap('pyramid');
const padded: [number, number] = [input.shape[1] * model.inputStride, input.shape[2] * model.inputStride];
const { proposals } = model.rpn.forward(pyramid, meta.imageSizes, padded, false);
lap('rpn');
proposals.forEach((p, i) =>
  console.log(
    'proposals',
    i,
    p.boxes.length / 4,
    'expected',
    record[`intermediate.proposals.${i}`].shape[0],
    'diff',
    maxAbsDifference(p.boxes, record[`intermediate.proposals.${i}`].data as Float32Array),
  ),
);
const given = [0, 1].map((i) => record[`intermediate.proposals.${i}`].data as Float32Array);
const { classLogits } = model.roiHeads.boxBranch(pyramid.slice(0, 4), given, meta.imageSizes);
classLogits.dataSync();
lap('box branch');
const dets = model.roiHeads.detect(pyramid.slice(0, 4), given, meta.imageSizes);
lap('detect (box + mask)');
dets.forEach((d, i) =>
  console.log(
    'scores',
    i,
    maxAbsDifference(d.scores, record[`expected.${i}.scores`].data as Float32Array),
    [...d.scores].slice(0, 5),
  ),
);
