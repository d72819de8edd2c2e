import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';

export interface WeightEmaOptions {
  /** Decay per update: ema = decay * ema + (1 - decay) * value. */
  decay: number;
  /** timm-style warmup: effective decay min(decay, (1 + t) / (10 + t)) at update t, so early weights fade fast. */
  warmup: boolean;
}

export const DEFAULT_WEIGHT_EMA_OPTIONS: Readonly<WeightEmaOptions> = Object.freeze({
  decay: 0.9998,
  warmup: true,
});

/**
 * Exponential moving average of a model's whole state dict (weights and BatchNorm running statistics, as
 * timm's ModelEmaV2), kept as its own tensors.
 */
export class WeightEma {
  readonly options: WeightEmaOptions;
  private averages = new Map<string, tf.Tensor>();
  private updates = 0;

  constructor(initial: Record<string, tf.Tensor>, options: Partial<WeightEmaOptions> = {}) {
    this.options = { ...DEFAULT_WEIGHT_EMA_OPTIONS, ...options };
    if (!(this.options.decay >= 0 && this.options.decay < 1)) {
      throw new ArgumentError('WeightEma', 'options.decay', `must be in [0, 1), got ${this.options.decay}`);
    }
    for (const [name, tensor] of Object.entries(initial)) this.averages.set(name, tf.clone(tensor));
  }

  get updateCount(): number {
    return this.updates;
  }

  /** Decay used by the next update. */
  currentDecay(): number {
    const t = this.updates;
    return this.options.warmup ? Math.min(this.options.decay, (1 + t) / (10 + t)) : this.options.decay;
  }

  update(current: Record<string, tf.Tensor>): void {
    const decay = this.currentDecay();
    for (const [name, average] of this.averages) {
      const value = current[name];
      if (value === undefined) {
        throw new ArgumentError('WeightEma.update', 'current', `has no tensor '${name}'`);
      }
      if (value.dtype !== 'float32') {
        // integer buffers (e.g. num_batches_tracked) are copied, not averaged
        this.averages.set(name, tf.clone(value));
      } else {
        this.averages.set(
          name,
          tf.tidy(() => tf.add(tf.mul(average, decay), tf.mul(value, 1 - decay))),
        );
      }
      average.dispose();
    }
    this.updates += 1;
  }

  /** Live averaged tensors (not copies). */
  stateDict(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.averages);
  }

  loadStateDict(state: Record<string, tf.Tensor>, updateCount: number): void {
    this.dispose();
    for (const [name, tensor] of Object.entries(state)) this.averages.set(name, tf.clone(tensor));
    this.updates = updateCount;
  }

  dispose(): void {
    for (const tensor of this.averages.values()) tensor.dispose();
    this.averages.clear();
  }
}
