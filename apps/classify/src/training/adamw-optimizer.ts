import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { isDecayExempt, type NamedGradients, type NamedParameter } from './parameters.js';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay: p <- p * (1 - lr * weightDecay), applied before the Adam step. */
  weightDecay: number;
  excludeNormAndBiasFromDecay: boolean;
}

export const DEFAULT_ADAMW_OPTIONS: Readonly<AdamWOptions> = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0.05,
  excludeNormAndBiasFromDecay: true,
});

/**
 * AdamW (Loshchilov & Hutter) as `torch.optim.AdamW`: the decay multiplies the weights by
 * (1 - lr * wd) and never enters the moment estimates; m and v are bias-corrected with the step count.
 */
export class AdamWOptimizer implements Optimizer {
  readonly kind = 'adamw' as const;
  private readonly options: AdamWOptions;
  private readonly firstMoments = new Map<string, tf.Tensor>();
  private readonly secondMoments = new Map<string, tf.Tensor>();
  private steps = 0;

  constructor(options: Partial<AdamWOptions> = {}) {
    this.options = { ...DEFAULT_ADAMW_OPTIONS, ...options };
    for (const key of ['beta1', 'beta2'] as const) {
      const value = this.options[key];
      if (!(value >= 0 && value < 1)) {
        throw new ArgumentError('AdamWOptimizer', `options.${key}`, `must be in [0, 1), got ${value}`);
      }
    }
  }

  get step(): number {
    return this.steps;
  }

  apply(
    parameters: readonly NamedParameter[],
    gradients: NamedGradients,
    baseLearningRate: number,
    learningRateScale?: (parameter: NamedParameter) => number,
  ): void {
    const { beta1, beta2, epsilon, weightDecay, excludeNormAndBiasFromDecay } = this.options;
    const t = this.steps + 1;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    for (const parameter of parameters) {
      const gradient = gradients[parameter.name];
      if (gradient === undefined) continue;
      const learningRate = baseLearningRate * (learningRateScale?.(parameter) ?? 1);
      const decay = excludeNormAndBiasFromDecay && isDecayExempt(parameter) ? 0 : weightDecay;
      const m0 = this.firstMoments.get(parameter.name);
      const v0 = this.secondMoments.get(parameter.name);
      const [m, v] = tf.tidy(() => {
        const p = parameter.variable;
        const m = tf.add(tf.mul(m0 ?? tf.zerosLike(gradient), beta1), tf.mul(gradient, 1 - beta1));
        const v = tf.add(tf.mul(v0 ?? tf.zerosLike(gradient), beta2), tf.mul(tf.square(gradient), 1 - beta2));
        const decayed = decay === 0 ? p : tf.mul(p, 1 - learningRate * decay);
        const denominator = tf.add(tf.sqrt(tf.div(v, correction2)), epsilon);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denominator), learningRate / correction1)));
        return [tf.keep(m), tf.keep(v)];
      });
      m0?.dispose();
      v0?.dispose();
      this.firstMoments.set(parameter.name, m);
      this.secondMoments.set(parameter.name, v);
    }
    this.steps = t;
  }

  state(): OptimizerState {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, m] of this.firstMoments) tensors[`${name}/exp_avg`] = m;
    for (const [name, v] of this.secondMoments) tensors[`${name}/exp_avg_sq`] = v;
    return { kind: this.kind, step: this.steps, tensors };
  }

  loadState(state: OptimizerState): void {
    if (state.kind !== this.kind) {
      throw new ArgumentError(
        'AdamWOptimizer.loadState',
        'state.kind',
        `must be 'adamw', got '${state.kind}'`,
      );
    }
    this.dispose();
    this.steps = state.step;
    for (const [key, tensor] of Object.entries(state.tensors)) {
      if (key.endsWith('/exp_avg')) this.firstMoments.set(key.slice(0, -'/exp_avg'.length), tf.clone(tensor));
      else if (key.endsWith('/exp_avg_sq'))
        this.secondMoments.set(key.slice(0, -'/exp_avg_sq'.length), tf.clone(tensor));
      else
        throw new ArgumentError('AdamWOptimizer.loadState', 'state.tensors', `has an unknown slot '${key}'`);
    }
  }

  dispose(): void {
    for (const m of this.firstMoments.values()) m.dispose();
    for (const v of this.secondMoments.values()) v.dispose();
    this.firstMoments.clear();
    this.secondMoments.clear();
  }
}
