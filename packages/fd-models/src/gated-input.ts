import { createGateWeights, type GateWeights, gateForward } from '@fdl/channel-gate';
import type * as tf from '@tensorflow/tfjs-core';
import type { GateCallOptions, GateConfig } from './classifier-options.js';
import type { GateResult } from './network.js';
import type { ParameterKind } from './nn/layout.js';
import type { Scope } from './nn/parameter-store.js';
import type { ImageShape, ShapeTrace } from './nn/trace.js';

/**
 * The optional channel gate in front of a DCT network (@fdl/channel-gate's functional core). Its
 * variables join the network's store under the official kaix90/DCTNet names, so official gated
 * checkpoints load directly:
 *
 * | name                                | torch shape   | gate field                          |
 * |-------------------------------------|---------------|-------------------------------------|
 * | `inp_GM.inp_gate.0.weight` / `.bias`| [C, C, 1, 1] / [C] | squeezeKernel [in, out] / squeezeBias |
 * | `inp_GM.inp_gate.1.*`               | [C]           | normGamma, normBeta, moving mean/var |
 * | `inp_GM.inp_gate_l.weight`          | [2C, 1, 1, 1] | projectionKernel [C, 2]              |
 * | `inp_GM.inp_gate_l.bias`            | [2C]          | projectionBias [C, 2]                |
 *
 * The gate updates its own BatchNorm moving statistics during training-mode forwards.
 */
export class GatedInput {
  readonly weights: GateWeights;

  constructor(
    root: Scope,
    readonly channels: number,
    readonly config: GateConfig,
    networkSeed: number,
  ) {
    const seed = config.seed ?? networkSeed + 1;
    this.weights = createGateWeights(channels, { seed, name: `${root.store.variablePrefix}/inp_GM` });
    const c = channels;
    const scope = root.child('inp_GM');
    const entries: Array<[string, ParameterKind, number[], tf.Variable, boolean]> = [
      ['inp_gate.0.weight', 'pointwise', [c, c, 1, 1], this.weights.squeezeKernel, false],
      ['inp_gate.0.bias', 'vector', [c], this.weights.squeezeBias, false],
      ['inp_gate.1.weight', 'vector', [c], this.weights.normGamma, false],
      ['inp_gate.1.bias', 'vector', [c], this.weights.normBeta, false],
      ['inp_gate.1.running_mean', 'vector', [c], this.weights.normMovingMean, true],
      ['inp_gate.1.running_var', 'vector', [c], this.weights.normMovingVariance, true],
      ['inp_gate_l.weight', 'reshape', [2 * c, 1, 1, 1], this.weights.projectionKernel, false],
      ['inp_gate_l.bias', 'reshape', [2 * c], this.weights.projectionBias, false],
    ];
    for (const [name, kind, shape, variable, isBuffer] of entries) {
      scope.store.adopt(scope.name(name), kind, shape, variable, isBuffer);
    }
  }

  /** `input` [batch, H, W, C] -> gated input and the gate's mask, probabilities and logits. */
  forward(
    input: tf.Tensor4D,
    training: boolean,
    options: GateCallOptions = {},
  ): { output: tf.Tensor4D; gate: GateResult } {
    const { output, mask, probabilities, logits } = gateForward(this.weights, input, {
      ...this.config.forward,
      ...options,
      training,
    });
    return { output, gate: { mask, probabilities, logits } };
  }

  trace(input: ImageShape, trace: ShapeTrace): ImageShape {
    const c = this.channels;
    return trace.record({
      name: 'inp_GM',
      type: 'ChannelGate',
      inputShape: input,
      outputShape: input,
      parameters: c * c + 7 * c,
      multiplyAdds: c * c + 2 * c,
    });
  }
}
