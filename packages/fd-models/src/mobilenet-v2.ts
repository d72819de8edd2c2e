import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ClassifierOptions,
  type ResolvedClassifierOptions,
  resolveClassifierOptions,
} from './classifier-options.js';
import { GatedInput } from './gated-input.js';
import { type FeatureMaps, type ForwardOptions, type ForwardResult, Network } from './network.js';
import type { BatchNorm2d } from './nn/batch-norm.js';
import { convBatchNorm } from './nn/conv-batch-norm.js';
import { Conv2d, type Conv2dOptions } from './nn/conv2d.js';
import { Linear } from './nn/linear.js';
import type { Scope } from './nn/parameter-store.js';
import { globalAveragePool } from './nn/pool.js';
import type { ImageShape, ShapeTrace } from './nn/trace.js';

/** torchvision's inverted residual setting: expansion t, output channels c, repeats n, first stride s. */
export const MOBILENET_V2_SETTING: readonly (readonly [number, number, number, number])[] = Object.freeze([
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
]);

/** torchvision `_make_divisible(v, 8)`: round to a multiple of 8, never more than 10% down. */
export function makeDivisible(value: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}

/** torchvision's dropout before the classifier (training mode only). */
export const MOBILENET_V2_DROPOUT = 0.2;

/** Feature indices after which C2..C5 are taken (strides 4, 8, 16, 32 for RGB input). */
const FEATURE_LEVELS: Readonly<Record<number, keyof FeatureMaps>> = Object.freeze({
  3: 'c2',
  6: 'c3',
  13: 'c4',
  18: 'c5',
});

type BatchNormFactory = (scope: Scope, channels: number) => BatchNorm2d;

/** Conv2dNormActivation (conv `.0`, BN `.1`, ReLU6) or a bare conv + BN pair at two indices. */
interface ConvUnit {
  conv: Conv2d;
  norm: BatchNorm2d;
  relu6: boolean;
}

function convUnit(
  scope: Scope,
  convName: string | number,
  normName: string | number,
  options: Conv2dOptions,
  relu6: boolean,
  batchNorm: BatchNormFactory,
): ConvUnit {
  return {
    conv: new Conv2d(scope.child(convName), options),
    norm: batchNorm(scope.child(normName), options.outChannels),
    relu6,
  };
}

function runUnits(units: ConvUnit[], x: tf.Tensor4D, training: boolean): tf.Tensor4D {
  let out = x;
  for (const unit of units)
    out = convBatchNorm(unit.conv, unit.norm, out, training, unit.relu6 ? 'relu6' : 'linear');
  return out;
}

function traceUnits(units: ConvUnit[], input: ImageShape, trace: ShapeTrace): ImageShape {
  let shape = input;
  for (const unit of units) shape = unit.norm.trace(unit.conv.trace(shape, trace), trace);
  return shape;
}

/** How the first inverted residual's depthwise conv is built (only differs for DCT input). */
interface DepthwiseOverride {
  inChannels: number;
  outChannels: number;
  groups: number;
}

/** torchvision InvertedResidual: names `conv.0.0` ... as torchvision 0.14 registers them. */
class InvertedResidual {
  private readonly units: ConvUnit[] = [];

  constructor(
    scope: Scope,
    inp: number,
    oup: number,
    stride: number,
    expandRatio: number,
    readonly useResidual: boolean,
    batchNorm: BatchNormFactory,
    depthwise?: DepthwiseOverride,
  ) {
    const conv = scope.child('conv');
    const hidden = Math.round(inp * expandRatio);
    let index = 0;
    if (expandRatio !== 1) {
      this.units.push(
        convUnit(
          conv.child(index++),
          0,
          1,
          { inChannels: inp, outChannels: hidden, kernelSize: 1 },
          true,
          batchNorm,
        ),
      );
    }
    const dw = depthwise ?? { inChannels: hidden, outChannels: hidden, groups: hidden };
    this.units.push(
      convUnit(conv.child(index++), 0, 1, { ...dw, kernelSize: 3, stride, padding: 1 }, true, batchNorm),
    );
    this.units.push(
      convUnit(
        conv,
        index,
        index + 1,
        { inChannels: dw.outChannels, outChannels: oup, kernelSize: 1 },
        false,
        batchNorm,
      ),
    );
  }

  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const out = runUnits(this.units, x, training);
      return this.useResidual ? (tf.add(x, out) as tf.Tensor4D) : out;
    });
  }

  trace(input: ImageShape, trace: ShapeTrace): ImageShape {
    return traceUnits(this.units, input, trace);
  }
}

export type MobileNetV2Options = Omit<ClassifierOptions, 'architecture' | 'baseWidth'>;

/**
 * torchvision MobileNetV2 (features.0 stem, features.1..17 inverted residuals, features.18 1x1 conv,
 * classifier.1 Linear) for RGB input, and the paper's DCT MobileNetV2: features.0 (the stride-2 stem)
 * is dropped and features.1 takes the C-channel DCT cube (input [batch, 112, 112, C] in the paper).
 * `paper`: features.1 becomes depthwise C, BN C, pointwise C -> 16. `official` (kaix90/DCTNet): the
 * same for C < 32, unchanged for C = 32, and for C a multiple of 32 (192) a depthwise conv C -> 32 with
 * groups 32 (each output sums C/32 input channels), BN 32, pointwise 32 -> 16. With a width multiplier,
 * 32 reads as the stem width `makeDivisible(32 * widthMultiplier)`.
 */
export class MobileNetV2 extends Network {
  private readonly stem: ConvUnit | undefined;
  private readonly blocks: InvertedResidual[] = [];
  private readonly head: ConvUnit;
  private readonly classifier: Linear;
  private dropoutCalls = 0;

  constructor(options: ResolvedClassifierOptions) {
    super(options);
    const batchNorm: BatchNormFactory = (scope, channels) => this.batchNorm(scope, channels);
    const width = options.widthMultiplier;
    const features = this.root.child('features');
    const stemChannels = makeDivisible(32 * width);
    const lastChannels = makeDivisible(1280 * Math.max(1, width));
    if (options.input !== 'rgb' && options.gate) {
      this.gated = new GatedInput(this.root, options.input.channels, options.gate, options.seed);
    }
    if (options.input === 'rgb') {
      this.stem = convUnit(
        features.child(0),
        0,
        1,
        { inChannels: 3, outChannels: stemChannels, kernelSize: 3, stride: 2, padding: 1 },
        true,
        batchNorm,
      );
    }
    let inputChannels = stemChannels;
    let index = 1;
    for (const [t, c, n, s] of MOBILENET_V2_SETTING) {
      const outputChannels = makeDivisible(c * width);
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? s : 1;
        const useResidual = stride === 1 && inputChannels === outputChannels;
        let depthwise: DepthwiseOverride | undefined;
        let blockInput = inputChannels;
        if (index === 1 && options.input !== 'rgb') {
          depthwise = dctDepthwise(options.input.channels, stemChannels, options.variant);
          blockInput = depthwise.inChannels;
          if (useResidual) {
            throw new ArgumentError(
              'MobileNetV2',
              'options.widthMultiplier',
              `gives a residual first block (${stemChannels} -> ${outputChannels} channels), which a DCT input cannot feed; got ${width}`,
            );
          }
        }
        this.blocks.push(
          new InvertedResidual(
            features.child(index),
            blockInput,
            outputChannels,
            stride,
            t,
            useResidual,
            batchNorm,
            depthwise,
          ),
        );
        inputChannels = outputChannels;
        index++;
      }
    }
    this.head = convUnit(
      features.child(index),
      0,
      1,
      { inChannels: inputChannels, outChannels: lastChannels, kernelSize: 1 },
      true,
      batchNorm,
    );
    this.classifier = new Linear(this.root.child('classifier').child(1), lastChannels, options.numClasses, {
      kind: 'normal',
      std: 0.01,
    });
  }

  /** Runs the network, calling `visit(index, x)` after each `features.<index>` module. */
  private run(input: tf.Tensor4D, options: ForwardOptions, visit: (index: number, x: tf.Tensor4D) => void) {
    const training = options.training ?? false;
    const gated = this.applyGate(input, options);
    let x = gated.x;
    if (this.stem) x = runUnits([this.stem], x, training);
    visit(0, x);
    this.blocks.forEach((block, i) => {
      x = block.forward(x, training);
      visit(i + 1, x);
    });
    x = runUnits([this.head], x, training);
    visit(this.blocks.length + 1, x);
    return { x, gate: gated.gate };
  }

  features(input: tf.Tensor4D, options: ForwardOptions = {}): FeatureMaps {
    this.checkInput('MobileNetV2.features', input);
    return tf.tidy(() => {
      const maps: Partial<FeatureMaps> = {};
      this.run(input, options, (index, x) => {
        const level = FEATURE_LEVELS[index];
        if (level) maps[level] = x;
      });
      return maps as FeatureMaps;
    });
  }

  forward(input: tf.Tensor4D, options: ForwardOptions = {}): ForwardResult {
    this.checkInput('MobileNetV2.forward', input);
    return tf.tidy((): ForwardResult => {
      const { x, gate } = this.run(input, options, () => {});
      let pooled = globalAveragePool(x);
      if (options.training) {
        // torchvision's classifier.0 = Dropout(0.2); seeded per call so training runs are reproducible.
        this.dropoutCalls++;
        pooled = tf.dropout(
          pooled,
          MOBILENET_V2_DROPOUT,
          undefined,
          this.options.seed * 1_000_003 + this.dropoutCalls,
        ) as tf.Tensor2D;
      }
      const logits = this.classifier.forward(pooled);
      return gate ? { logits, gate } : { logits };
    });
  }

  protected traceLayers(input: ImageShape, trace: ShapeTrace): void {
    let shape = input;
    if (this.gated) shape = this.gated.trace(shape, trace);
    if (this.stem) shape = traceUnits([this.stem], shape, trace);
    for (const block of this.blocks) shape = block.trace(shape, trace);
    shape = traceUnits([this.head], shape, trace);
    this.classifier.trace([1, 1, shape[2]], trace);
  }

  protected stagePrefixes(): string[][] {
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `features.${from + i}`);
    return [this.stem ? ['features.0'] : [], range(1, 3), range(4, 6), range(7, 13), range(14, 18)];
  }

  protected defaultInputSize(): number {
    return this.options.input === 'rgb' ? 224 : 112;
  }
}

/** The first block's depthwise conv for a C-channel DCT input (see {@link MobileNetV2}). */
function dctDepthwise(
  channels: number,
  stemChannels: number,
  variant: 'paper' | 'official',
): DepthwiseOverride {
  if (variant === 'paper' || channels <= stemChannels) {
    return { inChannels: channels, outChannels: channels, groups: channels };
  }
  if (channels % stemChannels !== 0) {
    throw new ArgumentError(
      'MobileNetV2',
      'options.input.channels',
      `must be at most ${stemChannels} or a multiple of it for variant 'official' (the published code handles C < 32, 32 and 192); got ${channels}, use variant 'paper'`,
    );
  }
  return { inChannels: channels, outChannels: stemChannels, groups: stemChannels };
}

/** Creates a MobileNetV2 (RGB or DCT; see {@link MobileNetV2}). */
export function createMobileNetV2(options: MobileNetV2Options = {}): MobileNetV2 {
  return new MobileNetV2(
    resolveClassifierOptions('createMobileNetV2', { ...options, architecture: 'mobilenetv2' }),
  );
}
