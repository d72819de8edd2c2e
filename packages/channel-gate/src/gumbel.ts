import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { createUniformSource, randomSeed } from './random.js';
import { formatShape, requirePositive, requireSameShape } from './validate.js';

/** Options of {@link sampleGumbel}. */
export interface GumbelNoiseOptions {
  /** Seed of the noise; the same seed gives the same noise on every backend. Omit for fresh noise. */
  seed?: number;
}

/**
 * Standard Gumbel(0, 1) noise `g = -log(-log(u))`, u uniform in the open interval (0, 1), computed in
 * float64 in JavaScript and returned as a float32 tensor of `shape`.
 */
export function sampleGumbel(shape: readonly number[], options: GumbelNoiseOptions = {}): tf.Tensor {
  if (!Array.isArray(shape) || shape.some((size) => !Number.isInteger(size) || size < 0)) {
    throw new ArgumentError(
      'sampleGumbel',
      'shape',
      `must be a list of non-negative integers, got ${String(shape)}`,
    );
  }
  const count = shape.reduce((product, size) => product * size, 1);
  const source = createUniformSource(options.seed ?? randomSeed());
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = -Math.log(-Math.log(source.next()));
  return tf.tensor(values, [...shape], 'float32');
}

/** Options of {@link gumbelSoftmax}. */
export interface GumbelSoftmaxOptions {
  /** Temperature tau > 0: the soft sample is softmax((logits + g) / tau); lower tau is sharper. */
  tau?: number;
  /** Hard samples: forward exactly one-hot, backward the soft sample's gradient (straight-through). */
  hard?: boolean;
  /** Gumbel noise with the shape of the logits; when given, `seed` is ignored. */
  noise?: tf.Tensor;
  /** Seed of the Gumbel noise when `noise` is not given. */
  seed?: number;
}

/** Defaults of {@link gumbelSoftmax}. */
export const GUMBEL_SOFTMAX_DEFAULTS = Object.freeze({ tau: 1, hard: false });

/**
 * Gumbel-softmax over the last axis of `logits` (any rank >= 1, last axis = the K categories).
 * Returns a tensor of the same shape: soft samples (rows sum to 1) or, with `hard`, one-hot rows whose
 * gradient is that of the soft sample.
 */
export function gumbelSoftmax(logits: tf.Tensor, options: GumbelSoftmaxOptions = {}): tf.Tensor {
  const tau = options.tau ?? GUMBEL_SOFTMAX_DEFAULTS.tau;
  requirePositive('gumbelSoftmax', 'options.tau', tau);
  requireLogits('gumbelSoftmax', logits);
  const ownsNoise = options.noise === undefined;
  const noise = options.noise ?? sampleGumbel(logits.shape, { seed: options.seed });
  if (!ownsNoise) requireSameShape('gumbelSoftmax', 'options.noise', noise.shape, logits.shape);
  try {
    return (options.hard ?? GUMBEL_SOFTMAX_DEFAULTS.hard)
      ? gumbelSoftmaxHard(logits, noise, tau)
      : gumbelSoftmaxSoft(logits, noise, tau);
  } finally {
    if (ownsNoise) noise.dispose();
  }
}

/** Soft sample softmax((logits + noise) / tau) over the last axis; differentiable in the logits. */
export function gumbelSoftmaxSoft(logits: tf.Tensor, noise: tf.Tensor, tau: number): tf.Tensor {
  requirePositive('gumbelSoftmaxSoft', 'tau', tau);
  requireLogits('gumbelSoftmaxSoft', logits);
  requireSameShape('gumbelSoftmaxSoft', 'noise', noise.shape, logits.shape);
  return tf.tidy(() => tf.softmax(tf.div(tf.add(logits, noise), tau)));
}

/**
 * Hard straight-through sample: the forward value is exactly one-hot at argmax(logits + noise) (ties go
 * to the lowest index); the gradient with respect to the logits is the soft sample's gradient,
 * y * (dy - sum(dy * y)) / tau with y = softmax((logits + noise) / tau). Written with `tf.customGrad`
 * rather than `hard - stopGradient(soft) + soft`, whose forward value is not exactly 0/1 in float32.
 */
export function gumbelSoftmaxHard(logits: tf.Tensor, noise: tf.Tensor, tau: number): tf.Tensor {
  requirePositive('gumbelSoftmaxHard', 'tau', tau);
  requireLogits('gumbelSoftmaxHard', logits);
  requireSameShape('gumbelSoftmaxHard', 'noise', noise.shape, logits.shape);
  const straightThrough = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, g, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const { hard, soft } = tf.tidy(() => {
      const perturbed = tf.add(x, g);
      const categories = x.shape[x.shape.length - 1];
      const soft = tf.softmax(tf.div(perturbed, tau));
      // tf.oneHot needs depth >= 2; one category is always the winner.
      if (categories === 1) return { hard: tf.onesLike(x), soft };
      const winners = tf.argMax(tf.reshape(perturbed, [-1, categories]), 1);
      const oneHot = tf.cast(tf.oneHot(winners, categories), 'float32');
      return { hard: tf.reshape(oneHot, x.shape), soft };
    });
    save([soft]);
    soft.dispose();
    return {
      value: hard,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const y = saved[0];
        const gradient = tf.div(tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true))), tau);
        // The noise enters exactly like the logits; its gradient is returned for completeness.
        return [gradient, tf.clone(gradient)];
      },
    };
  });
  return straightThrough(logits, noise);
}

function requireLogits(functionName: string, logits: tf.Tensor): void {
  if (!(logits instanceof tf.Tensor)) {
    throw new ArgumentError(functionName, 'logits', 'must be a tf.Tensor');
  }
  if (logits.rank < 1 || logits.shape[logits.rank - 1] < 1) {
    throw new ArgumentError(
      functionName,
      'logits',
      `must have rank >= 1 and at least one category on the last axis, got shape ${formatShape(logits.shape)}`,
      { shape: logits.shape },
    );
  }
  if (logits.dtype !== 'float32') {
    throw new ArgumentError(functionName, 'logits', `must be float32, got ${logits.dtype}`, {
      dtype: logits.dtype,
    });
  }
}
