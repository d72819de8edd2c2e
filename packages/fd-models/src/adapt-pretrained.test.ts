import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaptPretrainedToDct } from './adapt-pretrained.js';
import { createMobileNetV2 } from './mobilenet-v2.js';
import { createResNet } from './resnet.js';
import { toFloat32 } from './state-dict.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Value of a torch-layout [out, in, kh, kw] tensor at (o, i, 0, 0) for 1x1 kernels. */
const at = (values: Float32Array, shape: number[], o: number, i: number) =>
  values[(o * shape[1] + i) * shape[2] * shape[3]];

describe('adaptPretrainedToDct', () => {
  it('ResNet-50, C = 24: slices the first 24 input channels of the layer1.0 1x1 convs and loads strictly', () => {
    const rgbModel = createResNet({ baseWidth: 4, numClasses: 5, seed: 1 });
    const rgb = rgbModel.stateDict();
    const adapted = adaptPretrainedToDct(rgb, { channels: 3 });
    const conv = adapted['layer1.0.conv1.weight'];
    expect(conv.shape).toEqual([4, 3, 1, 1]);
    const source = toFloat32(rgb['layer1.0.conv1.weight']);
    expect(at(toFloat32(conv), conv.shape, 2, 1)).toBe(at(source, [4, 4, 1, 1], 2, 1));
    expect(adapted['conv1.weight']).toBeUndefined();
    const dct = createResNet({ baseWidth: 4, numClasses: 5, input: { kind: 'dct', channels: 3 } });
    expect(dct.loadStateDict(adapted).missing).toEqual([]);
    expect(Array.from(toFloat32(dct.stateDict()['fc.weight']))).toEqual(
      Array.from(toFloat32(rgb['fc.weight'])),
    );
    rgbModel.dispose();
    dct.dispose();
  });

  it('ResNet-50, C = 192: Kaiming re-initialisation (fan_out), seeded', () => {
    const rgbModel = createResNet({ baseWidth: 16, numClasses: 2, seed: 1 });
    const rgb = rgbModel.stateDict();
    const a = adaptPretrainedToDct(rgb, { channels: 192, seed: 3 });
    const b = adaptPretrainedToDct(rgb, { channels: 192, seed: 3 });
    const values = toFloat32(a['layer1.0.downsample.0.weight']);
    expect(a['layer1.0.downsample.0.weight'].shape).toEqual([64, 192, 1, 1]);
    expect(Array.from(values)).toEqual(Array.from(toFloat32(b['layer1.0.downsample.0.weight'])));
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(Math.sqrt(2 / 64) * 0.95);
    expect(std).toBeLessThan(Math.sqrt(2 / 64) * 1.05);
    const dct = createResNet({ baseWidth: 16, numClasses: 2, input: { kind: 'dct', channels: 192 } });
    dct.loadStateDict(a);
    rgbModel.dispose();
    dct.dispose();
  });

  it('ResNet-18 (BasicBlock) gains a layer1.0 downsample for C != stem width and loads strictly', () => {
    const rgbModel = createResNet({ architecture: 'resnet18', baseWidth: 4 });
    const rgb = rgbModel.stateDict();
    for (const channels of [2, 6]) {
      const adapted = adaptPretrainedToDct(rgb, { channels });
      expect(adapted['layer1.0.conv1.weight'].shape).toEqual([4, channels, 3, 3]);
      expect(adapted['layer1.0.downsample.0.weight'].shape).toEqual([4, channels, 1, 1]);
      expect(Array.from(toFloat32(adapted['layer1.0.downsample.1.running_var']))).toEqual([1, 1, 1, 1]);
      const model = createResNet({
        architecture: 'resnet18',
        baseWidth: 4,
        input: { kind: 'dct', channels },
      });
      expect(model.loadStateDict(adapted).missing).toEqual([]);
      model.dispose();
    }
    rgbModel.dispose();
  });

  it('MobileNetV2: slices for C <= 32, repeats the depthwise kernel for official C = 192', () => {
    const rgbModel = createMobileNetV2({ numClasses: 3, widthMultiplier: 0.5, seed: 2 });
    const rgb = rgbModel.stateDict();
    const small = adaptPretrainedToDct(rgb, { channels: 6 });
    expect(small['features.1.conv.0.0.weight'].shape).toEqual([6, 1, 3, 3]);
    expect(Array.from(toFloat32(small['features.1.conv.0.1.running_var']))).toEqual(
      Array.from(toFloat32(rgb['features.1.conv.0.1.running_var'])).slice(0, 6),
    );
    const model = createMobileNetV2({
      numClasses: 3,
      widthMultiplier: 0.5,
      input: { kind: 'dct', channels: 6 },
    });
    model.loadStateDict(small);
    model.dispose();

    const official = adaptPretrainedToDct(rgb, { channels: 192, variant: 'official' });
    const weight = official['features.1.conv.0.0.weight'];
    expect(weight.shape).toEqual([16, 12, 3, 3]);
    const values = toFloat32(weight);
    const source = toFloat32(rgb['features.1.conv.0.0.weight']);
    // Output 5, repeat 7, tap 4 equals the pretrained output 5, tap 4.
    expect(values[(5 * 12 + 7) * 9 + 4]).toBe(source[5 * 9 + 4]);
    const grouped = createMobileNetV2({
      numClasses: 3,
      widthMultiplier: 0.5,
      input: { kind: 'dct', channels: 192 },
      variant: 'official',
    });
    grouped.loadStateDict(official);
    grouped.dispose();
    rgbModel.dispose();
  });

  it('rejects unknown state dicts and bad channel counts', () => {
    expect(() => adaptPretrainedToDct({}, { channels: 24 })).toThrow(
      "adaptPretrainedToDct: argument 'rgb' must be a torchvision ResNet or MobileNetV2 state dict",
    );
    expect(() => adaptPretrainedToDct({}, { channels: 193 })).toThrow(
      "adaptPretrainedToDct: argument 'options.channels' must be an integer in 1..192, got 193",
    );
  });
});
