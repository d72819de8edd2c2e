import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, relativeError, setUpBackends, valuesOn } from './backends.js';

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it('sums rows by segment id, dropping ids out of range (hand-checked)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const out = tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 5], 'int32'), 3);
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(out.dataSync())).toEqual([3, 4, 0, 0, 6, 8]);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([3, 3]);
    tf.dispose([x, out, ints]);
  });

  it('accepts segment ids covering several leading axes (checked against a direct sum)', async () => {
    // tfjs' op takes 1-D ids only (and the cpu kernel mis-broadcasts higher ranks), so the reference
    // is summed here.
    await tf.setBackend('wasm');
    const x = normal([3, 4, 5], 1);
    const idValues = [0, 6, 2, 2, 1, 0, 6, 3, 2, 2, 0, 1];
    const ids = tf.tensor2d(idValues, [3, 4], 'int32');
    const out = tf.engine().runKernel('UnsortedSegmentSum', { x, segmentIds: ids }, {
      numSegments: 7,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const xs = x.dataSync();
    const expected = new Float32Array(7 * 5);
    idValues.forEach((id, i) => {
      for (let k = 0; k < 5; k++) expected[id * 5 + k]! += xs[i * 5 + k];
    });
    expect(out.shape).toEqual([7, 5]);
    expect(relativeError(Float32Array.from(out.dataSync()), expected)).toBeLessThan(1e-6);
    expect(Array.from(out.dataSync().slice(20, 30)).every((v) => v === 0)).toBe(true);
    tf.dispose([x, ids, out]);
  });

  it('gives the gradient of gather', async () => {
    const f = () => {
      const table = normal([6, 3], 1);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([4, 0, 4, 2], 'int32')))))(
        table,
      );
    };
    const [cpu] = await valuesOn('cpu', f);
    const [wasm] = await valuesOn('wasm', f);
    expect(relativeError(wasm!, cpu!)).toBeLessThan(1e-6);
  });

  it('rejects a negative segment count', async () => {
    await tf.setBackend('wasm');
    expect(() =>
      tf.engine().runKernel('UnsortedSegmentSum', { x: tf.zeros([2]), segmentIds: tf.zeros([2], 'int32') }, {
        numSegments: -1,
      } as unknown as tf.NamedAttrMap),
    ).toThrow("UnsortedSegmentSum: attribute 'numSegments' must be a non-negative integer, got -1");
  });
});
