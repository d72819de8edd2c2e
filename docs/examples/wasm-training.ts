/**
 * Training on the tfjs wasm backend: tfjs-backend-wasm 4.22 lacks the filter-gradient kernels, so
 * `optimizer.minimize` fails there until @fdl/tfjs-wasm-train registers them. The example shows the
 * failure, registers the kernels, checks a hand-computable gradient, and trains a small convolutional
 * network for a few steps on wasm and on cpu from the same start, printing both losses.
 *
 *   node --conditions=@fdl/source --import tsx docs/examples/wasm-training.ts
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// Importing tfjs-layers registers the gradient functions of the tfjs-core ops (tfjs-core alone does not;
// its `dist/register_all_gradients` deep import does not resolve under Node's ESM loader).
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '@fdl/tfjs-wasm-train';
import * as tf from '@tensorflow/tfjs-core';
import { printResult } from './print-result.js';

/** d(sum(conv2d(x, w)))/dw for a 1x1 convolution: the sum of the input, here 1 + 2 + 3 + 4 = 10. */
function filterGradient(): tf.Tensor {
  const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  const w = tf.tensor4d([0.5], [1, 1, 1, 1]);
  return tf.grad((filter: tf.Tensor) => tf.sum(tf.conv2d(x, filter as tf.Tensor4D, 1, 'valid')))(w);
}

// 1. Plain tfjs-backend-wasm: the filter gradient has no kernel.
await tf.setBackend('wasm');
let errorBefore = '';
try {
  tf.tidy(filterGradient);
} catch (error) {
  errorBefore = (error as Error).message;
}
console.log(`wasm before registration: ${errorBefore}`);

// 2. Register the training kernels (explicit and idempotent; only the wasm backend is touched).
const registered = registerWasmTrainingKernels();
console.log(`registered: ${registered.join(', ')}`);
const gradient = tf.tidy(filterGradient);
const gradientValue = (await gradient.data())[0];
gradient.dispose();
console.log(`wasm filter gradient of the 1x1 example: ${gradientValue} (expected 10)`);

// 3. The same small network trained for 5 SGD steps on each backend from the same seeded start.
async function train(backend: 'cpu' | 'wasm'): Promise<{ losses: number[]; tensorsLeft: number }> {
  await tf.setBackend(backend);
  const optimizer = tf.train.sgd(0.1);
  const tensorsBefore = tf.memory().numTensors;
  const x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2));
  // tf.variable copies its initial value: create it inside tidy so the initial tensor is released.
  const filter = tf.tidy(() => tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 0.3, 'float32', 2)));
  const dense = tf.tidy(() => tf.variable(tf.randomNormal([8, 2], 0, 0.3, 'float32', 3)));
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    const cost = optimizer.minimize(
      () => {
        const features = tf.relu(tf.conv2d(x, filter as tf.Variable<tf.Rank.R4>, 2, 'same'));
        const pooled = tf.mean(features, [1, 2]) as tf.Tensor2D;
        return tf.losses.softmaxCrossEntropy(y, tf.matMul(pooled, dense)) as tf.Scalar;
      },
      true,
      [filter, dense],
    );
    losses.push((await cost!.data())[0]);
    cost!.dispose();
  }
  tf.dispose([x, y, filter, dense]);
  const tensorsLeft = tf.memory().numTensors - tensorsBefore;
  optimizer.dispose();
  return { losses, tensorsLeft };
}

const cpuRun = await train('cpu');
const wasmRun = await train('wasm');
const cpuLosses = cpuRun.losses;
const wasmLosses = wasmRun.losses;
const largestDifference = Math.max(...cpuLosses.map((loss, i) => Math.abs(loss - wasmLosses[i])));
for (let i = 0; i < cpuLosses.length; i++) {
  console.log(`step ${i + 1}: cpu ${cpuLosses[i].toFixed(6)}  wasm ${wasmLosses[i].toFixed(6)}`);
}
console.log(`largest loss difference cpu vs wasm: ${largestDifference.toExponential(2)}`);

printResult({
  errorBefore,
  registered,
  gradientValue,
  cpuLosses,
  wasmLosses,
  largestDifference,
  tensorsLeft: [cpuRun.tensorsLeft, wasmRun.tensorsLeft],
});
