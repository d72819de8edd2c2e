import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Scope } from '../nn/parameter-store.js';
import {
  type AnchorGeneratorOptions,
  anchorsPerLocation,
  DEFAULT_ANCHOR_GENERATOR_OPTIONS,
  generateAnchors,
} from './anchors.js';
import { type BoxCoderOptions, decodeBoxes, encodeBoxes, RPN_BOX_CODER_OPTIONS } from './box-coder.js';
import { boxIou, clipBoxesToImage, gatherRows, removeSmallBoxes } from './boxes.js';
import { DetectionError } from './errors.js';
import { binaryCrossEntropyWithLogits, smoothL1 } from './losses.js';
import {
  BELOW_LOW_THRESHOLD,
  type MatcherOptions,
  matchPredictions,
  RPN_MATCHER_OPTIONS,
} from './matcher.js';
import { batchedNms, sortByScoreDescending } from './nms.js';
import type { RandomSource } from './random.js';
import { RpnHead } from './rpn-head.js';
import { RPN_SAMPLER_OPTIONS, type SampledIndices, type SamplerOptions, sampleBalanced } from './sampler.js';

/**
 * Region proposal network with torchvision 0.14's semantics (`RegionProposalNetwork`): per-level top-n by
 * objectness, decode, clip, remove boxes smaller than `minSize`, drop scores below `scoreThreshold`,
 * NMS per level, keep `postNmsTopN`; losses: objectness BCE over the sampled anchors (mean) and
 * smooth-L1 (beta 1/9) over the sampled positives divided by the number of sampled anchors.
 */
export interface RpnOptions {
  readonly preNmsTopN: { readonly training: number; readonly testing: number };
  readonly postNmsTopN: { readonly training: number; readonly testing: number };
  readonly nmsThreshold: number;
  readonly scoreThreshold: number;
  readonly minSize: number;
  readonly matcher: MatcherOptions;
  readonly sampler: SamplerOptions;
  readonly boxCoder: BoxCoderOptions;
  readonly anchors: AnchorGeneratorOptions;
  /** smooth-L1 beta of the box loss. */
  readonly beta: number;
}

export const DEFAULT_RPN_OPTIONS: RpnOptions = Object.freeze({
  preNmsTopN: Object.freeze({ training: 2000, testing: 1000 }),
  postNmsTopN: Object.freeze({ training: 2000, testing: 1000 }),
  nmsThreshold: 0.7,
  scoreThreshold: 0,
  minSize: 1e-3,
  matcher: RPN_MATCHER_OPTIONS,
  sampler: RPN_SAMPLER_OPTIONS,
  boxCoder: RPN_BOX_CODER_OPTIONS,
  anchors: DEFAULT_ANCHOR_GENERATOR_OPTIONS,
  beta: 1 / 9,
});

/** Proposals of one image, in descending score order. */
export interface ImageProposals {
  /** `[P, 4]` boxes in the (resized) image's pixels */
  readonly boxes: Float32Array;
  /** `[P]` objectness probabilities */
  readonly scores: Float32Array;
}

const sigmoid = (x: number): number => Math.fround(1 / (1 + Math.exp(-x)));

/**
 * Proposal selection on plain arrays (torchvision's `filter_proposals` after decoding).
 *
 * @param objectness `[N, A_total]` logits
 * @param deltas `[N, A_total, 4]` regression codes
 * @param anchors `[A_total, 4]` (the same for every image of a padded batch)
 * @param anchorsPerLevel anchors of each level, summing to A_total
 * @param imageSizes `[height, width]` of each image before padding
 */
export function selectProposals(
  objectness: Float32Array,
  deltas: Float32Array,
  anchors: Float32Array,
  anchorsPerLevel: readonly number[],
  imageSizes: readonly (readonly [number, number])[],
  options: RpnOptions,
  training: boolean,
): ImageProposals[] {
  const total = anchors.length / 4;
  const batch = imageSizes.length;
  if (objectness.length !== batch * total || deltas.length !== 4 * batch * total) {
    throw new ArgumentError(
      'selectProposals',
      'objectness',
      `must be [${batch}, ${total}] with deltas [${batch}, ${total}, 4], got lengths ${objectness.length} and ${deltas.length}`,
    );
  }
  const preNms = training ? options.preNmsTopN.training : options.preNmsTopN.testing;
  const postNms = training ? options.postNmsTopN.training : options.postNmsTopN.testing;
  const results: ImageProposals[] = [];
  for (let image = 0; image < batch; image++) {
    const selected: number[] = [];
    const levels: number[] = [];
    let offset = 0;
    anchorsPerLevel.forEach((count, level) => {
      const indices = Int32Array.from({ length: count }, (_, i) => offset + i);
      const levelScores = objectness.subarray(image * total, (image + 1) * total);
      const order = sortByScoreDescending(levelScores, indices).subarray(0, Math.min(preNms, count));
      for (const index of order) {
        selected.push(index);
        levels.push(level);
      }
      offset += count;
    });
    const imageDeltas = gatherRows(deltas.subarray(4 * image * total, 4 * (image + 1) * total), 4, selected);
    const decoded = decodeBoxes(imageDeltas, gatherRows(anchors, 4, selected), options.boxCoder);
    let boxes = clipBoxesToImage(decoded, imageSizes[image][0], imageSizes[image][1]);
    let scores = Float32Array.from(selected, (index) => sigmoid(objectness[image * total + index]));
    let keptLevels = Int32Array.from(levels);
    const large = removeSmallBoxes(boxes, options.minSize);
    const confident = Array.from(large).filter((i) => scores[i] >= Math.fround(options.scoreThreshold));
    boxes = gatherRows(boxes, 4, confident);
    scores = gatherRows(scores, 1, confident);
    keptLevels = gatherRows(keptLevels, 1, confident);
    const keep = batchedNms(boxes, scores, keptLevels, options.nmsThreshold).subarray(0, postNms);
    results.push({ boxes: gatherRows(boxes, 4, keep), scores: gatherRows(scores, 1, keep) });
  }
  return results;
}

/** Anchor labels (1 foreground, 0 background, -1 ignored) and regression targets of one image. */
export interface AnchorTargets {
  /** `[A_total]` */
  readonly labels: Int32Array;
  /** `[A_total, 4]` codes towards the matched ground truth (meaningful for label 1 only) */
  readonly regressionTargets: Float32Array;
}

/** torchvision's `assign_targets_to_anchors` + `encode` for one image. `gtBoxes`: `[G, 4]`. */
export function anchorTargets(
  anchors: Float32Array,
  gtBoxes: Float32Array,
  options: RpnOptions,
): AnchorTargets {
  const total = anchors.length / 4;
  const numGt = gtBoxes.length / 4;
  if (numGt === 0) {
    return { labels: new Int32Array(total), regressionTargets: new Float32Array(4 * total) };
  }
  const matches = matchPredictions(boxIou(gtBoxes, anchors), numGt, options.matcher);
  const labels = Int32Array.from(matches, (m) => (m >= 0 ? 1 : m === BELOW_LOW_THRESHOLD ? 0 : -1));
  const matched = gatherRows(
    gtBoxes,
    4,
    Array.from(matches, (m) => Math.max(m, 0)),
  );
  return { labels, regressionTargets: encodeBoxes(matched, anchors, options.boxCoder) };
}

/** The two RPN losses, as scalars. */
export interface RpnLosses {
  readonly loss_objectness: tf.Scalar;
  readonly loss_rpn_box_reg: tf.Scalar;
}

/**
 * RPN losses (torchvision's `compute_loss`) for given sampling decisions.
 *
 * @param objectness `[N, A_total]` logits
 * @param deltas `[N, A_total, 4]`
 * @param targets per image
 * @param sampled per image, the sampled positive and negative anchor indices
 */
export function rpnLoss(
  objectness: tf.Tensor2D,
  deltas: tf.Tensor3D,
  targets: readonly AnchorTargets[],
  sampled: readonly SampledIndices[],
  beta = DEFAULT_RPN_OPTIONS.beta,
): RpnLosses {
  const [batch, total] = objectness.shape;
  if (targets.length !== batch || sampled.length !== batch) {
    throw new DetectionError(
      'rpnLoss',
      `needs targets and samples for ${batch} images, got ${targets.length} and ${sampled.length}`,
    );
  }
  const selected = new Float32Array(batch * total);
  const positive = new Float32Array(batch * total);
  const labels = new Float32Array(batch * total);
  const regression = new Float32Array(4 * batch * total);
  let count = 0;
  sampled.forEach(({ positive: pos, negative: neg }, image) => {
    const base = image * total;
    for (const i of pos) {
      selected[base + i] = 1;
      positive[base + i] = 1;
      labels[base + i] = 1;
      regression.set(targets[image].regressionTargets.subarray(4 * i, 4 * i + 4), 4 * (base + i));
    }
    for (const i of neg) selected[base + i] = 1;
    count += pos.length + neg.length;
  });
  return tf.tidy(() => {
    const divisor = Math.max(count, 1);
    const logits = tf.reshape(objectness, [batch * total]);
    const bce = binaryCrossEntropyWithLogits(logits, tf.tensor1d(labels));
    const lossObjectness = tf.div(tf.sum(tf.mul(bce, tf.tensor1d(selected))), divisor) as tf.Scalar;
    const l1 = smoothL1(
      tf.reshape(deltas, [batch * total, 4]),
      tf.tensor2d(regression, [batch * total, 4]),
      beta,
    );
    const lossBox = tf.div(
      tf.sum(tf.mul(l1, tf.tensor2d(positive, [batch * total, 1]))),
      divisor,
    ) as tf.Scalar;
    return { loss_objectness: lossObjectness, loss_rpn_box_reg: lossBox };
  });
}

/** What the RPN returns. */
export interface RpnOutput {
  readonly proposals: ImageProposals[];
  /** Present when targets were given. */
  readonly losses?: RpnLosses;
}

/** Ground truth of one image for training, in the (resized) image's pixels. */
export interface RpnTrainingInput {
  /** `[G, 4]` per image */
  readonly gtBoxes: readonly Float32Array[];
  /** Given sampling decisions per image (tests), or a random source for the balanced sampler. */
  readonly sampling: readonly SampledIndices[] | RandomSource;
}

/** RPN head + anchors + proposal selection + losses. Parameters under the scope (`rpn`): `head.*`. */
export class RegionProposalNetwork {
  readonly options: RpnOptions;
  readonly head: RpnHead;
  private anchorCache: { key: string; anchors: Float32Array; perLevel: number[] } | undefined;

  constructor(scope: Scope, inChannels: number, options: Partial<RpnOptions> = {}) {
    this.options = { ...DEFAULT_RPN_OPTIONS, ...options };
    const perLocation = anchorsPerLocation(this.options.anchors);
    if (new Set(perLocation).size !== 1) {
      throw new ArgumentError(
        'RegionProposalNetwork',
        'options.anchors',
        `needs the same anchor count per level, got [${perLocation}]`,
      );
    }
    this.head = new RpnHead(scope.child('head'), inChannels, perLocation[0]);
  }

  /** Anchors for a padded batch of `[height, width]` and the pyramid's level sizes (cached). */
  anchors(paddedSize: readonly [number, number], featureSizes: readonly (readonly [number, number])[]) {
    const key = JSON.stringify([paddedSize, featureSizes]);
    if (this.anchorCache?.key !== key) {
      const anchors = generateAnchors(paddedSize, featureSizes, this.options.anchors);
      const perLocation = anchorsPerLocation(this.options.anchors);
      const perLevel = featureSizes.map(([h, w], level) => h * w * perLocation[level]);
      this.anchorCache = { key, anchors, perLevel };
    }
    return this.anchorCache;
  }

  /**
   * @param features pyramid levels `[N, H_l, W_l, C]` (P2..P6)
   * @param imageSizes `[height, width]` per image before padding
   * @param paddedSize `[height, width]` of the padded batch, in image pixels
   */
  forward(
    features: readonly tf.Tensor4D[],
    imageSizes: readonly (readonly [number, number])[],
    paddedSize: readonly [number, number],
    training: boolean,
    trainingInput?: RpnTrainingInput,
  ): RpnOutput {
    const batch = features[0].shape[0];
    if (imageSizes.length !== batch) {
      throw new ArgumentError(
        'RegionProposalNetwork.forward',
        'imageSizes',
        `needs ${batch} sizes, got ${imageSizes.length}`,
      );
    }
    const featureSizes = features.map((f) => [f.shape[1], f.shape[2]] as [number, number]);
    const { anchors, perLevel } = this.anchors(paddedSize, featureSizes);
    const total = anchors.length / 4;
    const head = this.head.forward(features);
    const [objectness, deltas] = tf.tidy(() => [
      tf.concat(
        head.objectness.map((o) => tf.reshape(o, [batch, -1])),
        1,
      ) as tf.Tensor2D,
      tf.concat(
        head.deltas.map((d) => tf.reshape(d, [batch, -1, 4])),
        1,
      ) as tf.Tensor3D,
    ]);
    tf.dispose([...head.objectness, ...head.deltas]);
    const objectnessValues = objectness.dataSync() as Float32Array;
    const deltaValues = deltas.dataSync() as Float32Array;
    const proposals = selectProposals(
      objectnessValues,
      deltaValues,
      anchors,
      perLevel,
      imageSizes,
      this.options,
      training,
    );
    if (!trainingInput) {
      tf.dispose([objectness, deltas]);
      return { proposals };
    }
    try {
      if (trainingInput.gtBoxes.length !== batch) {
        throw new DetectionError(
          'RegionProposalNetwork.forward',
          `needs ground truth for ${batch} images, got ${trainingInput.gtBoxes.length}`,
        );
      }
      const targets = trainingInput.gtBoxes.map((gt) => anchorTargets(anchors, gt, this.options));
      const sampling = trainingInput.sampling;
      const sampled = Array.isArray(sampling)
        ? (sampling as readonly SampledIndices[])
        : targets.map((t) => sampleBalanced(t.labels, this.options.sampler, sampling as RandomSource));
      if (sampled.some((s) => s.positive.some((i) => i >= total) || s.negative.some((i) => i >= total))) {
        throw new ArgumentError(
          'RegionProposalNetwork.forward',
          'sampling',
          `has indices beyond the ${total} anchors`,
        );
      }
      const losses = rpnLoss(objectness, deltas, targets, sampled, this.options.beta);
      return { proposals, losses };
    } finally {
      tf.dispose([objectness, deltas]);
    }
  }
}
