import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients } from './parameters.js';

/**
 * Sums gradients of `steps` micro-batches and hands out their mean, so N micro-batches of size B update
 * the weights like one batch of N * B (for a mean-reduced loss).
 */
export class GradientAccumulator {
  private sums: NamedGradients = {};
  private count = 0;

  constructor(readonly steps: number) {
    if (!Number.isInteger(steps) || steps < 1) {
      throw new ArgumentError('GradientAccumulator', 'steps', `must be a positive integer, got ${steps}`);
    }
  }

  get pending(): number {
    return this.count;
  }

  /** Adds one micro-batch's gradients (they are not disposed) and says whether an update is due. */
  add(gradients: NamedGradients): boolean {
    for (const [name, gradient] of Object.entries(gradients)) {
      const previous = this.sums[name];
      this.sums[name] = previous === undefined ? tf.clone(gradient) : tf.add(previous, gradient);
      previous?.dispose();
    }
    this.count += 1;
    return this.count >= this.steps;
  }

  /** The mean of the accumulated gradients (caller disposes); resets the accumulator. */
  takeMean(): NamedGradients {
    const out: NamedGradients = {};
    for (const [name, sum] of Object.entries(this.sums)) {
      out[name] = this.count === 1 ? sum : tf.div(sum, this.count);
      if (this.count !== 1) sum.dispose();
    }
    this.sums = {};
    this.count = 0;
    return out;
  }

  dispose(): void {
    for (const sum of Object.values(this.sums)) sum.dispose();
    this.sums = {};
    this.count = 0;
  }
}
