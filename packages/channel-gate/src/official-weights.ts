import { ArgumentError } from '@fdl/dct-core';
import type { GateWeights, GateWeightValues } from './gate-weights.js';
import { formatShape } from './validate.js';

/** One tensor of a PyTorch state dict: its shape and row-major values. */
export interface StateDictTensor {
  shape: readonly number[];
  data: ArrayLike<number>;
}

/** Prefix of the gate in the official checkpoints (`self.inp_GM = GateModule192()`). */
export const OFFICIAL_GATE_PREFIX = 'inp_GM.';

/**
 * Reads gate weights from a PyTorch state dict with the official names (see {@link GateWeights}):
 * `<prefix>inp_gate.0.weight/bias`, `<prefix>inp_gate.1.weight/bias/running_mean/running_var`,
 * `<prefix>inp_gate_l.weight/bias`. `num_batches_tracked` is not needed and ignored.
 */
export function gateWeightValuesFromStateDict(
  stateDict: Readonly<Record<string, StateDictTensor>>,
  prefix = OFFICIAL_GATE_PREFIX,
): GateWeightValues {
  const get = (name: string, expected: (channels: number) => number[], channels: number): Float32Array => {
    const entry = stateDict[prefix + name];
    if (entry === undefined) {
      throw new ArgumentError(
        'gateWeightValuesFromStateDict',
        'stateDict',
        `has no '${prefix + name}' (keys: ${Object.keys(stateDict).slice(0, 8).join(', ')}${Object.keys(stateDict).length > 8 ? ', ...' : ''})`,
      );
    }
    const shape = expected(channels);
    if (entry.shape.length !== shape.length || entry.shape.some((size, i) => size !== shape[i])) {
      throw new ArgumentError(
        'gateWeightValuesFromStateDict',
        'stateDict',
        `entry '${prefix + name}' must have shape ${formatShape(shape)}, got ${formatShape(entry.shape)}`,
      );
    }
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    if (entry.data.length !== size) {
      throw new ArgumentError(
        'gateWeightValuesFromStateDict',
        'stateDict',
        `entry '${prefix + name}' must hold ${size} values, got ${entry.data.length}`,
      );
    }
    return Float32Array.from(entry.data);
  };
  const squeeze = stateDict[`${prefix}inp_gate.0.weight`];
  const channels = squeeze?.shape[0] ?? 0;
  const vector = (c: number) => [c];
  const convolution = get('inp_gate.0.weight', (c) => [c, c, 1, 1], channels);
  // PyTorch stores [out, in]; the kernel is [in, out].
  const squeezeKernel = new Float32Array(channels * channels);
  for (let out = 0; out < channels; out++) {
    for (let input = 0; input < channels; input++)
      squeezeKernel[input * channels + out] = convolution[out * channels + input];
  }
  return {
    channels,
    squeezeKernel,
    squeezeBias: get('inp_gate.0.bias', vector, channels),
    normGamma: get('inp_gate.1.weight', vector, channels),
    normBeta: get('inp_gate.1.bias', vector, channels),
    normMovingMean: get('inp_gate.1.running_mean', vector, channels),
    normMovingVariance: get('inp_gate.1.running_var', vector, channels),
    // Grouped conv output 2c + k reads input c: the flat order is already [C, 2].
    projectionKernel: get('inp_gate_l.weight', (c) => [2 * c, 1, 1, 1], channels),
    projectionBias: get('inp_gate_l.bias', (c) => [2 * c], channels),
  };
}

/** The inverse of {@link gateWeightValuesFromStateDict}: official names, PyTorch shapes. */
export function gateWeightValuesToStateDict(
  values: GateWeightValues,
  prefix = OFFICIAL_GATE_PREFIX,
): Record<string, StateDictTensor> {
  const c = values.channels;
  const convolution = new Float32Array(c * c);
  for (let out = 0; out < c; out++) {
    for (let input = 0; input < c; input++)
      convolution[out * c + input] = values.squeezeKernel[input * c + out];
  }
  return {
    [`${prefix}inp_gate.0.weight`]: { shape: [c, c, 1, 1], data: convolution },
    [`${prefix}inp_gate.0.bias`]: { shape: [c], data: values.squeezeBias },
    [`${prefix}inp_gate.1.weight`]: { shape: [c], data: values.normGamma },
    [`${prefix}inp_gate.1.bias`]: { shape: [c], data: values.normBeta },
    [`${prefix}inp_gate.1.running_mean`]: { shape: [c], data: values.normMovingMean },
    [`${prefix}inp_gate.1.running_var`]: { shape: [c], data: values.normMovingVariance },
    [`${prefix}inp_gate_l.weight`]: { shape: [2 * c, 1, 1, 1], data: values.projectionKernel },
    [`${prefix}inp_gate_l.bias`]: { shape: [2 * c], data: values.projectionBias },
  };
}

/** Reads the current values of gate weights (e.g. to export or checkpoint them). */
export async function readGateWeightValues(weights: GateWeights): Promise<GateWeightValues> {
  const read = async (variable: { data(): Promise<unknown> }) =>
    Float32Array.from((await variable.data()) as Float32Array);
  return {
    channels: weights.channels,
    squeezeKernel: await read(weights.squeezeKernel),
    squeezeBias: await read(weights.squeezeBias),
    normGamma: await read(weights.normGamma),
    normBeta: await read(weights.normBeta),
    normMovingMean: await read(weights.normMovingMean),
    normMovingVariance: await read(weights.normMovingVariance),
    projectionKernel: await read(weights.projectionKernel),
    projectionBias: await read(weights.projectionBias),
  };
}
