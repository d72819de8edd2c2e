import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { gumbelSoftmaxHard } from './gumbel.js';
import { gateRegularizer } from './regularizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gateRegularizer', () => {
  it('equals lambda * channels-on per sample (sum) and lambda * mean (official) on a hand-computed mask', async () => {
    const mask = tf.tensor2d([
      [1, 0, 1],
      [0, 0, 1],
    ]);
    const sum = gateRegularizer(mask, { lambda: 0.5 });
    const mean = gateRegularizer(mask, { lambda: 0.5, reduction: 'mean' });
    const off = gateRegularizer(mask, { lambda: 0 });
    expect((await sum.data())[0]).toBeCloseTo(0.75, 7); // 0.5 * (2 + 1) / 2
    expect((await mean.data())[0]).toBeCloseTo(0.25, 7); // 0.5 * 3 / 6
    expect((await off.data())[0]).toBe(0);
    expect(sum.shape).toEqual([]);
    tf.dispose([mask, sum, mean, off]);
  });

  it('pushes every "on" logit down through the straight-through mask', async () => {
    const logits = tf.tensor3d([
      [
        [0.1, 2],
        [0.3, -1],
      ],
    ]);
    const noise = tf.zeros([1, 2, 2]);
    const gradient = tf.grad((x: tf.Tensor) => {
      const sample = gumbelSoftmaxHard(x, noise, 1);
      const mask = tf.reshape(tf.slice(sample, [0, 0, 1], [1, 2, 1]), [1, 2]);
      return gateRegularizer(mask, { lambda: 1 });
    })(logits);
    const values = await gradient.data();
    // d(on)/d(logit_on) = p(1 - p) > 0 and d(on)/d(logit_off) = -p(1 - p).
    const p0 = 1 / (1 + Math.exp(-1.9));
    const p1 = 1 / (1 + Math.exp(1.3));
    expect(Array.from(values)).toEqual([
      expect.closeTo(-p0 * (1 - p0), 6),
      expect.closeTo(p0 * (1 - p0), 6),
      expect.closeTo(-p1 * (1 - p1), 6),
      expect.closeTo(p1 * (1 - p1), 6),
    ]);
    tf.dispose([logits, noise, gradient]);
  });

  it('leaks nothing and names argument and value in its errors', () => {
    const mask = tf.ones([2, 3]);
    const before = tf.memory().numTensors;
    gateRegularizer(mask, { lambda: 1 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => gateRegularizer(mask, { lambda: -1 })).toThrow(
      "gateRegularizer: argument 'options.lambda' must be a finite number >= 0, got -1",
    );
    expect(() => gateRegularizer(mask, { lambda: 1, reduction: 'max' as never })).toThrow(
      "gateRegularizer: argument 'options.reduction' must be 'sum' or 'mean', got 'max'",
    );
    const cube = tf.ones([2, 3, 1]);
    expect(() => gateRegularizer(cube, { lambda: 1 })).toThrow(
      "gateRegularizer: argument 'mask' must be a [batch, C] tensor with batch >= 1, got shape [2, 3, 1]",
    );
    tf.dispose([mask, cube]);
  });
});
