import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Scope } from '../nn/parameter-store.js';
import { type BoxCoderOptions, decodeBoxes, encodeBoxes, ROI_BOX_CODER_OPTIONS } from './box-coder.js';
import { FastRcnnPredictor, TwoMlpHead } from './box-head.js';
import { boxIou, clipBoxesToImage, gatherRows, removeSmallBoxes } from './boxes.js';
import { DetectionError } from './errors.js';
import { binaryCrossEntropyWithLogits, crossEntropy, smoothL1 } from './losses.js';
import { MaskHead, MaskPredictor } from './mask-head.js';
import {
  BELOW_LOW_THRESHOLD,
  type MatcherOptions,
  matchPredictions,
  ROI_MATCHER_OPTIONS,
} from './matcher.js';
import {
  BOX_ROI_POOL_OPTIONS,
  MASK_ROI_POOL_OPTIONS,
  type MultiScaleRoiAlignOptions,
  multiScaleRoiAlign,
} from './multiscale-roi-align.js';
import { batchedNms } from './nms.js';
import type { RandomSource } from './random.js';
import { roiAlignForward } from './roi-align.js';
import { ROI_SAMPLER_OPTIONS, type SampledIndices, type SamplerOptions, sampleBalanced } from './sampler.js';

/**
 * torchvision 0.14's `RoIHeads` for Mask R-CNN: training-sample selection (gt boxes appended to the
 * proposals, IoU matching, balanced sampling), the box branch (MultiScaleRoIAlign 7x7 -> TwoMLPHead ->
 * FastRCNNPredictor), the mask branch (14x14 -> four 3x3 convs -> deconv -> per-class logits), the three
 * losses, and inference post-processing (softmax, class-specific decoding, clipping, score threshold,
 * small-box removal, per-class NMS, top detections, sigmoid masks of the predicted class).
 */
export interface RoiHeadsOptions {
  readonly matcher: MatcherOptions;
  readonly sampler: SamplerOptions;
  readonly boxCoder: BoxCoderOptions;
  readonly scoreThreshold: number;
  readonly nmsThreshold: number;
  readonly detectionsPerImage: number;
  /** Detections narrower or lower than this are dropped (torchvision: 1e-2). */
  readonly minSize: number;
  readonly boxPool: MultiScaleRoiAlignOptions;
  readonly maskPool: MultiScaleRoiAlignOptions;
  /** TwoMLPHead width. */
  readonly representationSize: number;
  /** Mask head conv widths. */
  readonly maskLayers: readonly number[];
  /** Channels of the mask predictor's deconvolution. */
  readonly maskPredictorChannels: number;
  /** smooth-L1 beta of the box loss (torchvision 0.14: 1/9). */
  readonly beta: number;
}

export const DEFAULT_ROI_HEADS_OPTIONS: RoiHeadsOptions = Object.freeze({
  matcher: ROI_MATCHER_OPTIONS,
  sampler: ROI_SAMPLER_OPTIONS,
  boxCoder: ROI_BOX_CODER_OPTIONS,
  scoreThreshold: 0.05,
  nmsThreshold: 0.5,
  detectionsPerImage: 100,
  minSize: 1e-2,
  boxPool: BOX_ROI_POOL_OPTIONS,
  maskPool: MASK_ROI_POOL_OPTIONS,
  representationSize: 1024,
  maskLayers: Object.freeze([256, 256, 256, 256]),
  maskPredictorChannels: 256,
  beta: 1 / 9,
});

/** Ground truth of one image, in the (resized) image's pixels. */
export interface DetectionTarget {
  /** `[G, 4]` */
  readonly boxes: Float32Array;
  /** `[G]` class ids in 1..numClasses-1 */
  readonly labels: Int32Array;
  /** `[G, H, W]` instance masks (0/1) at the image's size */
  readonly masks: Uint8Array;
  /** `[H, W]` of `masks` */
  readonly maskSize: readonly [number, number];
}

/** Detections of one image, in descending score order, in the (resized) image's pixels. */
export interface RoiDetections {
  readonly boxes: Float32Array;
  readonly labels: Int32Array;
  readonly scores: Float32Array;
  /** `[D, M, M]` mask probabilities of the detected class (M = 28) */
  readonly masks: Float32Array;
  readonly maskSize: number;
}

export interface RoiHeadsLosses {
  readonly loss_classifier: tf.Scalar;
  readonly loss_box_reg: tf.Scalar;
  readonly loss_mask: tf.Scalar;
}

/** The sampled training RoIs of one image (torchvision's `select_training_samples`). */
export interface RoiTrainingSamples {
  /** `[S, 4]` sampled proposals, in index order of proposals-then-gt */
  readonly proposals: Float32Array;
  /** `[S]` class label (0 background) */
  readonly labels: Int32Array;
  /** `[S]` matched gt index (clamped to >= 0) */
  readonly matchedIndices: Int32Array;
  /** `[S, 4]` box codes towards the matched gt */
  readonly regressionTargets: Float32Array;
}

/**
 * Appends the gt boxes to the proposals, matches, labels (0 background, -1 ignored) and samples.
 * `sampling`: given indices into proposals-then-gt, or a random source for the balanced sampler.
 */
export function selectTrainingSamples(
  proposals: Float32Array,
  target: Pick<DetectionTarget, 'boxes' | 'labels'>,
  sampling: SampledIndices | RandomSource,
  options: RoiHeadsOptions,
): RoiTrainingSamples {
  const candidates = new Float32Array(proposals.length + target.boxes.length);
  candidates.set(proposals);
  candidates.set(target.boxes, proposals.length);
  const count = candidates.length / 4;
  const numGt = target.boxes.length / 4;
  let matched = new Int32Array(count);
  let labels = new Int32Array(count);
  if (numGt > 0) {
    const matches = matchPredictions(boxIou(target.boxes, candidates), numGt, options.matcher);
    matched = Int32Array.from(matches, (m) => Math.max(m, 0));
    labels = Int32Array.from(matches, (m, i) =>
      m >= 0 ? target.labels[matched[i]] : m === BELOW_LOW_THRESHOLD ? 0 : -1,
    );
  }
  const sampled = 'next' in sampling ? sampleBalanced(labels, options.sampler, sampling) : sampling;
  const chosen = new Uint8Array(count);
  for (const i of sampled.positive) chosen[i] = 1;
  for (const i of sampled.negative) chosen[i] = 1;
  const indices: number[] = [];
  for (let i = 0; i < count; i++) if (chosen[i]) indices.push(i);
  const sampledProposals = gatherRows(candidates, 4, indices);
  const sampledMatched = gatherRows(matched, 1, indices);
  const matchedBoxes =
    numGt > 0 ? gatherRows(target.boxes, 4, sampledMatched) : new Float32Array(indices.length * 4);
  return {
    proposals: sampledProposals,
    labels: gatherRows(labels, 1, indices),
    matchedIndices: sampledMatched,
    regressionTargets: encodeBoxes(matchedBoxes, sampledProposals, options.boxCoder),
  };
}

/** torchvision's `fastrcnn_loss`: cross entropy over all sampled RoIs, smooth-L1 of the true class's codes. */
export function fastRcnnLoss(
  classLogits: tf.Tensor2D,
  boxRegression: tf.Tensor2D,
  labels: Int32Array,
  regressionTargets: Float32Array,
  beta = DEFAULT_ROI_HEADS_OPTIONS.beta,
): { loss_classifier: tf.Scalar; loss_box_reg: tf.Scalar } {
  const [rows, classes] = classLogits.shape;
  if (
    labels.length !== rows ||
    regressionTargets.length !== 4 * rows ||
    boxRegression.shape[1] !== 4 * classes
  ) {
    throw new ArgumentError(
      'fastRcnnLoss',
      'labels',
      `needs ${rows} labels and [${rows}, 4] targets for logits [${classLogits.shape}] and codes [${boxRegression.shape}], ` +
        `got ${labels.length} and ${regressionTargets.length / 4}`,
    );
  }
  const weights = new Float32Array(rows * classes * 4);
  const targets = new Float32Array(rows * classes * 4);
  for (let k = 0; k < rows; k++) {
    if (labels[k] <= 0) continue;
    const offset = (k * classes + labels[k]) * 4;
    weights.fill(1, offset, offset + 4);
    targets.set(regressionTargets.subarray(4 * k, 4 * k + 4), offset);
  }
  return tf.tidy(() => {
    const loss_classifier = crossEntropy(classLogits, labels);
    const l1 = smoothL1(boxRegression, tf.tensor2d(targets, [rows, classes * 4]), beta);
    const loss_box_reg = tf.div(
      tf.sum(tf.mul(l1, tf.tensor2d(weights, [rows, classes * 4]))),
      Math.max(rows, 1),
    ) as tf.Scalar;
    return { loss_classifier, loss_box_reg };
  });
}

/**
 * Mask targets `[P, M, M]` (torchvision's `project_masks_on_boxes`): RoIAlign (aligned = false, adaptive
 * sampling) of each RoI's matched gt mask.
 */
export function projectMasksOnBoxes(
  target: Pick<DetectionTarget, 'masks' | 'maskSize'>,
  boxes: Float32Array,
  matchedIndices: Int32Array,
  size: number,
): Float32Array {
  const [height, width] = target.maskSize;
  const numMasks = target.masks.length / (height * width);
  const rois = new Float32Array(matchedIndices.length * 5);
  matchedIndices.forEach((m, i) => {
    rois[5 * i] = m;
    rois.set(boxes.subarray(4 * i, 4 * i + 4), 5 * i + 1);
  });
  return roiAlignForward(target.masks, [numMasks, height, width, 1], rois, {
    outputSize: [size, size],
    spatialScale: 1,
    samplingRatio: 0,
    aligned: false,
  });
}

/** torchvision's `maskrcnn_loss`: mean BCE of the matched class's logits against the projected targets. */
export function maskRcnnLoss(maskLogits: tf.Tensor4D, labels: Int32Array, targets: Float32Array): tf.Scalar {
  const [rois, size, , classes] = maskLogits.shape;
  return tf.tidy(() => {
    if (rois === 0) return tf.mul(tf.sum(maskLogits), 0) as tf.Scalar;
    const select = tf.reshape(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), [rois, 1, 1, classes]);
    const logits = tf.sum(tf.mul(maskLogits, select), 3);
    return tf.mean(
      binaryCrossEntropyWithLogits(logits, tf.tensor3d(targets, [rois, size, size])),
    ) as tf.Scalar;
  });
}

/**
 * Detections from box-branch outputs (torchvision's `postprocess_detections`) for one image.
 *
 * @param classLogits `[K, C]` @param boxRegression `[K, C * 4]` @param proposals `[K, 4]`
 */
export function postprocessDetections(
  classLogits: Float32Array,
  boxRegression: Float32Array,
  proposals: Float32Array,
  imageSize: readonly [number, number],
  numClasses: number,
  options: RoiHeadsOptions,
): { boxes: Float32Array; labels: Int32Array; scores: Float32Array } {
  const rows = proposals.length / 4;
  const decoded = clipBoxesToImage(
    decodeBoxes(boxRegression, proposals, options.boxCoder),
    imageSize[0],
    imageSize[1],
  );
  const boxes: number[] = [];
  const scores: number[] = [];
  const labels: number[] = [];
  const threshold = Math.fround(options.scoreThreshold);
  const probabilities = new Float64Array(numClasses);
  for (let k = 0; k < rows; k++) {
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, classLogits[k * numClasses + c]);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) {
      probabilities[c] = Math.exp(classLogits[k * numClasses + c] - max);
      sum += probabilities[c];
    }
    for (let c = 1; c < numClasses; c++) {
      const score = Math.fround(probabilities[c] / sum);
      if (!(score > threshold)) continue;
      const offset = (k * numClasses + c) * 4;
      boxes.push(decoded[offset], decoded[offset + 1], decoded[offset + 2], decoded[offset + 3]);
      scores.push(score);
      labels.push(c);
    }
  }
  let candidateBoxes = Float32Array.from(boxes);
  let candidateScores = Float32Array.from(scores);
  let candidateLabels = Int32Array.from(labels);
  const large = removeSmallBoxes(candidateBoxes, options.minSize);
  candidateBoxes = gatherRows(candidateBoxes, 4, large);
  candidateScores = gatherRows(candidateScores, 1, large);
  candidateLabels = gatherRows(candidateLabels, 1, large);
  const keep = batchedNms(candidateBoxes, candidateScores, candidateLabels, options.nmsThreshold).subarray(
    0,
    options.detectionsPerImage,
  );
  return {
    boxes: gatherRows(candidateBoxes, 4, keep),
    labels: gatherRows(candidateLabels, 1, keep),
    scores: gatherRows(candidateScores, 1, keep),
  };
}

/** Training input of the RoI heads. */
export interface RoiHeadsTrainingInput {
  readonly targets: readonly DetectionTarget[];
  /** Given sampling decisions per image (indices into proposals-then-gt), or a random source. */
  readonly sampling: readonly SampledIndices[] | RandomSource;
}

export class RoiHeads {
  readonly options: RoiHeadsOptions;
  readonly boxHead: TwoMlpHead;
  readonly boxPredictor: FastRcnnPredictor;
  readonly maskHead: MaskHead;
  readonly maskPredictor: MaskPredictor;

  /** Parameters under the scope (`roi_heads`): `box_head.*`, `box_predictor.*`, `mask_head.*`, `mask_predictor.*`. */
  constructor(
    scope: Scope,
    inChannels: number,
    readonly numClasses: number,
    options: Partial<RoiHeadsOptions> = {},
  ) {
    this.options = { ...DEFAULT_ROI_HEADS_OPTIONS, ...options };
    const [poolH, poolW] = this.options.boxPool.outputSize;
    this.boxHead = new TwoMlpHead(
      scope.child('box_head'),
      inChannels * poolH * poolW,
      this.options.representationSize,
    );
    this.boxPredictor = new FastRcnnPredictor(
      scope.child('box_predictor'),
      this.options.representationSize,
      numClasses,
    );
    this.maskHead = new MaskHead(scope.child('mask_head'), inChannels, this.options.maskLayers);
    const maskChannels = this.options.maskLayers.at(-1) ?? inChannels;
    this.maskPredictor = new MaskPredictor(
      scope.child('mask_predictor'),
      maskChannels,
      this.options.maskPredictorChannels,
      numClasses,
    );
  }

  /** Box branch on given boxes: class logits `[K, C]` and codes `[K, C * 4]`. */
  boxBranch(
    features: readonly tf.Tensor4D[],
    boxes: readonly Float32Array[],
    imageSizes: readonly (readonly [number, number])[],
  ) {
    return tf.tidy(() => {
      const pooled = multiScaleRoiAlign(features, boxes, imageSizes, this.options.boxPool);
      return this.boxPredictor.forward(this.boxHead.forward(pooled));
    });
  }

  /** Mask branch on given boxes: logits `[K, 28, 28, C]`. */
  maskBranch(
    features: readonly tf.Tensor4D[],
    boxes: readonly Float32Array[],
    imageSizes: readonly (readonly [number, number])[],
  ) {
    return tf.tidy(() => {
      const pooled = multiScaleRoiAlign(features, boxes, imageSizes, this.options.maskPool);
      return this.maskPredictor.forward(this.maskHead.forward(pooled));
    });
  }

  /** Inference: detections per image with 28x28 mask probabilities. */
  detect(
    features: readonly tf.Tensor4D[],
    proposals: readonly Float32Array[],
    imageSizes: readonly (readonly [number, number])[],
  ): RoiDetections[] {
    const counts = proposals.map((p) => p.length / 4);
    const total = counts.reduce((a, b) => a + b, 0);
    let logits: Float32Array = new Float32Array(0);
    let codes: Float32Array = new Float32Array(0);
    if (total > 0) {
      const { classLogits, boxRegression } = this.boxBranch(features, proposals, imageSizes);
      logits = classLogits.dataSync() as Float32Array;
      codes = boxRegression.dataSync() as Float32Array;
      tf.dispose([classLogits, boxRegression]);
    }
    const c = this.numClasses;
    let offset = 0;
    const detections = proposals.map((p, image) => {
      const n = counts[image];
      const result = postprocessDetections(
        logits.subarray(offset * c, (offset + n) * c),
        codes.subarray(offset * c * 4, (offset + n) * c * 4),
        p,
        imageSizes[image],
        c,
        this.options,
      );
      offset += n;
      return result;
    });
    const found = detections.reduce((sum, d) => sum + d.labels.length, 0);
    const size = this.options.maskPool.outputSize[0] * 2;
    const cell = size * size;
    let probabilities = new Float32Array(0);
    if (found > 0) {
      const maskLogits = this.maskBranch(
        features,
        detections.map((d) => d.boxes),
        imageSizes,
      );
      const values = maskLogits.dataSync();
      maskLogits.dispose();
      probabilities = new Float32Array(found * cell);
      let k = 0;
      for (const d of detections) {
        for (const label of d.labels) {
          for (let p = 0; p < cell; p++)
            probabilities[k * cell + p] = 1 / (1 + Math.exp(-values[(k * cell + p) * c + label]));
          k++;
        }
      }
    }
    let start = 0;
    return detections.map((d) => {
      const masks = probabilities.slice(start * cell, (start + d.labels.length) * cell);
      start += d.labels.length;
      return { ...d, masks, maskSize: size };
    });
  }

  /** Training: samples RoIs and returns the three losses. */
  losses(
    features: readonly tf.Tensor4D[],
    proposals: readonly Float32Array[],
    imageSizes: readonly (readonly [number, number])[],
    input: RoiHeadsTrainingInput,
  ): RoiHeadsLosses {
    const batch = proposals.length;
    if (
      input.targets.length !== batch ||
      (Array.isArray(input.sampling) && input.sampling.length !== batch)
    ) {
      throw new DetectionError(
        'RoiHeads.losses',
        `needs targets (and samples) for ${batch} images, got ${input.targets.length}`,
      );
    }
    const samples = proposals.map((p, image) => {
      const sampling = Array.isArray(input.sampling)
        ? (input.sampling as readonly SampledIndices[])[image]
        : (input.sampling as RandomSource);
      return selectTrainingSamples(p, input.targets[image], sampling, this.options);
    });
    const labels = Int32Array.from(samples.flatMap((s) => Array.from(s.labels)));
    const regressionTargets = Float32Array.from(samples.flatMap((s) => Array.from(s.regressionTargets)));
    const positives = samples.map((s) => Array.from(s.labels.keys()).filter((i) => s.labels[i] > 0));
    const maskBoxes = samples.map((s, i) => gatherRows(s.proposals, 4, positives[i]));
    const maskSize = this.options.maskPool.outputSize[0] * 2;
    const maskTargets = samples.map((s, i) =>
      projectMasksOnBoxes(
        input.targets[i],
        maskBoxes[i],
        gatherRows(s.matchedIndices, 1, positives[i]),
        maskSize,
      ),
    );
    const maskLabels = Int32Array.from(samples.flatMap((s, i) => positives[i].map((k) => s.labels[k])));
    const allTargets = new Float32Array(maskTargets.reduce((sum, t) => sum + t.length, 0));
    let at = 0;
    for (const t of maskTargets) {
      allTargets.set(t, at);
      at += t.length;
    }
    return tf.tidy(() => {
      const { classLogits, boxRegression } = this.boxBranch(
        features,
        samples.map((s) => s.proposals),
        imageSizes,
      );
      const box = fastRcnnLoss(classLogits, boxRegression, labels, regressionTargets, this.options.beta);
      // torchvision returns `mask_logits.sum() * 0` without positives: a zero with no gradient
      const loss_mask =
        maskLabels.length === 0
          ? tf.scalar(0)
          : maskRcnnLoss(this.maskBranch(features, maskBoxes, imageSizes), maskLabels, allTargets);
      return { ...box, loss_mask };
    });
  }
}
