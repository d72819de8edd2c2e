import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type Architecture,
  type ClassifierOptions,
  inputChannels,
  type ResolvedClassifierOptions,
  resolveClassifierOptions,
} from './classifier-options.js';
import { GatedInput } from './gated-input.js';
import { type FeatureMaps, type ForwardOptions, type ForwardResult, Network } from './network.js';
import type { BatchNorm2d } from './nn/batch-norm.js';
import { convBatchNorm } from './nn/conv-batch-norm.js';
import { Conv2d } from './nn/conv2d.js';
import { Linear } from './nn/linear.js';
import type { Scope } from './nn/parameter-store.js';
import { globalAveragePool, maxPool2d, traceMaxPool2d } from './nn/pool.js';
import type { ImageShape, ShapeTrace } from './nn/trace.js';

export type ResNetArchitecture = Exclude<Architecture, 'mobilenetv2'>;

/** torchvision's block type and blocks per stage. */
export const RESNET_SPECS: Readonly<
  Record<ResNetArchitecture, { block: 'basic' | 'bottleneck'; layers: readonly number[] }>
> = Object.freeze({
  resnet18: { block: 'basic', layers: [2, 2, 2, 2] },
  resnet34: { block: 'basic', layers: [3, 4, 6, 3] },
  resnet50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  resnet101: { block: 'bottleneck', layers: [3, 4, 23, 3] },
});

export type ResNetOptions = Omit<ClassifierOptions, 'architecture' | 'widthMultiplier'> & {
  /** Default 'resnet50'. */
  architecture?: ResNetArchitecture;
};

export const RESNET_DEFAULTS = Object.freeze({ architecture: 'resnet50' as ResNetArchitecture });

type BatchNormFactory = (scope: Scope, channels: number) => BatchNorm2d;

interface Downsample {
  conv: Conv2d;
  norm: BatchNorm2d;
}

/** torchvision BasicBlock / Bottleneck: the stride sits on the 3x3 conv (conv1 / conv2 respectively). */
class ResidualBlock {
  private readonly convs: Conv2d[] = [];
  private readonly norms: BatchNorm2d[] = [];
  private readonly downsample: Downsample | undefined;

  constructor(
    readonly scope: Scope,
    bottleneck: boolean,
    inplanes: number,
    planes: number,
    stride: number,
    batchNorm: BatchNormFactory,
  ) {
    const expansion = bottleneck ? 4 : 1;
    const specs = bottleneck
      ? [
          { inChannels: inplanes, outChannels: planes, kernelSize: 1 },
          { inChannels: planes, outChannels: planes, kernelSize: 3, stride, padding: 1 },
          { inChannels: planes, outChannels: planes * expansion, kernelSize: 1 },
        ]
      : [
          { inChannels: inplanes, outChannels: planes, kernelSize: 3, stride, padding: 1 },
          { inChannels: planes, outChannels: planes, kernelSize: 3, padding: 1 },
        ];
    specs.forEach((spec, i) => {
      this.convs.push(new Conv2d(scope.child(`conv${i + 1}`), spec));
      this.norms.push(batchNorm(scope.child(`bn${i + 1}`), spec.outChannels));
    });
    if (stride !== 1 || inplanes !== planes * expansion) {
      const downsampleScope = scope.child('downsample');
      this.downsample = {
        conv: new Conv2d(downsampleScope.child(0), {
          inChannels: inplanes,
          outChannels: planes * expansion,
          kernelSize: 1,
          stride,
        }),
        norm: batchNorm(downsampleScope.child(1), planes * expansion),
      };
    }
  }

  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      let out = x;
      const last = this.convs.length - 1;
      this.convs.forEach((conv, i) => {
        out = convBatchNorm(conv, this.norms[i], out, training, i < last ? 'relu' : 'linear');
      });
      const identity = this.downsample
        ? convBatchNorm(this.downsample.conv, this.downsample.norm, x, training, 'linear')
        : x;
      return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
    });
  }

  trace(input: ImageShape, trace: ShapeTrace): ImageShape {
    let shape = input;
    this.convs.forEach((conv, i) => {
      shape = conv.trace(shape, trace);
      shape = this.norms[i].trace(shape, trace);
    });
    if (this.downsample) {
      const side = this.downsample.conv.trace(input, trace);
      this.downsample.norm.trace(side, trace);
    }
    return shape;
  }
}

/**
 * torchvision ResNet-18/34/50/101 for RGB input, and the paper's DCT ResNets.
 *
 * RGB: identical to torchvision (conv1 7x7 s2 p3, bn1, relu, maxpool 3x3 s2 p1, layer1..4, avgpool, fc).
 * DCT: conv1, bn1, relu and maxpool are dropped; layer1 takes the C-channel DCT cube (torchvision's
 * `_make_layer` with `inplanes = C`, so in ResNet-50 layer1.0.conv1 and layer1.0.downsample.0 are 1x1
 * convs taking C channels). Variant `official` sets layer2's stride to 1 (kaix90/DCTNet).
 */
export class ResNet extends Network {
  private readonly stem: { conv: Conv2d; norm: BatchNorm2d } | undefined;
  private readonly stages: ResidualBlock[][] = [];
  private readonly fc: Linear;
  /** Stride of each stage's first block. */
  readonly stageStrides: readonly number[];

  constructor(options: ResolvedClassifierOptions) {
    super(options);
    const architecture = options.architecture as ResNetArchitecture;
    const spec = RESNET_SPECS[architecture];
    const bottleneck = spec.block === 'bottleneck';
    const expansion = bottleneck ? 4 : 1;
    const width = options.baseWidth;
    const batchNorm: BatchNormFactory = (scope, channels) => this.batchNorm(scope, channels);
    const dct = options.input !== 'rgb';
    if (dct && options.gate)
      this.gated = new GatedInput(this.root, inputChannels(options.input), options.gate, options.seed);
    let inplanes: number;
    if (dct) {
      inplanes = inputChannels(options.input);
    } else {
      this.stem = {
        conv: new Conv2d(this.root.child('conv1'), {
          inChannels: 3,
          outChannels: width,
          kernelSize: 7,
          stride: 2,
          padding: 3,
        }),
        norm: batchNorm(this.root.child('bn1'), width),
      };
      inplanes = width;
    }
    this.stageStrides = [1, dct && options.variant === 'official' ? 1 : 2, 2, 2];
    spec.layers.forEach((blocks, stage) => {
      const planes = width * 2 ** stage;
      const layerScope = this.root.child(`layer${stage + 1}`);
      const layer: ResidualBlock[] = [];
      for (let i = 0; i < blocks; i++) {
        const stride = i === 0 ? this.stageStrides[stage] : 1;
        layer.push(new ResidualBlock(layerScope.child(i), bottleneck, inplanes, planes, stride, batchNorm));
        inplanes = planes * expansion;
      }
      this.stages.push(layer);
    });
    this.fc = new Linear(this.root.child('fc'), inplanes, options.numClasses);
  }

  features(input: tf.Tensor4D, options: ForwardOptions = {}): FeatureMaps {
    this.checkInput('ResNet.features', input);
    return tf.tidy(() => this.featuresWithGate(input, options).features);
  }

  private featuresWithGate(input: tf.Tensor4D, options: ForwardOptions) {
    const training = options.training ?? false;
    const gated = this.applyGate(input, options);
    let x = gated.x;
    if (this.stem) {
      x = convBatchNorm(this.stem.conv, this.stem.norm, x, training, 'relu');
      x = maxPool2d(x, 3, 2, 1);
    }
    const outputs: tf.Tensor4D[] = [];
    for (const layer of this.stages) {
      for (const block of layer) x = block.forward(x, training);
      outputs.push(x);
    }
    const [c2, c3, c4, c5] = outputs;
    return { features: { c2, c3, c4, c5 }, gate: gated.gate };
  }

  forward(input: tf.Tensor4D, options: ForwardOptions = {}): ForwardResult {
    this.checkInput('ResNet.forward', input);
    return tf.tidy((): ForwardResult => {
      const { features, gate } = this.featuresWithGate(input, options);
      const logits = this.fc.forward(globalAveragePool(features.c5));
      return gate ? { logits, gate } : { logits };
    });
  }

  protected traceLayers(input: ImageShape, trace: ShapeTrace): void {
    let shape = input;
    if (this.gated) shape = this.gated.trace(shape, trace);
    if (this.stem) {
      shape = this.stem.conv.trace(shape, trace);
      shape = this.stem.norm.trace(shape, trace);
      shape = traceMaxPool2d('maxpool', shape, 3, 2, 1, trace);
    }
    for (const layer of this.stages) for (const block of layer) shape = block.trace(shape, trace);
    this.fc.trace([1, 1, shape[2]], trace);
  }

  protected stagePrefixes(): string[][] {
    return [this.stem ? ['conv1', 'bn1'] : [], ['layer1'], ['layer2'], ['layer3'], ['layer4']];
  }

  protected defaultInputSize(): number {
    return this.options.input === 'rgb' ? 224 : 56;
  }
}

/** Creates a ResNet (default ResNet-50); see {@link ResNet} for the RGB and DCT structures. */
export function createResNet(options: ResNetOptions = {}): ResNet {
  const architecture = options.architecture ?? RESNET_DEFAULTS.architecture;
  if (architecture === ('mobilenetv2' as string)) {
    throw new ArgumentError('createResNet', 'options.architecture', `must be a ResNet, got 'mobilenetv2'`);
  }
  return new ResNet(resolveClassifierOptions('createResNet', { ...options, architecture }));
}
