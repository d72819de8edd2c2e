import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, relativeError, setUpBackends, valuesOn } from './backends.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** [input NHWC, filter [kh, kw, C, multiplier], strides, dilations, pad] */
const GRID: [number[], number[], number, number, Pad][] = [
  [[2, 7, 9, 3], [3, 3, 3, 1], 1, 1, 'same'],
  [
    [2, 8, 8, 6],
    [3, 3, 6, 1],
    2,
    1,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ],
  [[2, 7, 9, 3], [3, 3, 3, 2], 2, 1, 'same'],
  [[1, 8, 8, 4], [3, 3, 4, 1], 2, 1, 'valid'],
  [
    [1, 9, 7, 2],
    [5, 3, 2, 1],
    2,
    1,
    [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  ],
  [[1, 1, 1, 5], [3, 3, 5, 1], 1, 1, 'same'],
];

function runKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

describe('DepthwiseConv2dNativeBackpropFilter / BackpropInput on wasm', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each(GRID.map((c) => [JSON.stringify(c), c] as const))('match the cpu kernels: %s', async (_, c) => {
    const [xShape, wShape, strides, dilations, pad] = c;
    const f = () => {
      const x = normal(xShape, 1);
      const w = normal(wShape, 2);
      const y = tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad, 'NHWC', dilations);
      const dy = normal(y.shape, 3);
      const attrs = { strides, pad, dilations };
      return [
        runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape }),
        runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: wShape }),
      ];
    };
    const [cpuDx, cpuDw] = await valuesOn('cpu', f);
    const [wasmDx, wasmDw] = await valuesOn('wasm', f);
    expect(relativeError(wasmDx!, cpuDx!)).toBeLessThan(1e-4);
    expect(relativeError(wasmDw!, cpuDw!)).toBeLessThan(1e-4);
  });

  it.each([
    [[1, 10, 10, 3], [3, 3, 3, 1], 1, [2, 2], 'same'],
    [[2, 9, 11, 2], [3, 2, 2, 3], 1, [3, 2], 'valid'],
    [
      [1, 9, 9, 2],
      [3, 3, 2, 1],
      1,
      [2, 3],
      [
        [0, 0],
        [3, 1],
        [0, 2],
        [0, 0],
      ],
    ],
  ] as [number[], number[], number, [number, number], Pad][])(
    'satisfy the adjoint identities with dilations %j %j',
    async (xShape, wShape, strides, dilations, pad) => {
      // tfjs' depthwise gradient rejects dilations and the cpu backprop kernels ignore them, so the
      // oracle is the adjoint definition: <dW, V> = <dY, dw(x, V)>, <dX, U> = <dY, dw(U, W)>, with the
      // cpu's dilated forward depthwise convolution.
      const forward = (input: tf.Tensor, filter: tf.Tensor) =>
        tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, strides, pad, 'NHWC', dilations);
      const dot = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b));
      const [reference] = await valuesOn('cpu', () => {
        const x = normal(xShape, 1);
        const w = normal(wShape, 2);
        const dy = normal(forward(x, w).shape, 3);
        return tf.stack([dot(dy, forward(x, normal(wShape, 4))), dot(dy, forward(normal(xShape, 5), w))]);
      });
      const [actual] = await valuesOn('wasm', () => {
        const x = normal(xShape, 1);
        const w = normal(wShape, 2);
        const dy = normal(forward(x, w).shape, 3);
        const attrs = { strides, pad, dilations };
        const dw = runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { ...attrs, filterShape: wShape },
        );
        const dx = runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter: w },
          { ...attrs, inputShape: xShape },
        );
        return tf.stack([dot(dw, normal(wShape, 4)), dot(dx, normal(xShape, 5))]);
      });
      expect(relativeError(actual!, reference!)).toBeLessThan(1e-4);
    },
  );

  it('flow through tf.grads of depthwiseConv2d like on cpu', async () => {
    const f = () => {
      const x = normal([2, 6, 6, 4], 1);
      const w = normal([3, 3, 4, 1], 2);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))),
      )([x, w]);
      return [dx!, dw!];
    };
    const [cpuDx, cpuDw] = await valuesOn('cpu', f);
    const [wasmDx, wasmDw] = await valuesOn('wasm', f);
    expect(relativeError(wasmDx!, cpuDx!)).toBeLessThan(1e-4);
    expect(relativeError(wasmDw!, cpuDw!)).toBeLessThan(1e-4);
  });

  it('compute a hand-checkable case exactly', async () => {
    // One 2x2 channel, 2x2 filter, 'valid': a single output o = sum(x * w). With dy = 1:
    // dW = x and dX = w.
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const w = tf.tensor4d([5, 6, 7, 8], [2, 2, 1, 1]);
    const dy = tf.ones([1, 1, 1, 1]);
    const attrs = { strides: 1, pad: 'valid', dilations: 1 };
    const dw = runKernel(
      'DepthwiseConv2dNativeBackpropFilter',
      { x, dy },
      { ...attrs, filterShape: [2, 2, 1, 1] },
    );
    const dx = runKernel(
      'DepthwiseConv2dNativeBackpropInput',
      { dy, filter: w },
      { ...attrs, inputShape: [1, 2, 2, 1] },
    );
    expect(Array.from(dw.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(dx.dataSync())).toEqual([5, 6, 7, 8]);
    tf.dispose([x, w, dy, dw, dx]);
  });

  it('reject a dy of the wrong shape, naming the kernel and both shapes', async () => {
    await tf.setBackend('wasm');
    expect(() =>
      runKernel(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: tf.zeros([1, 4, 4, 2]), dy: tf.zeros([1, 4, 4, 3]) },
        { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 2, 1] },
      ),
    ).toThrow("DepthwiseConv2dNativeBackpropFilter: argument 'dy' has shape [1,4,4,3], expected [1,4,4,2]");
  });
});
