import * as tf from '@tensorflow/tfjs-core';
import { type ParameterKind, tfShapeOf } from './layout.js';

/**
 * Parameter initialisers matching torchvision's defaults. Values are drawn i.i.d., so they are drawn
 * directly in tfjs layout; only fan-in / fan-out are computed from the torch shape.
 */

/** torch's fan-out of a conv weight `[out, in/groups, kh, kw]`: out * kh * kw. */
export function fanOut(torchShape: readonly number[]): number {
  const receptive = torchShape.slice(2).reduce((product, size) => product * size, 1);
  return torchShape[0] * receptive;
}

/** torch's fan-in of a weight `[out, in/groups, ...]`: in/groups * kh * kw. */
export function fanIn(torchShape: readonly number[]): number {
  const receptive = torchShape.slice(2).reduce((product, size) => product * size, 1);
  return torchShape[1] * receptive;
}

/** `nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')`: N(0, 2 / fan_out). */
export function kaimingNormalFanOut(
  kind: ParameterKind,
  torchShape: readonly number[],
  seed: number,
): tf.Tensor {
  const std = Math.sqrt(2 / fanOut(torchShape));
  return tf.randomNormal(tfShapeOf(kind, torchShape), 0, std, 'float32', seed);
}

/** Uniform(-bound, bound), e.g. torch's default Linear init with bound = 1 / sqrt(fan_in). */
export function uniformInit(kind: ParameterKind, torchShape: readonly number[], bound: number, seed: number) {
  return tf.randomUniform(tfShapeOf(kind, torchShape), -bound, bound, 'float32', seed);
}

/** N(0, std). */
export function normalInit(kind: ParameterKind, torchShape: readonly number[], std: number, seed: number) {
  return tf.randomNormal(tfShapeOf(kind, torchShape), 0, std, 'float32', seed);
}

/** A constant-filled tensor. */
export function constantInit(kind: ParameterKind, torchShape: readonly number[], value: number): tf.Tensor {
  return tf.fill(tfShapeOf(kind, torchShape), value);
}
