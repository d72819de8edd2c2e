import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { isDecayExempt, type NamedGradients, type NamedParameter } from './parameters.js';

export interface SgdOptions {
  momentum: number;
  nesterov: boolean;
  /** L2 penalty added to the gradient (PyTorch SGD semantics: coupled). */
  weightDecay: number;
  /** Skip weight decay for rank <= 1 tensors (BatchNorm, biases). */
  excludeNormAndBiasFromDecay: boolean;
}

export const DEFAULT_SGD_OPTIONS: Readonly<SgdOptions> = Object.freeze({
  momentum: 0.9,
  nesterov: false,
  weightDecay: 1e-4,
  excludeNormAndBiasFromDecay: true,
});

/**
 * SGD with momentum exactly as `torch.optim.SGD` (dampening 0): d = g + wd * p; the first step sets
 * buf = d, later steps buf = momentum * buf + d; nesterov uses d + momentum * buf; p -= lr * update.
 */
export class SgdOptimizer implements Optimizer {
  readonly kind = 'sgd' as const;
  private readonly options: SgdOptions;
  private readonly momentumBuffers = new Map<string, tf.Tensor>();
  private steps = 0;

  constructor(options: Partial<SgdOptions> = {}) {
    this.options = { ...DEFAULT_SGD_OPTIONS, ...options };
    if (!(this.options.momentum >= 0 && this.options.momentum < 1)) {
      throw new ArgumentError(
        'SgdOptimizer',
        'options.momentum',
        `must be in [0, 1), got ${this.options.momentum}`,
      );
    }
    if (this.options.nesterov && this.options.momentum === 0) {
      throw new ArgumentError('SgdOptimizer', 'options.nesterov', 'requires a momentum > 0');
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
    const { momentum, nesterov, weightDecay, excludeNormAndBiasFromDecay } = this.options;
    for (const parameter of parameters) {
      const gradient = gradients[parameter.name];
      if (gradient === undefined) continue;
      const learningRate = baseLearningRate * (learningRateScale?.(parameter) ?? 1);
      const decay = excludeNormAndBiasFromDecay && isDecayExempt(parameter) ? 0 : weightDecay;
      const previous = this.momentumBuffers.get(parameter.name);
      const next = tf.tidy(() => {
        const p = parameter.variable;
        const d = decay === 0 ? gradient : tf.add(gradient, tf.mul(p, decay));
        let buffer: tf.Tensor | undefined;
        let update = d;
        if (momentum !== 0) {
          buffer = previous === undefined ? tf.clone(d) : tf.add(tf.mul(previous, momentum), d);
          update = nesterov ? tf.add(d, tf.mul(buffer, momentum)) : buffer;
          tf.keep(buffer);
        }
        p.assign(tf.sub(p, tf.mul(update, learningRate)));
        return buffer;
      });
      if (next !== undefined) {
        previous?.dispose();
        this.momentumBuffers.set(parameter.name, next);
      }
    }
    this.steps += 1;
  }

  state(): OptimizerState {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, buffer] of this.momentumBuffers) tensors[`${name}/momentum`] = buffer;
    return { kind: this.kind, step: this.steps, tensors };
  }

  loadState(state: OptimizerState): void {
    if (state.kind !== this.kind) {
      throw new ArgumentError('SgdOptimizer.loadState', 'state.kind', `must be 'sgd', got '${state.kind}'`);
    }
    this.dispose();
    this.steps = state.step;
    for (const [key, tensor] of Object.entries(state.tensors)) {
      if (!key.endsWith('/momentum')) {
        throw new ArgumentError('SgdOptimizer.loadState', 'state.tensors', `has an unknown slot '${key}'`);
      }
      this.momentumBuffers.set(key.slice(0, -'/momentum'.length), tf.clone(tensor));
    }
  }

  dispose(): void {
    for (const buffer of this.momentumBuffers.values()) buffer.dispose();
    this.momentumBuffers.clear();
  }
}
