import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, relativeError, setUpBackends, valuesOn } from './backends.js';

describe('Tile on wasm (block copies)', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it('repeats a hand-checkable matrix', async () => {
    await tf.setBackend('wasm');
    const out = tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2]), [2, 3]);
    expect(out.shape).toEqual([4, 6]);
    expect(Array.from(out.dataSync())).toEqual([
      1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
    ]);
    out.dispose();
  });

  it.each([
    [
      [1, 1, 1, 5],
      [2, 3, 4, 1],
    ],
    [
      [2, 3, 4],
      [3, 1, 2],
    ],
    [[3], [4]],
    [
      [2, 1, 3, 1, 2],
      [1, 4, 1, 3, 2],
    ],
    [
      [1, 1],
      [1, 1],
    ],
    [
      [0, 2],
      [3, 2],
    ],
  ])('matches cpu for shape %j and reps %j', async (shape, reps) => {
    const f = () => [
      tf.tile(normal(shape, 1), reps),
      tf.tile(tf.cast(tf.mul(normal(shape, 2), 10), 'int32'), reps),
    ];
    const cpu = await valuesOn('cpu', f);
    const wasm = await valuesOn('wasm', f);
    expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
    expect(Array.from(wasm[1]!)).toEqual(Array.from(cpu[1]!));
  });

  it('gives the batch-norm gradient of tfjs-core (which tiles) like cpu', async () => {
    const f = () => {
      const x = normal([2, 3, 3, 4], 1);
      const [dx] = tf.grads((a: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        const scale = tf.tensor1d([1, 2, 3, 4]);
        const offset = tf.tensor1d([0, 1, 0, 1]);
        const y = tf.batchNorm4d(
          a as tf.Tensor4D,
          mean as tf.Tensor1D,
          variance as tf.Tensor1D,
          offset,
          scale,
        );
        return tf.sum(tf.mul(y, tf.sin(a)));
      })([x]);
      return dx!;
    };
    const [cpu] = await valuesOn('cpu', f);
    const [wasm] = await valuesOn('wasm', f);
    expect(relativeError(wasm!, cpu!)).toBeLessThan(1e-4);
  });
});
