import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WasmTrainingError } from '../src/index.js';
import { normal, relativeError, setUpBackends, valuesOn } from './backends.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** [input NHWC, filter HWIO, strides, pad] */
const GRID: [number[], number[], number | [number, number], Pad][] = [
  [[2, 7, 9, 3], [3, 3, 3, 4], 1, 'same'],
  [[2, 7, 9, 3], [3, 3, 3, 4], 2, 'same'],
  [[2, 8, 8, 3], [3, 3, 3, 4], 2, 'valid'],
  [[1, 9, 7, 5], [1, 1, 5, 6], 2, 'same'],
  [[1, 9, 7, 5], [1, 1, 5, 6], 1, 'valid'],
  [[1, 6, 6, 4], [1, 1, 4, 2], 2, 'valid'],
  [
    [1, 9, 7, 2],
    [5, 3, 2, 3],
    [2, 3],
    [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  ],
  [
    [1, 8, 8, 2],
    [3, 3, 2, 3],
    2,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ],
  [
    [1, 5, 5, 2],
    [3, 3, 2, 2],
    1,
    [
      [0, 0],
      [4, 0],
      [0, 4],
      [0, 0],
    ],
  ],
  [[3, 5, 5, 2], [2, 2, 2, 2], 1, 'valid'],
  [[1, 11, 11, 3], [7, 7, 3, 4], 2, 'same'],
  [[2, 6, 6, 3], [3, 3, 3, 2], 3, 'same'],
  [[1, 1, 1, 3], [1, 1, 3, 2], 1, 'valid'],
  [[1, 1, 1, 3], [3, 3, 3, 2], 2, 'same'],
  [[2, 4, 4, 16], [3, 3, 16, 40], 1, 'same'],
];

function conv2dGradients(
  x: tf.Tensor,
  w: tf.Tensor,
  strides: number | [number, number],
  pad: Pad,
): tf.Tensor[] {
  const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad);
  const upstream = normal(y.shape, 3);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), upstream)),
  )([x, w]);
  return [dx!, dw!];
}

/** Direct kernel call with attributes tfjs' own ops never pass (dilations on the backprop kernels). */
function runKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function dot(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(a, b));
}

describe('Conv2DBackpropFilter / Conv2DBackpropInput on wasm', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each(GRID.map((c) => [JSON.stringify(c), c] as const))('match the cpu gradients: %s', async (_, c) => {
    const [xShape, wShape, strides, pad] = c;
    const f = () => conv2dGradients(normal(xShape, 1), normal(wShape, 2), strides, pad);
    const [cpuDx, cpuDw] = await valuesOn('cpu', f);
    const [wasmDx, wasmDw] = await valuesOn('wasm', f);
    expect(relativeError(wasmDx!, cpuDx!)).toBeLessThan(1e-4);
    expect(relativeError(wasmDw!, cpuDw!)).toBeLessThan(1e-4);
  });

  it('compute a hand-checkable 1x1 case exactly', async () => {
    // y = w * x on a 2x2 single-channel image; with dy = [[1, 2], [3, 4]]:
    // dW = sum(x * dy) = 1*1 + 2*2 + 3*3 + 4*4 = 30 and dX = w * dy = 2 * dy.
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const dy = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const w = tf.tensor4d([2], [1, 1, 1, 1]);
    const dw = runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 1, pad: 'valid', filterShape: [1, 1, 1, 1] },
    );
    const dx = runKernel(
      'Conv2DBackpropInput',
      { dy, filter: w },
      { strides: 1, pad: 'valid', inputShape: [1, 2, 2, 1] },
    );
    expect(Array.from(dw.dataSync())).toEqual([30]);
    expect(Array.from(dx.dataSync())).toEqual([2, 4, 6, 8]);
    tf.dispose([x, dy, w, dw, dx]);
  });

  it.each([
    [[1, 9, 9, 2], [3, 3, 2, 3], 1, [2, 2], 'same'],
    [[2, 10, 8, 3], [3, 2, 3, 2], 1, [2, 3], 'valid'],
    [
      [1, 11, 11, 2],
      [3, 3, 2, 2],
      1,
      [3, 2],
      [
        [0, 0],
        [1, 2],
        [3, 0],
        [0, 0],
      ],
    ],
  ] as [number[], number[], number, [number, number], Pad][])(
    'satisfy the adjoint identities with dilations %j %j',
    async (xShape, wShape, strides, dilations, pad) => {
      // The cpu backend's backprop kernels ignore dilations, so the oracle is the definition of the
      // adjoint: <dW, V> = <dY, conv(x, V)> and <dX, U> = <dY, conv(U, W)> for random U, V.
      const forward = (input: tf.Tensor, filter: tf.Tensor) =>
        tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, strides, pad, 'NHWC', dilations);
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
        const dw = runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: wShape });
        const dx = runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape });
        return tf.stack([dot(dw, normal(wShape, 4)), dot(dx, normal(xShape, 5))]);
      });
      expect(relativeError(actual!, reference!)).toBeLessThan(1e-4);
    },
  );

  it('return a zero filter gradient for an empty batch', async () => {
    await tf.setBackend('wasm');
    const dw = runKernel(
      'Conv2DBackpropFilter',
      { x: tf.zeros([0, 4, 4, 2]), dy: tf.zeros([0, 4, 4, 3]) },
      { strides: 1, pad: 'same', filterShape: [3, 3, 2, 3] },
    );
    expect(dw.shape).toEqual([3, 3, 2, 3]);
    expect(Array.from(dw.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('reject NCHW and mismatched dy with WasmTrainingError naming the kernel and shapes', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    expect(() =>
      runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] },
      ),
    ).toThrow(/Conv2DBackpropFilter: supports dataFormat 'NHWC' only, got 'NCHW'/);
    let error: unknown;
    try {
      runKernel(
        'Conv2DBackpropInput',
        { dy: tf.zeros([1, 2, 2, 3]), filter: tf.zeros([3, 3, 2, 3]) },
        {
          strides: 1,
          pad: 'same',
          inputShape: [1, 4, 4, 2],
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WasmTrainingError);
    expect((error as WasmTrainingError).code).toBe('E_WASM_TRAIN');
    expect((error as Error).message).toContain("argument 'dy' has shape [1,2,2,3], expected [1,4,4,3]");
  });

  it('free every intermediate heap tensor', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = normal([2, 9, 9, 4], 1);
    const w = normal([3, 3, 4, 5], 2);
    const tensorsBefore = tf.memory().numTensors;
    const idsBefore = backend.numDataIds();
    tf.tidy(() => {
      conv2dGradients(x, w, 2, 'same');
      conv2dGradients(x, normal([1, 1, 4, 6], 3), 2, 'valid');
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(idsBefore);
    tf.dispose([x, w]);
  });
});
