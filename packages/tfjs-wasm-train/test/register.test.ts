import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv2DBackpropInputWasm,
  registeredWasmTrainingKernels,
  registerWasmTrainingKernels,
  WasmTrainingError,
} from '../src/index.js';
import { setUpBackends } from './backends.js';

describe('registerWasmTrainingKernels', () => {
  let first: string[];
  beforeAll(async () => {
    first = await setUpBackends();
  });

  it('registers the missing training kernels and the fast input gradient, idempotently', () => {
    expect(first).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
      'Identity',
      'Tile',
    ]);
    expect(registerWasmTrainingKernels()).toEqual(first);
    expect(registeredWasmTrainingKernels()).toEqual(first);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputWasm);
    for (const name of first) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  it('shares heap blocks in Identity (clones) instead of copying', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.tensor1d([1, 2, 3]);
    const before = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(before);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(backend.numDataIds()).toBe(before - 1);
  });

  it('leaves the cpu backend alone', () => {
    expect(tf.getKernel('Conv2DBackpropInput', 'cpu')?.kernelFunc).not.toBe(conv2DBackpropInputWasm);
  });

  it('refuses to run a wasm training kernel on another backend', async () => {
    await tf.setBackend('cpu');
    expect(() =>
      conv2DBackpropInputWasm({
        inputs: {},
        backend: tf.backend(),
        attrs: {},
      }),
    ).toThrow(WasmTrainingError);
  });
});
