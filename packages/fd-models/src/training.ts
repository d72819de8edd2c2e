import type * as tf from '@tensorflow/tfjs-core';
import type { Backbone } from './network.js';

/**
 * One optimisation step: minimises `loss` over the model's trainable variables (plus `extraVariables`,
 * e.g. a gate's), then folds the BatchNorm batch statistics queued during the forward pass into the
 * running averages (outside the gradient tape). Returns the loss value. Leaves no tensors behind.
 */
export function trainStep(
  model: Backbone,
  optimizer: tf.Optimizer,
  loss: () => tf.Scalar,
  extraVariables: tf.Variable[] = [],
): number {
  const variables = [...model.trainableVariables().values(), ...extraVariables];
  let cost: tf.Scalar | null = null;
  try {
    cost = optimizer.minimize(loss, true, variables);
    model.applyBatchNormUpdates();
  } catch (error) {
    model.discardBatchNormUpdates();
    throw error;
  }
  const value = cost ? cost.dataSync()[0] : Number.NaN;
  cost?.dispose();
  return value;
}
