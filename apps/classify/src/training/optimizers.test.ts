import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamWOptimizer } from './adamw-optimizer.js';
import type { NamedParameter } from './parameters.js';
import { SgdOptimizer } from './sgd-optimizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function parameter(name: string, values: number[], shape: number[]): NamedParameter {
  return { name, variable: tf.variable(tf.tensor(values, shape), true, `${name}-${Math.random()}`) };
}

function values(p: NamedParameter): number[] {
  return Array.from(p.variable.dataSync());
}

describe('SgdOptimizer', () => {
  it('matches torch.optim.SGD by hand for two steps with momentum and coupled weight decay', () => {
    const w = parameter('fc.weight', [1, -2], [1, 2]);
    const sgd = new SgdOptimizer({ momentum: 0.9, weightDecay: 0.1, nesterov: false });
    const g = { 'fc.weight': tf.tensor([[0.5, 0.5]]) };
    sgd.apply([w], g, 0.1);
    // d = g + 0.1 * p = [0.6, 0.3]; buf = d; p = p - 0.1 * d = [0.94, -2.03]
    expect(values(w)[0]).toBeCloseTo(0.94, 6);
    expect(values(w)[1]).toBeCloseTo(-2.03, 6);
    sgd.apply([w], g, 0.1);
    // d = [0.5 + 0.094, 0.5 - 0.203] = [0.594, 0.297]; buf = 0.9 * [0.6, 0.3] + d = [1.134, 0.567]
    expect(values(w)[0]).toBeCloseTo(0.94 - 0.1134, 6);
    expect(values(w)[1]).toBeCloseTo(-2.03 - 0.0567, 6);
    expect(sgd.step).toBe(2);
  });

  it('nesterov uses d + momentum * buf', () => {
    const w = parameter('fc.weight', [1], [1, 1]);
    const sgd = new SgdOptimizer({ momentum: 0.5, weightDecay: 0, nesterov: true });
    sgd.apply([w], { 'fc.weight': tf.tensor([[1]]) }, 1);
    // buf = 1; update = 1 + 0.5 = 1.5
    expect(values(w)[0]).toBeCloseTo(-0.5, 6);
  });

  it('exempts rank-1 tensors from weight decay when asked', () => {
    const b = parameter('bn1.weight', [2], [1]);
    const sgd = new SgdOptimizer({ momentum: 0, weightDecay: 0.5, excludeNormAndBiasFromDecay: true });
    sgd.apply([b], { 'bn1.weight': tf.tensor([0]) }, 1);
    expect(values(b)[0]).toBe(2);
    const sgdAll = new SgdOptimizer({ momentum: 0, weightDecay: 0.5, excludeNormAndBiasFromDecay: false });
    sgdAll.apply([b], { 'bn1.weight': tf.tensor([0]) }, 1);
    expect(values(b)[0]).toBeCloseTo(1, 6);
  });

  it('restores state so a resumed optimizer continues identically', () => {
    const a = parameter('w', [1, 2], [2, 1]);
    const b = parameter('w', [1, 2], [2, 1]);
    const g = { w: tf.tensor([[0.3], [-0.1]]) };
    const first = new SgdOptimizer({ momentum: 0.9 });
    first.apply([a], g, 0.1);
    b.variable.assign(a.variable);
    const second = new SgdOptimizer({ momentum: 0.9 });
    second.loadState(first.state());
    first.apply([a], g, 0.1);
    second.apply([b], g, 0.1);
    expect(values(b)).toEqual(values(a));
    expect(second.step).toBe(2);
  });

  it('scales the rate per parameter group', () => {
    const a = parameter('inp_GM.inp_gate_l.bias', [1], [1, 1]);
    const b = parameter('fc.weight', [1], [1, 1]);
    const sgd = new SgdOptimizer({ momentum: 0, weightDecay: 0 });
    sgd.apply(
      [a, b],
      { 'inp_GM.inp_gate_l.bias': tf.tensor([[1]]), 'fc.weight': tf.tensor([[1]]) },
      0.1,
      (p) => (p.name.startsWith('inp_GM.') ? 10 : 1),
    );
    expect(values(a)[0]).toBeCloseTo(0, 6);
    expect(values(b)[0]).toBeCloseTo(0.9, 6);
    expect(sgd.step).toBe(1);
  });

  it('keeps a constant number of tensors across steps', () => {
    const w = parameter('w', [1, 2], [2]);
    const sgd = new SgdOptimizer({ momentum: 0.9 });
    const g = { w: tf.tensor([0.1, 0.2]) };
    sgd.apply([w], g, 0.1);
    const before = tf.memory().numTensors;
    sgd.apply([w], g, 0.1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a momentum outside [0, 1)', () => {
    expect(() => new SgdOptimizer({ momentum: 1 })).toThrow(
      "SgdOptimizer: argument 'options.momentum' must be in [0, 1), got 1",
    );
  });
});

describe('AdamWOptimizer', () => {
  it('one step equals the hand computation with decoupled decay', () => {
    const w = parameter('fc.weight', [1, -1], [1, 2]);
    const adamw = new AdamWOptimizer({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 });
    adamw.apply([w], { 'fc.weight': tf.tensor([[0.2, -0.4]]) }, 0.01);
    // step 1: m = 0.1 g, v = 0.001 g^2; mhat = g, vhat = g^2; update = g / (|g| + eps) = sign(g)
    // p = p * (1 - 0.01 * 0.1) - 0.01 * sign(g)
    expect(values(w)[0]).toBeCloseTo(1 * 0.999 - 0.01, 6);
    expect(values(w)[1]).toBeCloseTo(-1 * 0.999 + 0.01, 6);
  });

  it('second step uses bias-corrected moments', () => {
    const w = parameter('w', [0], [1, 1]);
    const adamw = new AdamWOptimizer({ beta1: 0.9, beta2: 0.99, epsilon: 0, weightDecay: 0 });
    adamw.apply([w], { w: tf.tensor([[1]]) }, 0.1);
    adamw.apply([w], { w: tf.tensor([[3]]) }, 0.1);
    const m = 0.9 * 0.1 + 0.1 * 3; // 0.39
    const v = 0.99 * 0.01 + 0.01 * 9; // 0.0999
    const mhat = m / (1 - 0.9 ** 2);
    const vhat = v / (1 - 0.99 ** 2);
    expect(values(w)[0]).toBeCloseTo(-0.1 - 0.1 * (mhat / Math.sqrt(vhat)), 5);
  });

  it('weight decay does not touch exempt parameters', () => {
    const b = parameter('conv.bias', [5], [1]);
    const adamw = new AdamWOptimizer({ weightDecay: 1 });
    adamw.apply([b], { 'conv.bias': tf.tensor([0]) }, 0.5);
    expect(values(b)[0]).toBe(5);
  });

  it('state round-trips and rejects a foreign state', () => {
    const w = parameter('w', [1], [1, 1]);
    const adamw = new AdamWOptimizer();
    adamw.apply([w], { w: tf.tensor([[1]]) }, 0.1);
    const state = adamw.state();
    expect(Object.keys(state.tensors).sort()).toEqual(['w/exp_avg', 'w/exp_avg_sq']);
    expect(state.tensors['w/exp_avg'].dataSync()[0]).toBeCloseTo(0.1, 6);
    const copy = new AdamWOptimizer();
    copy.loadState(state);
    expect(copy.step).toBe(1);
    expect(() => copy.loadState({ kind: 'sgd', step: 0, tensors: {} })).toThrow(/must be 'adamw', got 'sgd'/);
  });
});
