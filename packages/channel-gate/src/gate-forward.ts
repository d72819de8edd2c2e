import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { GateWeights } from './gate-weights.js';
import { gumbelSoftmaxHard, gumbelSoftmaxSoft, sampleGumbel } from './gumbel.js';
import { formatShape, requireInRange, requirePositive, requireSameShape } from './validate.js';

/**
 * How the per-channel mask is produced from the two logits (off, on) of each channel:
 * - `hard`: Gumbel sample, exactly 0/1 forward, straight-through gradient (the paper's training mode);
 * - `soft`: Gumbel-softmax probability of "on" at temperature tau (a continuous mask, for annealing);
 * - `stochastic`: a hard Gumbel sample at inference (what the official code evaluates with);
 * - `argmax`: deterministic, on iff logit_on > logit_off (i.e. P(on) > 0.5);
 * - `threshold`: deterministic, on iff P(on) > `threshold`.
 */
export type GateMode = 'hard' | 'soft' | 'stochastic' | 'argmax' | 'threshold';

/** All gate modes, for validation and command lines. */
export const GATE_MODES: readonly GateMode[] = Object.freeze([
  'hard',
  'soft',
  'stochastic',
  'argmax',
  'threshold',
]);

/** Options of {@link gateForward}. */
export interface GateForwardOptions {
  /** Training: batch norm uses batch statistics and updates its moving statistics. */
  training?: boolean;
  /** Default: `hard` when training, `argmax` otherwise. */
  mode?: GateMode;
  /** Gumbel temperature for `hard` / `soft` / `stochastic`. */
  tau?: number;
  /** P(on) threshold of mode `threshold`. */
  threshold?: number;
  /** Seed of the Gumbel noise (same seed, same masks). */
  seed?: number;
  /** Gumbel noise [batch, C, 2] (off, on); overrides `seed`. */
  noise?: tf.Tensor;
  /** Update the moving mean / variance when training (PyTorch semantics). */
  updateMovingStatistics?: boolean;
  /** PyTorch batch-norm momentum: moving = (1 - momentum) * moving + momentum * batch. */
  momentum?: number;
  /** Batch-norm epsilon. */
  epsilon?: number;
}

/** Defaults of {@link gateForward} (batch norm as PyTorch's BatchNorm2d). */
export const GATE_FORWARD_DEFAULTS = Object.freeze({
  tau: 1,
  threshold: 0.5,
  updateMovingStatistics: true,
  momentum: 0.1,
  epsilon: 1e-5,
});

/** Result of {@link gateForward}; the caller owns (and disposes) every tensor. */
export interface GateForwardResult {
  /** The input multiplied by the mask: [batch, H, W, C]. */
  output: tf.Tensor4D;
  /** Per-sample, per-channel gate in [0, 1] (exactly 0/1 except in `soft` mode): [batch, C]. */
  mask: tf.Tensor2D;
  /** P(on) = sigmoid(logit_on - logit_off) without noise: [batch, C]. */
  probabilities: tf.Tensor2D;
  /** The two logits per channel, (off, on): [batch, C, 2]. */
  logits: tf.Tensor3D;
}

/**
 * The gate of paper Fig. 4 as a function: global average pool -> 1x1 conv C->C -> batch norm -> ReLU
 * -> per-channel projection to (off, on) logits -> mask -> input * mask.
 *
 * `input` is [batch, H, W, C] with C = weights.channels. Differentiable in the input and the weights
 * (in `hard` mode through the straight-through estimator); deterministic modes give zero gradient to
 * the gate weights.
 */
export function gateForward(
  weights: GateWeights,
  input: tf.Tensor,
  options: GateForwardOptions = {},
): GateForwardResult {
  const training = options.training ?? false;
  const mode = options.mode ?? (training ? 'hard' : 'argmax');
  const tau = options.tau ?? GATE_FORWARD_DEFAULTS.tau;
  const threshold = options.threshold ?? GATE_FORWARD_DEFAULTS.threshold;
  const momentum = options.momentum ?? GATE_FORWARD_DEFAULTS.momentum;
  const epsilon = options.epsilon ?? GATE_FORWARD_DEFAULTS.epsilon;
  const updateMoving = options.updateMovingStatistics ?? GATE_FORWARD_DEFAULTS.updateMovingStatistics;
  validateGateInput('gateForward', weights, input);
  if (!GATE_MODES.includes(mode)) {
    throw new ArgumentError(
      'gateForward',
      'options.mode',
      `must be one of ${GATE_MODES.join(', ')}, got '${mode}'`,
    );
  }
  requirePositive('gateForward', 'options.tau', tau);
  requireInRange('gateForward', 'options.threshold', threshold, 0, 1);
  requireInRange('gateForward', 'options.momentum', momentum, 0, 1);
  requirePositive('gateForward', 'options.epsilon', epsilon);
  const [batch, , , channels] = input.shape;
  if (training && batch < 2) {
    throw new ArgumentError(
      'gateForward',
      'input',
      `needs a batch of at least 2 in training mode (batch norm over pooled vectors), got shape ${formatShape(input.shape)}`,
      { shape: input.shape },
    );
  }
  const sampled = mode === 'hard' || mode === 'soft' || mode === 'stochastic';
  if (options.noise !== undefined)
    requireSameShape('gateForward', 'options.noise', options.noise.shape, [batch, channels, 2]);
  return tf.tidy(() => {
    // Global average pool as a batched matMul with a 1/(H*W) row: on cpu, tf.mean over axes 1 and 2
    // transposes the cube first and is ~16x slower; on wasm the two are within noise of each other
    // (tools/bench/src/channel-gate.ts).
    const [, height, width] = input.shape;
    const positions = height * width;
    const averaging = tf.fill([batch, 1, positions], 1 / positions);
    const pooled = tf.reshape(tf.matMul(averaging, tf.reshape(input, [batch, positions, channels])), [
      batch,
      channels,
    ]);
    const squeezed = tf.add(tf.matMul(pooled, weights.squeezeKernel), weights.squeezeBias);
    let normalized: tf.Tensor;
    if (training) {
      const { mean, variance } = tf.moments(squeezed, 0);
      normalized = normalize(squeezed, mean, variance, weights, epsilon);
      if (updateMoving) {
        // PyTorch keeps the unbiased variance in running_var.
        const unbiased = tf.mul(variance, batch / (batch - 1));
        weights.normMovingMean.assign(
          tf.add(tf.mul(weights.normMovingMean, 1 - momentum), tf.mul(mean, momentum)),
        );
        weights.normMovingVariance.assign(
          tf.add(tf.mul(weights.normMovingVariance, 1 - momentum), tf.mul(unbiased, momentum)),
        );
      }
    } else {
      normalized = normalize(squeezed, weights.normMovingMean, weights.normMovingVariance, weights, epsilon);
    }
    const hidden = tf.relu(normalized);
    const logits = tf.add(
      tf.mul(tf.expandDims(hidden, 2), weights.projectionKernel),
      weights.projectionBias,
    ) as tf.Tensor3D;
    const [offLogit, onLogit] = tf.unstack(logits, 2);
    const probabilities = tf.sigmoid(tf.sub(onLogit, offLogit)) as tf.Tensor2D;
    let mask: tf.Tensor2D;
    if (sampled) {
      const noise = options.noise ?? sampleGumbel([batch, channels, 2], { seed: options.seed });
      const sample =
        mode === 'soft' ? gumbelSoftmaxSoft(logits, noise, tau) : gumbelSoftmaxHard(logits, noise, tau);
      mask = tf.squeeze(tf.slice(sample, [0, 0, 1], [batch, channels, 1]), [2]) as tf.Tensor2D;
    } else if (mode === 'argmax') {
      mask = tf.cast(tf.greater(onLogit, offLogit), 'float32') as tf.Tensor2D;
    } else {
      mask = tf.cast(tf.greater(probabilities, threshold), 'float32') as tf.Tensor2D;
    }
    const output = tf.mul(input, tf.reshape(mask, [batch, 1, 1, channels])) as tf.Tensor4D;
    return { output, mask, probabilities, logits };
  });
}

function normalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  weights: GateWeights,
  epsilon: number,
): tf.Tensor {
  const scale = tf.mul(tf.rsqrt(tf.add(variance, epsilon)), weights.normGamma);
  return tf.add(tf.mul(tf.sub(x, mean), scale), weights.normBeta);
}

/** Validates a gate input [batch, H, W, C] against the weights' channel count. */
export function validateGateInput(functionName: string, weights: GateWeights, input: tf.Tensor): void {
  if (!(input instanceof tf.Tensor)) throw new ArgumentError(functionName, 'input', 'must be a tf.Tensor');
  if (input.rank !== 4 || input.shape[3] !== weights.channels) {
    throw new ArgumentError(
      functionName,
      'input',
      `must be [batch, H, W, ${weights.channels}], got shape ${formatShape(input.shape)}`,
      { shape: input.shape, channels: weights.channels },
    );
  }
  if (input.dtype !== 'float32') {
    throw new ArgumentError(functionName, 'input', `must be float32, got ${input.dtype}`, {
      dtype: input.dtype,
    });
  }
  if ((input.shape[1] ?? 0) * (input.shape[2] ?? 0) === 0) {
    throw new ArgumentError(
      functionName,
      'input',
      `has no spatial positions to pool, shape ${formatShape(input.shape)}`,
      {
        shape: input.shape,
      },
    );
  }
}
