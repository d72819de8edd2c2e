import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { type GateMode, gateForward } from './gate-forward.js';
import { ChannelGate } from './gate-layer.js';
import type { GateWeights } from './gate-weights.js';
import { deriveSeed } from './random.js';
import { GateStatistics } from './statistics.js';

/** Options of {@link collectGateStatistics}. */
export interface CollectGateStatisticsOptions {
  /** Inference mode of the gate while counting (`argmax`, `threshold` or `stochastic`). */
  mode?: Extract<GateMode, 'argmax' | 'threshold' | 'stochastic'>;
  threshold?: number;
  /** Seed of the stochastic mode's noise stream (batch n uses a seed derived from it and n). */
  seed?: number;
  /** Also accumulate P(on) (the noise-free probability) into a second accumulator. */
  withProbabilities?: boolean;
}

/** Result of {@link collectGateStatistics}. */
export interface CollectedGateStatistics {
  /** Per-channel frequency of the mask being on. */
  selections: GateStatistics;
  /** Per-channel mean P(on), when `withProbabilities` was set. */
  probabilities?: GateStatistics;
}

/**
 * Runs the gate in inference over batches of cubes `[batch, H, W, C]` and accumulates how often each
 * channel is on (the paper's Fig. 5 statistic). The batches stay owned by the caller; nothing leaks.
 */
export async function collectGateStatistics(
  gate: GateWeights | ChannelGate,
  batches: Iterable<tf.Tensor> | AsyncIterable<tf.Tensor>,
  options: CollectGateStatisticsOptions = {},
): Promise<CollectedGateStatistics> {
  const mode = options.mode ?? 'argmax';
  if (mode !== 'argmax' && mode !== 'threshold' && mode !== 'stochastic') {
    throw new ArgumentError(
      'collectGateStatistics',
      'options.mode',
      `must be 'argmax', 'threshold' or 'stochastic', got '${mode}'`,
    );
  }
  const weights = gate instanceof ChannelGate ? gate.gateWeights() : gate;
  const selections = new GateStatistics(weights.channels);
  const probabilities = options.withProbabilities ? new GateStatistics(weights.channels) : undefined;
  let index = 0;
  for await (const batch of batches) {
    const seed = options.seed === undefined ? undefined : deriveSeed(options.seed, index);
    index++;
    const { mask, probability } = tf.tidy(() => {
      const result = gateForward(weights, batch, { mode, threshold: options.threshold, seed });
      return { mask: result.mask, probability: result.probabilities };
    });
    try {
      await selections.addMask(mask);
      if (probabilities !== undefined) await probabilities.addMask(probability);
    } finally {
      tf.dispose([mask, probability]);
    }
  }
  return probabilities === undefined ? { selections } : { selections, probabilities };
}
