/**
 * Inference time of ResNet-50 (RGB 224 and DCT-24 at 56) with BatchNorm folded into fused convolutions
 * (eval mode) against the unfolded conv -> batch norm -> relu sequence (the frozen-BatchNorm training
 * path, which computes the same function). Medians of 7 runs per block, blocks alternated 3 times.
 *
 *   cd packages/fd-models && node --conditions=@fdl/source --import tsx scripts/fold-timing.ts [wasm|cpu]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createResNet } from '../src/resnet.js';

const backend = process.argv[2] ?? 'wasm';
await tf.setBackend(backend);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const [name, input, size] of [
  ['resnet50 rgb 224', 'rgb', 224],
  ['resnet50 dct-24 56', { kind: 'dct', channels: 24 }, 56],
] as const) {
  const model = createResNet({ input });
  model.setFrozenBatchNorm(true);
  const x = tf.randomNormal(
    [1, size, size, input === 'rgb' ? 3 : input.channels],
    0,
    1,
    'float32',
    1,
  ) as tf.Tensor4D;
  const time = (training: boolean) => {
    const start = performance.now();
    const { logits } = model.forward(x, { training });
    logits.dataSync();
    logits.dispose();
    return performance.now() - start;
  };
  const folded: number[] = [];
  const unfolded: number[] = [];
  for (let block = 0; block < 3; block++) {
    time(true);
    for (let i = 0; i < 7; i++) unfolded.push(time(true));
    time(false);
    for (let i = 0; i < 7; i++) folded.push(time(false));
  }
  console.log(
    `${name.padEnd(20)} unfolded ${median(unfolded).toFixed(0)} ms  folded ${median(folded).toFixed(0)} ms  speed-up x${(median(unfolded) / median(folded)).toFixed(2)} (${backend})`,
  );
  x.dispose();
  model.dispose();
}
