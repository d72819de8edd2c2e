import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/index.js';

/** Initialises cpu and wasm in this process (tests switch with tf.setBackend) and registers our kernels. */
export async function setUpBackends(): Promise<string[]> {
  const registered = registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
  await tf.ready();
  return registered;
}

/** Runs `f` on `backend` and returns its outputs' values, read outside any tidy. */
export async function valuesOn(
  backend: 'cpu' | 'wasm',
  f: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const result = tf.tidy(f);
  const tensors = Array.isArray(result) ? result : [result];
  const values = tensors.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(tensors);
  return values;
}

/**
 * max |actual - expected| / max |expected|: the error relative to the tensor's scale (element-wise
 * relative error is meaningless for entries that are sums cancelling to ~0).
 */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? difference : difference / scale;
}

/** Seeded standard-normal tensor (tfjs draws in JS, so both backends get the same values). */
export function normal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}
