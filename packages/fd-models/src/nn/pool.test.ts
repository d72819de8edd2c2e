import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { globalAveragePool, maxPool2d } from './pool.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('maxPool2d (torch padding = -infinity)', () => {
  it('pads with -infinity, so all-negative inputs keep their maxima', () => {
    const x = tf.tensor4d([-4, -3, -2, -1], [1, 2, 2, 1]);
    const y = maxPool2d(x, 3, 2, 1);
    expect(y.shape).toEqual([1, 1, 1, 1]);
    expect(Array.from(y.dataSync())).toEqual([-1]);
    tf.dispose([x, y]);
  });

  it('3x3 stride 2 padding 1 on a 5x5 ramp gives torch windows', () => {
    const x = tf.tensor4d(
      Array.from({ length: 25 }, (_, i) => i),
      [1, 5, 5, 1],
    );
    const y = maxPool2d(x, 3, 2, 1);
    // Windows centred at rows/cols 0, 2, 4: max is at the bottom-right of each clipped window.
    expect(Array.from(y.dataSync())).toEqual([6, 8, 9, 16, 18, 19, 21, 23, 24]);
    tf.dispose([x, y]);
  });

  it('globalAveragePool averages over H and W', () => {
    const x = tf.tensor4d([1, 10, 3, 30], [1, 2, 1, 2]);
    const y = globalAveragePool(x);
    expect(Array.from(y.dataSync())).toEqual([2, 20]);
    tf.dispose([x, y]);
  });
});
