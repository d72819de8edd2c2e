import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfToTorch } from './layout.js';
import { Linear } from './linear.js';
import { ParameterStore, Scope } from './parameter-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Linear', () => {
  it('computes x W^T + b with the torch [out, in] weight', () => {
    const store = new ParameterStore();
    const linear = new Linear(new Scope(store, 'fc', 0), 3, 2);
    // torch weight [[1, 2, 3], [4, 5, 6]] -> tfjs [in, out] [[1, 4], [2, 5], [3, 6]]
    linear.weight.assign(tf.tensor2d([1, 4, 2, 5, 3, 6], [3, 2]));
    linear.bias.assign(tf.tensor1d([0.5, -1]));
    const x = tf.tensor2d([1, 0, -1, 2, 2, 2], [2, 3]);
    const y = linear.forward(x);
    expect(Array.from(y.dataSync())).toEqual([1 - 3 + 0.5, 4 - 6 - 1, 12 + 0.5, 30 - 1]);
    const entry = store.get('fc.weight')!;
    expect(entry.torchShape).toEqual([2, 3]);
    expect(
      Array.from(tfToTorch(entry.kind, entry.torchShape, linear.weight.dataSync() as Float32Array)),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    tf.dispose([x, y]);
    store.dispose();
  });

  it('initialises like torch: uniform +-1/sqrt(fan_in) by default, N(0, std) with zero bias on request', () => {
    const store = new ParameterStore();
    const uniform = new Linear(new Scope(store, 'a', 1), 100, 50);
    const bound = 1 / Math.sqrt(100);
    const values = uniform.weight.dataSync();
    expect(Math.max(...values)).toBeLessThanOrEqual(bound);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...values)).toBeGreaterThan(bound * 0.9);
    const normal = new Linear(new Scope(store, 'b', 1), 100, 50, { kind: 'normal', std: 0.01 });
    const std = Math.sqrt((normal.weight.dataSync() as Float32Array).reduce((s, v) => s + v * v, 0) / 5000);
    expect(std).toBeGreaterThan(0.0095);
    expect(std).toBeLessThan(0.0105);
    expect(Array.from(normal.bias.dataSync()).every((v) => v === 0)).toBe(true);
    store.dispose();
  });

  it('rejects duplicate names in one store', () => {
    const store = new ParameterStore();
    new Linear(new Scope(store, 'fc', 0), 2, 2);
    expect(() => new Linear(new Scope(store, 'fc', 0), 2, 2)).toThrow(
      "ParameterStore.add: duplicate parameter name 'fc.weight'",
    );
    store.dispose();
  });
});
