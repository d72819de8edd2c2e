import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { gateRegularizer } from '@fdl/channel-gate';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMobileNetV2 } from './mobilenet-v2.js';
import { createResNet } from './resnet.js';
import { toFloat32 } from './state-dict.js';
import { trainStep } from './training.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dct6 = { kind: 'dct' as const, channels: 6 };

describe('channel gate in front of DCT networks', () => {
  it('registers the gate under the official inp_GM names with torch shapes', () => {
    const model = createResNet({ architecture: 'resnet18', baseWidth: 2, input: dct6, gate: { seed: 3 } });
    const state = model.stateDict();
    expect(state['inp_GM.inp_gate.0.weight'].shape).toEqual([6, 6, 1, 1]);
    expect(state['inp_GM.inp_gate_l.weight'].shape).toEqual([12, 1, 1, 1]);
    // Official initialisation: off bias 0.1, on bias 2, interleaved.
    expect(Array.from(toFloat32(state['inp_GM.inp_gate_l.bias'])).slice(0, 4)).toEqual([
      Math.fround(0.1),
      2,
      Math.fround(0.1),
      2,
    ]);
    // torch weight[out][in][0][0] = squeezeKernel[in][out]
    const kernel = model.gateWeights()!.squeezeKernel.arraySync() as number[][];
    expect(toFloat32(state['inp_GM.inp_gate.0.weight'])[2 * 6 + 5]).toBe(kernel[5][2]);
    expect(model.trainableVariables().has('inp_GM.inp_gate.0.weight')).toBe(true);
    expect(model.trainableVariables().has('inp_GM.inp_gate.1.running_mean')).toBe(false);
    const row = model.summary().rows[0];
    expect(row).toMatchObject({ name: 'inp_GM', type: 'ChannelGate', parameters: 36 + 42 });
    model.dispose();
  });

  it('an all-on mask leaves the logits of the ungated network unchanged; an all-off mask equals a zero input', () => {
    const gated = createResNet({
      architecture: 'resnet18',
      baseWidth: 2,
      numClasses: 3,
      input: dct6,
      gate: {},
    });
    const plain = createResNet({
      architecture: 'resnet18',
      baseWidth: 2,
      numClasses: 3,
      input: dct6,
      seed: 9,
    });
    const shared = Object.fromEntries(Object.entries(plain.stateDict()));
    gated.loadStateDict(shared, { strict: false });
    const x = tf.randomNormal([2, 8, 8, 6], 0, 1, 'float32', 1) as tf.Tensor4D;
    tf.tidy(() => {
      gated.forward(x); // builds the cached folded filters
      plain.forward(x);
    });
    const before = tf.memory().numTensors;
    const on = gated.forward(x);
    expect(Array.from(on.gate!.mask.dataSync())).toEqual(new Array(12).fill(1));
    const reference = plain.forward(x).logits;
    expect(Array.from(on.logits.dataSync())).toEqual(Array.from(reference.dataSync()));
    const off = gated.forward(x, { gate: { mode: 'threshold', threshold: 0.9999 } });
    expect(Array.from(off.gate!.mask.dataSync())).toEqual(new Array(12).fill(0));
    const zeros = tf.zerosLike(x);
    const zeroLogits = plain.forward(zeros).logits;
    expect(Array.from(off.logits.dataSync())).toEqual(Array.from(zeroLogits.dataSync()));
    tf.dispose([
      on.logits,
      on.gate!.mask,
      on.gate!.probabilities,
      on.gate!.logits,
      reference,
      zeroLogits,
      zeros,
    ]);
    tf.dispose([off.logits, off.gate!.mask, off.gate!.probabilities, off.gate!.logits]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    gated.dispose();
    plain.dispose();
  });

  it('MobileNetV2 takes the gate too and returns its mask', () => {
    const model = createMobileNetV2({ widthMultiplier: 0.35, numClasses: 2, input: dct6, gate: {} });
    const x = tf.randomNormal([1, 8, 8, 6], 0, 1, 'float32', 2) as tf.Tensor4D;
    const { logits, gate } = model.forward(x);
    expect(Array.from(gate!.mask.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(model.summary().rows[0].name).toBe('inp_GM');
    tf.dispose([x, logits, gate!.mask, gate!.probabilities, gate!.logits]);
    model.dispose();
  });

  it('trains the gate with the regularizer (straight-through gradients reach the projection)', () => {
    const model = createMobileNetV2({
      widthMultiplier: 0.35,
      numClasses: 2,
      input: dct6,
      gate: { forward: { seed: 5 } },
    });
    const x = tf.randomNormal([4, 8, 8, 6], 0, 1, 'float32', 2) as tf.Tensor4D;
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
    const optimizer = tf.train.sgd(0.1);
    const biasBefore = Array.from(toFloat32(model.stateDict()['inp_GM.inp_gate_l.bias']));
    const loss = () => {
      const { logits, gate } = model.forward(x, { training: true });
      return tf.add(
        tf.losses.softmaxCrossEntropy(labels, logits),
        gateRegularizer(gate!.mask, { lambda: 0.05 }),
      ) as tf.Scalar;
    };
    trainStep(model, optimizer, loss);
    const before = tf.memory().numTensors;
    trainStep(model, optimizer, loss);
    expect(tf.memory().numTensors).toBe(before);
    const biasAfter = Array.from(toFloat32(model.stateDict()['inp_GM.inp_gate_l.bias']));
    expect(biasAfter).not.toEqual(biasBefore);
    tf.dispose([x, labels]);
    optimizer.dispose();
    model.dispose();
  });
});
