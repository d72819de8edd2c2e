import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { formatShape, requireNonNegative } from './validate.js';

/**
 * - `sum`: lambda * (1/B) * sum over samples and channels of the gate: the paper's eq. 2, the expected
 *   number of channels an image uses, times lambda;
 * - `mean`: lambda * mean over samples and channels, as the official code computes it (the same loss
 *   divided by C, so its lambda is C times larger for the same pressure).
 */
export type GateRegularizerReduction = 'sum' | 'mean';

/** Options of {@link gateRegularizer}. */
export interface GateRegularizerOptions {
  /** Weight lambda >= 0 of the penalty. */
  lambda: number;
  reduction?: GateRegularizerReduction;
}

/** Default reduction: the paper's sum over channels. */
export const GATE_REGULARIZER_DEFAULTS = Object.freeze({ reduction: 'sum' as GateRegularizerReduction });

/**
 * The gate penalty as its own scalar loss term (add it to the task loss, log it apart).
 * `mask` is [batch, C] (the `mask` of `gateForward`); gradients flow through the mask, so in `hard`
 * mode they reach the gate logits through the straight-through estimator.
 */
export function gateRegularizer(mask: tf.Tensor, options: GateRegularizerOptions): tf.Scalar {
  requireNonNegative('gateRegularizer', 'options.lambda', options?.lambda);
  const reduction = options.reduction ?? GATE_REGULARIZER_DEFAULTS.reduction;
  if (reduction !== 'sum' && reduction !== 'mean') {
    throw new ArgumentError(
      'gateRegularizer',
      'options.reduction',
      `must be 'sum' or 'mean', got '${reduction}'`,
    );
  }
  if (!(mask instanceof tf.Tensor) || mask.rank !== 2 || mask.shape[0] === 0) {
    throw new ArgumentError(
      'gateRegularizer',
      'mask',
      `must be a [batch, C] tensor with batch >= 1, got ${mask instanceof tf.Tensor ? `shape ${formatShape(mask.shape)}` : typeof mask}`,
    );
  }
  return tf.tidy(() => {
    const reduced = reduction === 'sum' ? tf.div(tf.sum(mask), mask.shape[0]) : tf.mean(mask);
    return tf.mul(reduced, options.lambda) as tf.Scalar;
  });
}
