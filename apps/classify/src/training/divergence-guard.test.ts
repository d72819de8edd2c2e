import { describe, expect, it } from 'vitest';
import { ClassifyError } from '../errors.js';
import { assertFiniteTraining } from './divergence-guard.js';

const context = {
  epoch: 2,
  step: 17,
  learningRate: 0.5,
  lastGoodCheckpoint: '/runs/a/checkpoints/last.fdlckpt',
};

describe('assertFiniteTraining', () => {
  it('passes finite values', () => {
    expect(() => assertFiniteTraining({ loss: 1.5, gradientNorm: 3 }, context)).not.toThrow();
  });

  it('names the step, the bad values and the kept checkpoint', () => {
    let error: unknown;
    try {
      assertFiniteTraining({ loss: Number.NaN, gradientNorm: Number.POSITIVE_INFINITY }, context);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClassifyError);
    expect((error as ClassifyError).code).toBe('E_DIVERGED');
    expect((error as Error).message).toBe(
      'training diverged at epoch 2, step 17 (lr 0.5): loss = NaN, gradient norm = Infinity; stopped before updating ' +
        'the weights; the last good checkpoint is kept at /runs/a/checkpoints/last.fdlckpt (resume with --resume and a lower --lr)',
    );
  });

  it('says when no checkpoint exists yet', () => {
    expect(() =>
      assertFiniteTraining({ loss: Number.NEGATIVE_INFINITY }, { ...context, lastGoodCheckpoint: null }),
    ).toThrow(/loss = -Infinity.*no checkpoint had been written yet/);
  });
});
