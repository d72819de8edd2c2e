import * as tf from '@tensorflow/tfjs-core';
import { normalSamples, randomSeed } from './random.js';
import { requireInteger } from './validate.js';

/**
 * The trainable state of one channel gate (paper Fig. 4) for C input channels. Each field maps
 * one-to-one onto the official PyTorch module `GateModule192` (prefix `inp_GM.` in its checkpoints):
 *
 * | field                 | shape   | official name                     | relation                          |
 * |-----------------------|---------|-----------------------------------|-----------------------------------|
 * | squeezeKernel         | [C, C]  | inp_gate.0.weight [C, C, 1, 1]    | kernel[in][out] = weight[out][in] |
 * | squeezeBias           | [C]     | inp_gate.0.bias                   | equal                             |
 * | normGamma / normBeta  | [C]     | inp_gate.1.weight / .bias         | equal                             |
 * | normMovingMean        | [C]     | inp_gate.1.running_mean           | equal                             |
 * | normMovingVariance    | [C]     | inp_gate.1.running_var            | equal                             |
 * | projectionKernel      | [C, 2]  | inp_gate_l.weight [2C, 1, 1, 1]   | kernel[c][k] = weight[2c + k]     |
 * | projectionBias        | [C, 2]  | inp_gate_l.bias [2C]              | bias[c][k] = bias[2c + k]         |
 *
 * k = 0 is the "off" logit and k = 1 the "on" logit, as in the official grouped convolution.
 */
export interface GateWeights {
  readonly channels: number;
  readonly squeezeKernel: tf.Variable;
  readonly squeezeBias: tf.Variable;
  readonly normGamma: tf.Variable;
  readonly normBeta: tf.Variable;
  /** Not trainable: updated by the forward pass in training mode. */
  readonly normMovingMean: tf.Variable;
  /** Not trainable: updated by the forward pass in training mode. */
  readonly normMovingVariance: tf.Variable;
  readonly projectionKernel: tf.Variable;
  readonly projectionBias: tf.Variable;
}

/** Options of {@link createGateWeights}. */
export interface GateWeightsOptions {
  /** Seed of the initialisation; omit for a random one. */
  seed?: number;
  /** Standard deviation of the projection weights (official: 0.001). */
  projectionStandardDeviation?: number;
  /** Initial bias of the "off" logit (official: 0.1). */
  offBias?: number;
  /** Initial bias of the "on" logit (official: 2, so P(on) = sigmoid(1.9) ~ 0.87 at start). */
  onBias?: number;
  /** Prefix of the variable names; must be unique among live variables. Omit for automatic names. */
  name?: string;
}

/** Official initialisation of the gate (kaix90/DCTNet `_initialize_weights`). */
export const GATE_WEIGHTS_DEFAULTS = Object.freeze({
  projectionStandardDeviation: 0.001,
  offBias: 0.1,
  onBias: 2,
});

/**
 * Creates gate weights for `channels` input channels, initialised like the official code: squeeze
 * convolution Kaiming-normal (fan_out, ReLU gain: std sqrt(2 / C)) with zero bias, batch norm gamma 1
 * and beta 0 with moving mean 0 and variance 1, projection weights N(0, 0.001^2), biases off 0.1, on 2.
 */
export function createGateWeights(channels: number, options: GateWeightsOptions = {}): GateWeights {
  requireInteger('createGateWeights', 'channels', channels, 1);
  return createGateWeightsFrom(initialGateWeightValues(channels, options), options.name);
}

/** The initial values {@link createGateWeights} uses, as plain arrays (same seed, same values). */
export function initialGateWeightValues(
  channels: number,
  options: GateWeightsOptions = {},
): GateWeightValues {
  requireInteger('initialGateWeightValues', 'channels', channels, 1);
  const seed = options.seed ?? randomSeed();
  const deviation = options.projectionStandardDeviation ?? GATE_WEIGHTS_DEFAULTS.projectionStandardDeviation;
  const offBias = options.offBias ?? GATE_WEIGHTS_DEFAULTS.offBias;
  const onBias = options.onBias ?? GATE_WEIGHTS_DEFAULTS.onBias;
  const bias = new Float32Array(channels * 2);
  for (let c = 0; c < channels; c++) {
    bias[2 * c] = offBias;
    bias[2 * c + 1] = onBias;
  }
  return {
    channels,
    squeezeKernel: normalSamples(channels * channels, Math.sqrt(2 / channels), seed),
    squeezeBias: new Float32Array(channels),
    normGamma: new Float32Array(channels).fill(1),
    normBeta: new Float32Array(channels),
    normMovingMean: new Float32Array(channels),
    normMovingVariance: new Float32Array(channels).fill(1),
    projectionKernel: normalSamples(channels * 2, deviation, seed + 1),
    projectionBias: bias,
  };
}

/** Plain values of gate weights (row-major, shapes as in {@link GateWeights}). */
export interface GateWeightValues {
  channels: number;
  squeezeKernel: Float32Array;
  squeezeBias: Float32Array;
  normGamma: Float32Array;
  normBeta: Float32Array;
  normMovingMean: Float32Array;
  normMovingVariance: Float32Array;
  projectionKernel: Float32Array;
  projectionBias: Float32Array;
}

/** Wraps plain values into variables (used by loading and by the layer). */
export function createGateWeightsFrom(values: GateWeightValues, name?: string): GateWeights {
  const c = values.channels;
  // tidy frees the temporary tensor; the variable keeps its own reference to the data.
  const variable = (data: Float32Array, shape: number[], field: string, trainable = true) =>
    tf.tidy(() =>
      tf.variable(
        tf.tensor(data, shape, 'float32'),
        trainable,
        name === undefined ? undefined : `${name}/${field}`,
      ),
    );
  return {
    channels: c,
    squeezeKernel: variable(values.squeezeKernel, [c, c], 'squeezeKernel'),
    squeezeBias: variable(values.squeezeBias, [c], 'squeezeBias'),
    normGamma: variable(values.normGamma, [c], 'normGamma'),
    normBeta: variable(values.normBeta, [c], 'normBeta'),
    normMovingMean: variable(values.normMovingMean, [c], 'normMovingMean', false),
    normMovingVariance: variable(values.normMovingVariance, [c], 'normMovingVariance', false),
    projectionKernel: variable(values.projectionKernel, [c, 2], 'projectionKernel'),
    projectionBias: variable(values.projectionBias, [c, 2], 'projectionBias'),
  };
}

/** The trainable variables of `weights` (for `optimizer.minimize(f, false, varList)`). */
export function gateTrainableVariables(weights: GateWeights): tf.Variable[] {
  return [
    weights.squeezeKernel,
    weights.squeezeBias,
    weights.normGamma,
    weights.normBeta,
    weights.projectionKernel,
    weights.projectionBias,
  ];
}

/** Disposes every variable of `weights`. */
export function disposeGateWeights(weights: GateWeights): void {
  for (const variable of [
    ...gateTrainableVariables(weights),
    weights.normMovingMean,
    weights.normMovingVariance,
  ]) {
    variable.dispose();
  }
}
