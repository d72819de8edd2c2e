import type * as tf from '@tensorflow/tfjs-core';

/** A trainable variable with its torchvision-style state-dict name (e.g. `layer1.0.conv1.weight`). */
export interface NamedParameter {
  readonly name: string;
  readonly variable: tf.Variable;
}

/** Gradients keyed by parameter name. */
export type NamedGradients = Record<string, tf.Tensor>;

/**
 * Whether weight decay applies to a parameter when norm and bias parameters are excluded: timm's rule,
 * every tensor of rank <= 1 (BatchNorm gamma/beta, biases, gate logit biases) is exempt.
 */
export function isDecayExempt(parameter: NamedParameter): boolean {
  return parameter.variable.rank <= 1 || parameter.name.endsWith('.bias');
}
