import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, relativeError, setUpBackends, valuesOn } from './backends.js';

describe('Sum / Mean on wasm (per-channel fast path)', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it('reduces a hand-checkable NHWC tensor per channel', async () => {
    await tf.setBackend('wasm');
    // Two positions, three channels: [[1, 2, 3], [5, 6, 7]].
    const x = tf.tensor4d([1, 2, 3, 5, 6, 7], [2, 1, 1, 3]);
    const sum = tf.sum(x, [0, 1, 2]);
    const mean = tf.mean(x, [0, 1, 2], true);
    expect(Array.from(sum.dataSync())).toEqual([6, 8, 10]);
    expect(mean.shape).toEqual([1, 1, 1, 3]);
    expect(Array.from(mean.dataSync())).toEqual([3, 4, 5]);
    tf.dispose([x, sum, mean]);
  });

  it.each([
    [[3, 5, 7, 6], [0, 1, 2], false],
    [[3, 5, 7, 6], [-4, -3, -2], true],
    [[2, 3, 4, 5], [2, 0, 1], false],
    [[50, 9], [0], false],
    [[3, 5, 7, 6], [1, 2], false],
    [[3, 5, 7, 6], [3], true],
    [[3, 5, 7, 6], null, false],
    [[0, 4, 4, 3], [0, 1, 2], false],
  ] as [number[], number[] | null, boolean][])(
    'match cpu for shape %j, axes %j, keepDims %s',
    async (shape, axes, keepDims) => {
      const f = () => {
        const x = normal(shape, 1);
        return [tf.sum(x, axes ?? undefined, keepDims), tf.mean(x, axes ?? undefined, keepDims)];
      };
      const [cpuSum, cpuMean] = await valuesOn('cpu', f);
      const [wasmSum, wasmMean] = await valuesOn('wasm', f);
      expect(wasmSum!.length).toBe(cpuSum!.length);
      if (cpuSum!.length > 0 && !cpuMean!.some(Number.isNaN)) {
        expect(relativeError(wasmSum!, cpuSum!)).toBeLessThan(1e-5);
        expect(relativeError(wasmMean!, cpuMean!)).toBeLessThan(1e-5);
      }
    },
  );

  it('leaves int32 sums to the original kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32');
    const sum = tf.sum(x, [0, 1]);
    expect(sum.dtype).toBe('int32');
    expect(Array.from(sum.dataSync())).toEqual([16, 20]);
    tf.dispose([x, sum]);
  });
});
