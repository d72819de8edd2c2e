import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from './classifier.js';
import { CLASSIFIER_DEFAULTS } from './classifier-options.js';
import { createMobileNetV2, makeDivisible } from './mobilenet-v2.js';
import { createResNet } from './resnet.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createClassifier', () => {
  it('getConfig() rebuilds the same network', () => {
    const model = createClassifier({
      architecture: 'resnet18',
      baseWidth: 2,
      input: { kind: 'dct', channels: 6 },
      seed: 4,
    });
    const config = model.getConfig();
    expect(config).toMatchObject({
      architecture: 'resnet18',
      baseWidth: 2,
      variant: 'paper',
      seed: 4,
      initialize: true,
    });
    const copy = createClassifier(JSON.parse(JSON.stringify(config)));
    expect(copy.stateDict()['layer1.0.conv1.weight'].data).toEqual(
      model.stateDict()['layer1.0.conv1.weight'].data,
    );
    expect(model.gateWeights()).toBeUndefined();
    model.dispose();
    copy.dispose();
  });

  it('has frozen defaults', () => {
    expect(Object.isFrozen(CLASSIFIER_DEFAULTS)).toBe(true);
    expect(CLASSIFIER_DEFAULTS).toMatchObject({ input: 'rgb', numClasses: 1000, variant: 'paper', seed: 0 });
  });

  it('feature strides: RGB 4/8/16/32, DCT paper 1/2/4/8, DCT official 1/1/2/4 (relative to the input)', () => {
    const sizes = (model: ReturnType<typeof createResNet>, input: tf.Tensor4D) => {
      const f = model.features(input);
      const result = [f.c2, f.c3, f.c4, f.c5].map((t) => [t.shape[1], t.shape[3]]);
      tf.dispose([f.c2, f.c3, f.c4, f.c5]);
      return result;
    };
    const rgb = createResNet({ architecture: 'resnet18', baseWidth: 2 });
    const image = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    expect(sizes(rgb, image)).toEqual([
      [16, 2],
      [8, 4],
      [4, 8],
      [2, 16],
    ]);
    const cube = tf.zeros([1, 16, 16, 6]) as tf.Tensor4D;
    const paper = createResNet({
      architecture: 'resnet50',
      baseWidth: 2,
      input: { kind: 'dct', channels: 6 },
    });
    expect(sizes(paper, cube).map(([size]) => size)).toEqual([16, 8, 4, 2]);
    const official = createResNet({
      architecture: 'resnet50',
      baseWidth: 2,
      input: { kind: 'dct', channels: 6 },
      variant: 'official',
    });
    expect(sizes(official, cube)).toEqual([
      [16, 8],
      [16, 16],
      [8, 32],
      [4, 64],
    ]);
    tf.dispose([image, cube]);
    for (const m of [rgb, paper, official]) m.dispose();
  });

  it('MobileNetV2 features: features.3/6/13/18 at strides 4, 8, 16, 32 (RGB) and 2, 4, 8, 16 (DCT)', () => {
    const rgb = createMobileNetV2({ widthMultiplier: 0.35 });
    const dct = createMobileNetV2({ widthMultiplier: 0.35, input: { kind: 'dct', channels: 6 } });
    const shapes = (model: typeof rgb, x: tf.Tensor4D) => {
      const f = model.features(x);
      const result = [f.c2, f.c3, f.c4, f.c5].map((t) => t.shape.slice(1));
      tf.dispose([f.c2, f.c3, f.c4, f.c5]);
      return result;
    };
    const image = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    const cube = tf.zeros([1, 32, 32, 6]) as tf.Tensor4D;
    const expected = [
      [16, 16, 8],
      [8, 8, 16],
      [4, 4, 32],
      [2, 2, 1280],
    ];
    expect(shapes(rgb, image)).toEqual(expected);
    expect(shapes(dct, cube)).toEqual(expected);
    tf.dispose([image, cube]);
    rgb.dispose();
    dct.dispose();
  });

  it('DCT ResNet-50 replaces the stem by 1x1 convs taking C channels in layer1.0', () => {
    const model = createClassifier({
      architecture: 'resnet50',
      baseWidth: 2,
      input: { kind: 'dct', channels: 24 },
    });
    const state = model.stateDict();
    expect(state['conv1.weight']).toBeUndefined();
    expect(state['bn1.weight']).toBeUndefined();
    expect(state['layer1.0.conv1.weight'].shape).toEqual([2, 24, 1, 1]);
    expect(state['layer1.0.downsample.0.weight'].shape).toEqual([8, 24, 1, 1]);
    model.dispose();
  });

  it('DCT MobileNetV2 first block: paper C-channel, official grouped for C = 192', () => {
    const paperModel = createMobileNetV2({ widthMultiplier: 0.5, input: { kind: 'dct', channels: 192 } });
    const paper = paperModel.stateDict();
    paperModel.dispose();
    expect(paper['features.0.0.weight']).toBeUndefined();
    expect(paper['features.1.conv.0.0.weight'].shape).toEqual([192, 1, 3, 3]);
    expect(paper['features.1.conv.1.weight'].shape).toEqual([8, 192, 1, 1]);
    const official = createMobileNetV2({ input: { kind: 'dct', channels: 192 }, variant: 'official' });
    const state = official.stateDict();
    expect(state['features.1.conv.0.0.weight'].shape).toEqual([32, 6, 3, 3]);
    expect(state['features.1.conv.0.1.running_mean'].shape).toEqual([32]);
    expect(state['features.1.conv.1.weight'].shape).toEqual([16, 32, 1, 1]);
    official.dispose();
    expect(makeDivisible(32 * 0.35)).toBe(16);
    expect(makeDivisible(1280)).toBe(1280);
  });

  it('initialize: false starts random weights at zero (constants unchanged), for loading checkpoints', () => {
    const model = createResNet({ architecture: 'resnet18', baseWidth: 2, initialize: false });
    const state = model.stateDict();
    expect(Array.from(state['layer1.0.conv1.weight'].data as Float32Array).every((v) => v === 0)).toBe(true);
    expect(Array.from(state['fc.bias'].data as Float32Array).every((v) => v === 0)).toBe(true);
    expect(Array.from(state['bn1.weight'].data as Float32Array)).toEqual([1, 1]);
    expect(Array.from(state['bn1.running_var'].data as Float32Array)).toEqual([1, 1]);
    model.dispose();
  });

  it('inference sees new weights after loadStateDict and a training step (folded filters refresh)', () => {
    const a = createResNet({ architecture: 'resnet18', baseWidth: 2, numClasses: 3, seed: 1 });
    const b = createResNet({ architecture: 'resnet18', baseWidth: 2, numClasses: 3, seed: 2 });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const logits = (model: typeof a) => {
      const y = model.forward(x).logits;
      const values = Array.from(y.dataSync());
      y.dispose();
      return values;
    };
    const before = logits(a);
    a.loadStateDict(b.stateDict());
    expect(logits(a)).toEqual(logits(b));
    expect(logits(a)).not.toEqual(before);
    // Changing only a BatchNorm buffer must also refresh the fold.
    const state = a.stateDict();
    (state['layer4.1.bn2.running_var'].data as Float32Array).fill(4);
    a.loadStateDict(state);
    expect(logits(a)).not.toEqual(logits(b));
    tf.dispose(x);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });

  it('forward leaves no tensors behind and works for a 1x1 DCT cube', () => {
    const model = createResNet({
      architecture: 'resnet18',
      baseWidth: 2,
      numClasses: 4,
      input: { kind: 'dct', channels: 6 },
    });
    const x = tf.ones([2, 1, 1, 6]) as tf.Tensor4D;
    tf.tidy(() => {
      model.forward(x); // builds the cached folded filters
    });
    const before = tf.memory().numTensors;
    const { logits } = model.forward(x);
    expect(logits.shape).toEqual([2, 4]);
    const values = logits.arraySync();
    expect(values[0]).toEqual(values[1]);
    logits.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('rejects bad options and inputs with messages naming function, argument and value', () => {
    expect(() => createClassifier({ architecture: 'vgg16' as 'resnet50' })).toThrow(
      'createClassifier: argument \'options.architecture\' must be one of resnet18, resnet34, resnet50, resnet101, mobilenetv2, got "vgg16"',
    );
    expect(() => createResNet({ input: { kind: 'dct', channels: 0 } })).toThrow(
      "createResNet: argument 'options.input.channels' must be an integer in 1..192, got 0",
    );
    expect(() => createMobileNetV2({ widthMultiplier: 0 })).toThrow(
      "createMobileNetV2: argument 'options.widthMultiplier' must be a positive number, got 0",
    );
    expect(() => createResNet({ gate: {} })).toThrow(
      "createResNet: argument 'options.gate' is only supported with DCT input",
    );
    expect(() => createMobileNetV2({ input: { kind: 'dct', channels: 48 }, variant: 'official' })).toThrow(
      "MobileNetV2: argument 'options.input.channels' must be at most 32 or a multiple of it for variant 'official'",
    );
    const model = createResNet({
      architecture: 'resnet18',
      baseWidth: 2,
      input: { kind: 'dct', channels: 24 },
    });
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => model.forward(x)).toThrow(
      "ResNet.forward: argument 'input' must be [batch, H, W, 24] (dct-24), got shape [1,8,8,3]",
    );
    x.dispose();
    model.dispose();
  });
});

describe('MobileNetV2 dropout', () => {
  it('is the identity in eval mode and changes the logits in training mode (frozen BN)', () => {
    const model = createMobileNetV2({ widthMultiplier: 0.35, numClasses: 2, seed: 1 });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const a = model.forward(x).logits;
    const b = model.forward(x).logits;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    model.setFrozenBatchNorm(true); // isolate dropout from batch statistics
    const c = model.forward(x, { training: true }).logits;
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b, c]);
    model.dispose();
  });
});
