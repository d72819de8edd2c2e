import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTraining } from '../src/index.js';
import { normal, relativeError, setUpBackends } from './backends.js';

/**
 * A small network with every layer kind of ResNet-50 and MobileNetV2 training steps: stride-2 3x3 and
 * 1x1 convolutions with torchvision's symmetric padding, BatchNorm in training mode (both tf.moments
 * + tf.batchNorm and batchNormTraining with fused ReLU/ReLU6), a residual add, a depthwise stride-2
 * convolution, max and average pooling, an embedding gather (UnsortedSegmentSum in its gradient),
 * concat and slice, and softmax cross-entropy.
 */
function buildVariables(): Record<string, tf.Variable> {
  const shapes: Record<string, number[]> = {
    stem: [3, 3, 4, 8],
    a: [1, 1, 8, 6],
    b: [3, 3, 6, 6],
    c: [1, 1, 6, 12],
    down: [1, 1, 8, 12],
    expand: [1, 1, 12, 24],
    depthwise: [3, 3, 24, 1],
    project: [1, 1, 24, 10],
    gamma1: [8],
    beta1: [8],
    gamma2: [6],
    beta2: [6],
    gamma3: [24],
    beta3: [24],
    embedding: [5, 4],
    fc: [14, 3],
  };
  const variables: Record<string, tf.Variable> = {};
  let seed = 10;
  for (const [name, shape] of Object.entries(shapes)) {
    const s = seed++;
    variables[name] = tf.tidy(() =>
      tf.variable(
        name.startsWith('gamma') ? tf.add(1, tf.mul(0.1, normal(shape, s))) : tf.mul(0.3, normal(shape, s)),
        true,
        name,
      ),
    );
  }
  return variables;
}

function loss(
  v: Record<string, tf.Variable>,
  x: tf.Tensor4D,
  labels: tf.Tensor2D,
  ids: tf.Tensor1D,
): tf.Scalar {
  const pad1: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ];
  const conv = (h: tf.Tensor4D, name: string, stride: number, pad: typeof pad1 | 'valid' = 'valid') =>
    tf.conv2d(h, v[name] as tf.Tensor4D, stride, pad);
  let h = conv(x, 'stem', 2, pad1);
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  h = tf.relu(
    tf.batchNorm4d(
      h,
      mean as tf.Tensor1D,
      variance as tf.Tensor1D,
      v.beta1 as tf.Tensor1D,
      v.gamma1 as tf.Tensor1D,
    ),
  );
  h = tf.maxPool(h, 3, 1, 'same');
  let y = conv(h, 'a', 1);
  const bn = batchNormTraining(y, tf.ones([6]) as tf.Tensor1D, tf.zeros([6]) as tf.Tensor1D, {
    activation: 'relu',
  });
  y = bn.output;
  tf.dispose([bn.mean, bn.variance]);
  y = conv(y, 'b', 2, pad1);
  const bn2 = batchNormTraining(y, v.gamma2 as tf.Tensor1D, v.beta2 as tf.Tensor1D, { activation: 'relu' });
  tf.dispose([bn2.mean, bn2.variance]);
  y = conv(bn2.output, 'c', 1);
  h = tf.relu(tf.add(y, conv(h, 'down', 2))) as tf.Tensor4D;
  let m = conv(h, 'expand', 1);
  const bn3 = batchNormTraining(m, v.gamma3 as tf.Tensor1D, v.beta3 as tf.Tensor1D, { activation: 'relu6' });
  tf.dispose([bn3.mean, bn3.variance]);
  m = tf.relu6(tf.depthwiseConv2d(bn3.output, v.depthwise as tf.Tensor4D, 2, pad1));
  m = conv(m, 'project', 1);
  const pooled = tf.mean(tf.avgPool(m, 2, 1, 'valid'), [1, 2]) as tf.Tensor2D;
  const features = tf.concat([tf.slice(pooled, [0, 0], [-1, 10]), tf.gather(v.embedding!, ids)], 1);
  return tf.losses.softmaxCrossEntropy(labels, tf.matMul(features, v.fc!)) as tf.Scalar;
}

async function gradientsOn(
  backend: 'cpu' | 'wasm',
): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  await tf.setBackend(backend);
  const variables = buildVariables();
  const x = normal([2, 16, 16, 4], 1) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3) as tf.Tensor2D);
  const ids = tf.tensor1d([3, 3], 'int32');
  const { value, grads } = tf.variableGrads(() => loss(variables, x, labels, ids), Object.values(variables));
  const out = new Map<string, Float32Array>();
  for (const [name, g] of Object.entries(grads)) out.set(name, Float32Array.from(g.dataSync()));
  const lossValue = value.dataSync()[0]!;
  tf.dispose([value, x, labels, ids, ...Object.values(grads), ...Object.values(variables)]);
  return { loss: lossValue, grads: out };
}

describe('a full training step on wasm', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it('gives every variable the cpu gradient (relative error < 1e-4) and leaks nothing', async () => {
    const cpu = await gradientsOn('cpu');
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const idsBefore = backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    const wasm = await gradientsOn('wasm');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(idsBefore);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5 * Math.abs(cpu.loss));
    expect([...wasm.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    for (const [name, expected] of cpu.grads) {
      const error = relativeError(wasm.grads.get(name)!, expected);
      expect(error, name).toBeLessThan(1e-4);
    }
  });
});
