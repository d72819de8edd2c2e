import { type GateRegularizerOptions, gateRegularizer } from '@fdl/channel-gate';
import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { GateCallOptions, GateConfig } from '../classifier-options.js';
import { stateDictError } from '../errors.js';
import { GatedInput } from '../gated-input.js';
import type { GateResult } from '../network.js';
import { ParameterStore, Scope } from '../nn/parameter-store.js';
import { createResNet, type ResNet } from '../resnet.js';
import {
  type LoadStateDictOptions,
  type LoadStateDictReport,
  readStateDict,
  type StateDict,
  writeStateDict,
} from '../state-dict.js';
import { resizeBoxes } from './boxes.js';
import { DetectionError } from './errors.js';
import { FeaturePyramid } from './fpn.js';
import { DEFAULT_PASTE_MASKS_OPTIONS, type PasteMasksOptions, pasteMasksInImage } from './paste-masks.js';
import { createRandomSource, type RandomSource } from './random.js';
import { type DetectionTarget, RoiHeads, type RoiHeadsOptions } from './roi-heads.js';
import { RegionProposalNetwork, type RpnOptions } from './rpn.js';
import type { SampledIndices } from './sampler.js';

/**
 * Mask R-CNN with a ResNet-50-FPN backbone, split as torchvision's `maskrcnn_resnet50_fpn`:
 * backbone body (`backbone.body.*`, @fdl/fd-models ResNet) -> FPN (`backbone.fpn.*`) -> RPN (`rpn.*`) ->
 * RoI heads (`roi_heads.*`). The RGB model takes the normalized, padded image batch (see
 * `transformImages`); the DCT model (`resnet50-dct`) takes the DCT cube at H/4 of the padded image
 * (the paper's geometry: Y from the image x2, chroma from x4, no stem, layer1 at that resolution), so
 * C2..C5 keep strides 4..32 of the image in both cases.
 */
export type MaskRcnnBackbone = 'resnet50' | 'resnet50-dct';

export interface MaskRcnnOptions {
  readonly backbone: MaskRcnnBackbone;
  /** DCT channels of the cube (resnet50-dct only), e.g. 24 for DCT-24. */
  readonly channels: number;
  /** Classes including background (COCO: 91). */
  readonly numClasses: number;
  /** ResNet base width (64 = ResNet-50; smaller for tests). */
  readonly baseWidth: number;
  /** FPN output channels. */
  readonly fpnChannels: number;
  readonly rpn: Partial<RpnOptions>;
  readonly roiHeads: Partial<RoiHeadsOptions>;
  /**
   * Backbone stages frozen: torchvision's `trainable_backbone_layers = 3` freezes the stem and layer1,
   * i.e. 2 here (0 = none ... 5 = all). The DCT backbone has no stem, so 2 freezes layer1.
   */
  readonly frozenStages: number;
  /** BatchNorm of the backbone frozen (torchvision's FrozenBatchNorm2d for pretrained backbones). */
  readonly frozenBatchNorm: boolean;
  /**
   * The paper's channel gate in front of the DCT backbone (`backbone.body.inp_GM.*`, official names), or
   * false. With a gate, training adds `loss_gate` = `gateRegularizer(mask, gateRegularizer)`.
   */
  readonly gate: GateConfig | false;
  /** Weight and reduction of the gate penalty (set `lambda`; 0 disables the pressure). */
  readonly gateRegularizer: GateRegularizerOptions;
  readonly seed: number;
  /** Draw random backbone weights (default true); false saves seconds when a checkpoint follows. */
  readonly initialize: boolean;
}

export const MASK_RCNN_DEFAULTS: MaskRcnnOptions = Object.freeze({
  backbone: 'resnet50',
  channels: 24,
  numClasses: 91,
  baseWidth: 64,
  fpnChannels: 256,
  rpn: Object.freeze({}),
  roiHeads: Object.freeze({}),
  frozenStages: 2,
  frozenBatchNorm: true,
  gate: false,
  gateRegularizer: Object.freeze({ lambda: 0, reduction: 'sum' as const }),
  seed: 0,
  initialize: true,
});

/** Detections of one image. */
export interface Detections {
  /** `[D, 4]` `(x1, y1, x2, y2)` in the output image's pixels */
  readonly boxes: Float32Array;
  readonly labels: Int32Array;
  readonly scores: Float32Array;
  /** `[D, H, W]` 0/1 instance masks at `imageSize` */
  readonly masks: Uint8Array;
  readonly imageSize: [number, number];
}

/** The loss dictionary, named as torchvision's. */
export interface MaskRcnnLosses {
  readonly loss_classifier: tf.Scalar;
  readonly loss_box_reg: tf.Scalar;
  readonly loss_mask: tf.Scalar;
  readonly loss_objectness: tf.Scalar;
  readonly loss_rpn_box_reg: tf.Scalar;
  /** Present when the model has a channel gate. */
  readonly loss_gate?: tf.Scalar;
}

export interface DetectOptions {
  /**
   * `[height, width]` per image to return detections at (torchvision's original sizes): boxes are
   * rescaled and masks pasted at this size. Default: `imageSizes` (the model's input coordinates).
   */
  readonly originalSizes?: readonly (readonly [number, number])[];
  readonly pasteMasks?: PasteMasksOptions;
}

export interface LossOptions {
  /** Per-call options of the channel gate (tau, mode, seed...), merged over `options.gate.forward`. */
  readonly gate?: GateCallOptions;
  /** Seed of the RPN and RoI samplers, or given sampling decisions (tests). */
  readonly sampling?:
    | number
    | RandomSource
    | { readonly rpn: readonly SampledIndices[]; readonly roiHeads: readonly SampledIndices[] };
}

const BACKBONE_PREFIX = 'backbone.body.';

export class MaskRcnn {
  readonly options: MaskRcnnOptions;
  readonly backbone: ResNet;
  readonly fpn: FeaturePyramid;
  readonly rpn: RegionProposalNetwork;
  readonly roiHeads: RoiHeads;
  /** Pixels of the padded image per input pixel: 1 (RGB) or 4 (DCT cube at H/4). */
  readonly inputStride: number;
  /** The channel gate (DCT models created with `gate`). */
  readonly gate: GatedInput | undefined;
  private readonly store = new ParameterStore();

  constructor(options: MaskRcnnOptions) {
    this.options = options;
    const dct = options.backbone === 'resnet50-dct';
    this.inputStride = dct ? 4 : 1;
    this.backbone = createResNet({
      architecture: 'resnet50',
      input: dct ? { kind: 'dct', channels: options.channels } : 'rgb',
      baseWidth: options.baseWidth,
      numClasses: 1,
      seed: options.seed,
      initialize: options.initialize,
    });
    this.backbone.setFrozenStages(options.frozenStages);
    this.backbone.setFrozenBatchNorm(options.frozenBatchNorm);
    const root = new Scope(this.store, '', options.seed);
    if (options.gate && !dct) {
      throw new ArgumentError(
        'createMaskRcnn',
        'options.gate',
        "needs backbone 'resnet50-dct' (the gate selects DCT channels)",
      );
    }
    this.gate = options.gate
      ? new GatedInput(root.child('backbone').child('body'), options.channels, options.gate, options.seed)
      : undefined;
    const width = options.baseWidth * 4;
    this.fpn = new FeaturePyramid(root.child('backbone').child('fpn'), {
      inChannels: [width, width * 2, width * 4, width * 8],
      outChannels: options.fpnChannels,
    });
    this.rpn = new RegionProposalNetwork(root.child('rpn'), options.fpnChannels, options.rpn);
    this.roiHeads = new RoiHeads(
      root.child('roi_heads'),
      options.fpnChannels,
      options.numClasses,
      options.roiHeads,
    );
  }

  private checkInput(
    functionName: string,
    input: tf.Tensor4D,
    imageSizes: readonly (readonly [number, number])[],
  ) {
    const channels = this.options.backbone === 'resnet50-dct' ? this.options.channels : 3;
    if (input.rank !== 4 || input.shape[3] !== channels || imageSizes.length !== input.shape[0]) {
      throw new ArgumentError(
        functionName,
        'input',
        `must be [batch, H, W, ${channels}] with one image size per batch entry, got shape [${input.shape}] and ` +
          `${imageSizes.length} image sizes`,
      );
    }
    const padded: [number, number] = [input.shape[1] * this.inputStride, input.shape[2] * this.inputStride];
    for (const [h, w] of imageSizes) {
      if (h > padded[0] || w > padded[1]) {
        throw new ArgumentError(
          functionName,
          'imageSizes',
          `has ${h}x${w}, larger than the padded batch ${padded[0]}x${padded[1]}`,
        );
      }
    }
    return padded;
  }

  /** FPN levels P2..P6 of a batch (body in training or eval mode). */
  pyramid(input: tf.Tensor4D, training = false): tf.Tensor4D[] {
    const { pyramid, gate } = this.pyramidWithGate(input, training);
    if (gate) tf.dispose([gate.mask, gate.probabilities, gate.logits]);
    return pyramid;
  }

  private pyramidWithGate(
    input: tf.Tensor4D,
    training: boolean,
    gateOptions?: GateCallOptions,
  ): { pyramid: tf.Tensor4D[]; gate?: GateResult } {
    let gate: GateResult | undefined;
    const pyramid = tf.tidy(() => {
      let x = input;
      if (this.gate) {
        const gated = this.gate.forward(input, training, gateOptions);
        gate = {
          mask: tf.keep(gated.gate.mask),
          probabilities: tf.keep(gated.gate.probabilities),
          logits: tf.keep(gated.gate.logits),
        };
        x = gated.output;
      }
      const { c2, c3, c4, c5 } = this.backbone.features(x, { training });
      return this.fpn.forward([c2, c3, c4, c5]);
    });
    return gate ? { pyramid, gate } : { pyramid };
  }

  /**
   * Inference from given pyramid levels (P2..P6): RPN (test settings) + RoI heads + post-processing.
   */
  detectFromPyramid(
    pyramid: readonly tf.Tensor4D[],
    imageSizes: readonly (readonly [number, number])[],
    paddedSize: readonly [number, number],
    options: DetectOptions = {},
  ): Detections[] {
    const { proposals } = this.rpn.forward(pyramid, imageSizes, paddedSize, false);
    const detections = this.roiHeads.detect(
      pyramid.slice(0, 4),
      proposals.map((p) => p.boxes),
      imageSizes,
    );
    const outputSizes = options.originalSizes ?? imageSizes;
    if (outputSizes.length !== imageSizes.length) {
      throw new ArgumentError(
        'MaskRcnn.detect',
        'options.originalSizes',
        `needs ${imageSizes.length} sizes, got ${outputSizes.length}`,
      );
    }
    return detections.map((d, i) => {
      const size: [number, number] = [outputSizes[i][0], outputSizes[i][1]];
      const boxes = resizeBoxes(d.boxes, imageSizes[i], size);
      const masks = pasteMasksInImage(
        d.masks,
        d.maskSize,
        boxes,
        size,
        options.pasteMasks ?? DEFAULT_PASTE_MASKS_OPTIONS,
      );
      return { boxes, labels: d.labels, scores: d.scores, masks, imageSize: size };
    });
  }

  /**
   * Eval mode: detections per image.
   *
   * @param input RGB batch `[N, Hp, Wp, 3]` (normalized, padded) or DCT cube `[N, Hp/4, Wp/4, C]`
   * @param imageSizes `[height, width]` of each image inside the padded batch, in image pixels
   */
  detect(
    input: tf.Tensor4D,
    imageSizes: readonly (readonly [number, number])[],
    options: DetectOptions = {},
  ): Detections[] {
    const padded = this.checkInput('MaskRcnn.detect', input, imageSizes);
    const pyramid = this.pyramid(input, false);
    try {
      return this.detectFromPyramid(pyramid, imageSizes, padded, options);
    } finally {
      tf.dispose(pyramid);
    }
  }

  /**
   * Train mode: the five losses (call inside `tf.variableGrads` / `optimizer.minimize`). Targets are in
   * the coordinates of `imageSizes` (see `resizeTarget`).
   */
  losses(
    input: tf.Tensor4D,
    imageSizes: readonly (readonly [number, number])[],
    targets: readonly DetectionTarget[],
    options: LossOptions = {},
  ): MaskRcnnLosses {
    const padded = this.checkInput('MaskRcnn.losses', input, imageSizes);
    if (targets.length !== imageSizes.length) {
      throw new DetectionError(
        'MaskRcnn.losses',
        `needs one target per image (${imageSizes.length}), got ${targets.length}`,
      );
    }
    const sampling = options.sampling ?? this.options.seed;
    const random =
      typeof sampling === 'number' ? createRandomSource(sampling) : 'next' in sampling ? sampling : undefined;
    const given = random
      ? undefined
      : (sampling as { rpn: readonly SampledIndices[]; roiHeads: readonly SampledIndices[] });
    const { pyramid, gate } = this.pyramidWithGate(input, true, options.gate);
    try {
      const rpn = this.rpn.forward(pyramid, imageSizes, padded, true, {
        gtBoxes: targets.map((t) => t.boxes),
        sampling: random ?? given!.rpn,
      });
      const heads = this.roiHeads.losses(
        pyramid.slice(0, 4),
        rpn.proposals.map((p) => p.boxes),
        imageSizes,
        { targets, sampling: random ?? given!.roiHeads },
      );
      const losses: MaskRcnnLosses = { ...heads, ...rpn.losses! };
      return gate
        ? { ...losses, loss_gate: gateRegularizer(gate.mask, this.options.gateRegularizer) }
        : losses;
    } finally {
      tf.dispose(pyramid);
      if (gate) tf.dispose([gate.mask, gate.probabilities, gate.logits]);
    }
  }

  /** Sum of the losses (a scalar to minimize). */
  static totalLoss(losses: MaskRcnnLosses): tf.Scalar {
    return tf.addN(
      Object.values(losses).filter((loss): loss is tf.Scalar => loss !== undefined),
    ) as tf.Scalar;
  }

  /** Backbone BatchNorm running statistics queued by training forwards (no-op with frozen BN). */
  applyBatchNormUpdates(): void {
    this.backbone.applyBatchNormUpdates();
  }

  /** Every parameter and buffer, by torchvision name. */
  variables(): Map<string, tf.Variable> {
    const result = new Map<string, tf.Variable>();
    for (const [name, variable] of this.backbone.variables()) {
      if (!name.startsWith('fc.')) result.set(BACKBONE_PREFIX + name, variable);
    }
    for (const [name, variable] of this.store.variables()) result.set(name, variable);
    return result;
  }

  /** Parameters an optimizer should update (frozen stages and frozen BN excluded). */
  trainableVariables(): Map<string, tf.Variable> {
    const result = new Map<string, tf.Variable>();
    for (const [name, variable] of this.backbone.trainableVariables()) {
      if (!name.startsWith('fc.')) result.set(BACKBONE_PREFIX + name, variable);
    }
    for (const [name, variable] of this.store.trainableVariables()) result.set(name, variable);
    return result;
  }

  /** torchvision `maskrcnn_resnet50_fpn` state dict (torch layouts). */
  stateDict(): StateDict {
    const record: StateDict = {};
    for (const [name, tensor] of Object.entries(this.backbone.stateDict())) {
      if (!name.startsWith('fc.')) record[BACKBONE_PREFIX + name] = tensor;
    }
    return { ...record, ...readStateDict(this.store) };
  }

  /** Loads a torchvision `maskrcnn_resnet50_fpn` state dict; strict by default (names and shapes). */
  loadStateDict(record: StateDict, options: LoadStateDictOptions = {}): LoadStateDictReport {
    const body: StateDict = {};
    const rest: StateDict = {};
    for (const [name, tensor] of Object.entries(record)) {
      if (name.startsWith(BACKBONE_PREFIX)) body[name.slice(BACKBONE_PREFIX.length)] = tensor;
      else rest[name] = tensor;
    }
    const strict = options.strict ?? true;
    // names are checked for both halves before any variable changes
    const known = new Set(this.variables().keys());
    const ignored = (name: string) => name.endsWith('.num_batches_tracked');
    const missing = [...known].filter((name) => !(name in record));
    const unexpected = Object.keys(record).filter((name) => !known.has(name) && !ignored(name));
    if (strict && (missing.length > 0 || unexpected.length > 0)) {
      throw stateDictError(
        'MaskRcnn.loadStateDict',
        `argument 'record' does not match the network: missing ${missing.length} name(s) [${missing.slice(0, 8)}], ` +
          `unexpected ${unexpected.length} name(s) [${unexpected.slice(0, 8)}]`,
        { missing, unexpected },
      );
    }
    const backbone = this.backbone.loadStateDict(body, { strict: false });
    const own = writeStateDict(this.store, rest, { strict: false }, 'MaskRcnn.loadStateDict');
    return {
      loaded: [...backbone.loaded.map((n) => BACKBONE_PREFIX + n), ...own.loaded],
      missing,
      unexpected,
    };
  }

  dispose(): void {
    this.backbone.dispose();
    this.store.dispose();
  }
}

/** Creates a Mask R-CNN (defaults: torchvision's `maskrcnn_resnet50_fpn`, 91 classes). */
export function createMaskRcnn(options: Partial<MaskRcnnOptions> = {}): MaskRcnn {
  const resolved: MaskRcnnOptions = { ...MASK_RCNN_DEFAULTS, ...options };
  if (resolved.backbone !== 'resnet50' && resolved.backbone !== 'resnet50-dct') {
    throw new ArgumentError(
      'createMaskRcnn',
      'options.backbone',
      `must be 'resnet50' or 'resnet50-dct', got '${resolved.backbone}'`,
    );
  }
  if (!(Number.isInteger(resolved.numClasses) && resolved.numClasses >= 2)) {
    throw new ArgumentError(
      'createMaskRcnn',
      'options.numClasses',
      `must be an integer >= 2 (background + classes), got ${resolved.numClasses}`,
    );
  }
  return new MaskRcnn(resolved);
}
