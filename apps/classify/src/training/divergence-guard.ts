import { ClassifyError } from '../errors.js';

export interface DivergenceContext {
  epoch: number;
  step: number;
  learningRate: number;
  /** Checkpoint that stays valid (the last one written before the failure), or null when none exists yet. */
  lastGoodCheckpoint: string | null;
}

/**
 * Throws E_DIVERGED when the loss or the gradient norm is NaN or infinite. Called before the optimizer
 * update, so the weights and the last checkpoint are never overwritten with non-finite values.
 */
export function assertFiniteTraining(
  values: { loss: number; gradientNorm?: number },
  context: DivergenceContext,
): void {
  const bad: string[] = [];
  if (!Number.isFinite(values.loss)) bad.push(`loss = ${values.loss}`);
  if (values.gradientNorm !== undefined && !Number.isFinite(values.gradientNorm)) {
    bad.push(`gradient norm = ${values.gradientNorm}`);
  }
  if (bad.length === 0) return;
  const keep =
    context.lastGoodCheckpoint === null
      ? 'no checkpoint had been written yet'
      : `the last good checkpoint is kept at ${context.lastGoodCheckpoint} (resume with --resume and a lower --lr)`;
  throw new ClassifyError(
    'E_DIVERGED',
    `training diverged at epoch ${context.epoch}, step ${context.step} (lr ${context.learningRate}): ${bad.join(', ')}; ` +
      `stopped before updating the weights; ${keep}`,
    { ...values, ...context },
  );
}
