import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients } from './parameters.js';

export interface ClipResult {
  /** Global L2 norm of all gradients before clipping. */
  norm: number;
  /** The gradients after clipping: new tensors when scaled, the inputs otherwise (caller disposes). */
  gradients: NamedGradients;
  clipped: boolean;
}

/**
 * Clips by global norm as `torch.nn.utils.clip_grad_norm_`: when the total L2 norm exceeds maxNorm every
 * gradient is multiplied by maxNorm / (norm + 1e-6). maxNorm <= 0 or Infinity only measures the norm.
 */
export function clipGradientsByGlobalNorm(gradients: NamedGradients, maxNorm: number): ClipResult {
  if (Number.isNaN(maxNorm)) {
    throw new ArgumentError('clipGradientsByGlobalNorm', 'maxNorm', 'must be a number, got NaN');
  }
  const names = Object.keys(gradients);
  if (names.length === 0) return { norm: 0, gradients, clipped: false };
  const squared = tf.tidy(() => tf.addN(names.map((name) => tf.sum(tf.square(gradients[name])))));
  const norm = Math.sqrt(squared.dataSync()[0]);
  squared.dispose();
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm) || !(norm > maxNorm)) {
    return { norm, gradients, clipped: false };
  }
  const scale = maxNorm / (norm + 1e-6);
  const out: NamedGradients = {};
  for (const name of names) out[name] = tf.mul(gradients[name], scale);
  return { norm, gradients: out, clipped: true };
}
