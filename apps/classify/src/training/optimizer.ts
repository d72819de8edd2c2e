import type * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients, NamedParameter } from './parameters.js';

/** Serializable optimizer state: the step count and named slot tensors (e.g. `layer1.0.conv1.weight/momentum`). */
export interface OptimizerState {
  kind: string;
  step: number;
  tensors: Record<string, tf.Tensor>;
}

/**
 * An optimizer that owns its slot tensors, so checkpoints can store and restore them exactly.
 * The learning rate is passed per step (schedules live outside).
 */
export interface Optimizer {
  readonly kind: 'sgd' | 'adamw';
  /** Number of updates applied so far. */
  readonly step: number;
  /**
   * Applies one update; parameters without a gradient are left unchanged. `learningRateScale` gives a
   * per-parameter multiplier of the rate (parameter groups, e.g. a faster gate); default 1.
   */
  apply(
    parameters: readonly NamedParameter[],
    gradients: NamedGradients,
    learningRate: number,
    learningRateScale?: (parameter: NamedParameter) => number,
  ): void;
  /** Live slot tensors (not copies): read them before the next `apply`. */
  state(): OptimizerState;
  /** Replaces the slots with copies of `state`'s tensors. */
  loadState(state: OptimizerState): void;
  dispose(): void;
}
