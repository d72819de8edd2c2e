import { ArgumentError } from '@fdl/dct-core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkBoxes } from './errors.js';
import { roiAlignLevels } from './roi-align.js';

/**
 * torchvision's `MultiScaleRoIAlign` + `LevelMapper`: each box is pooled from pyramid level
 * `floor(canonicalLevel + log2(sqrt(area) / canonicalScale) + eps)` clamped to the available levels
 * (FPN paper eq. 1), with RoIAlign `aligned = false`. Level scales are inferred as torchvision does:
 * `2 ** round(log2(feature height / largest image height))`.
 */
export interface MultiScaleRoiAlignOptions {
  readonly outputSize: readonly [number, number];
  readonly samplingRatio: number;
  readonly canonicalScale: number;
  readonly canonicalLevel: number;
  readonly eps: number;
}

/** Box head pooler: 7x7, 2 samples per bin. */
export const BOX_ROI_POOL_OPTIONS: MultiScaleRoiAlignOptions = Object.freeze({
  outputSize: Object.freeze([7, 7]) as readonly [number, number],
  samplingRatio: 2,
  canonicalScale: 224,
  canonicalLevel: 4,
  eps: 1e-6,
});
/** Mask head pooler: 14x14, 2 samples per bin. */
export const MASK_ROI_POOL_OPTIONS: MultiScaleRoiAlignOptions = Object.freeze({
  ...BOX_ROI_POOL_OPTIONS,
  outputSize: Object.freeze([14, 14]) as readonly [number, number],
});

const f = Math.fround;

/** Scale of a feature map relative to the input, a power of two, as torchvision's `_infer_scale`. */
export function inferScale(featureHeight: number, imageHeight: number): number {
  return 2 ** Math.round(Math.log2(f(featureHeight / imageHeight)));
}

/**
 * Level index (0 = finest pooled level) of each `[N, 4]` box, float32 as torchvision's `LevelMapper`.
 * `minLevel` / `maxLevel` are the pyramid levels k of the pooled maps (e.g. 2 and 5 for P2..P5).
 */
export function mapBoxesToLevels(
  boxes: Float32Array,
  minLevel: number,
  maxLevel: number,
  options: Pick<
    MultiScaleRoiAlignOptions,
    'canonicalScale' | 'canonicalLevel' | 'eps'
  > = BOX_ROI_POOL_OPTIONS,
): Int32Array {
  const n = checkBoxes('mapBoxesToLevels', 'boxes', boxes);
  const levels = new Int32Array(n);
  const eps = f(options.eps);
  for (let i = 0; i < n; i++) {
    const area = f(f(boxes[4 * i + 2] - boxes[4 * i]) * f(boxes[4 * i + 3] - boxes[4 * i + 1]));
    const size = f(Math.sqrt(area));
    const target = Math.floor(
      f(f(options.canonicalLevel + f(Math.log2(f(size / options.canonicalScale)))) + eps),
    );
    // NaN (negative area) falls to the finest level, as torch's clamp of a NaN -> int cast would not; such
    // boxes do not occur after clipping and small-box removal.
    levels[i] = Number.isNaN(target) ? 0 : Math.min(Math.max(target, minLevel), maxLevel) - minLevel;
  }
  return levels;
}

/**
 * Pools `[K, outH, outW, C]` features for the boxes of every image (K = total boxes, image order).
 *
 * @param features pooled pyramid levels, finest first (P2..P5), each `[N, H_l, W_l, C]`
 * @param boxesPerImage `[K_i, 4]` boxes per image, in the (resized) image's pixels
 * @param imageSizes `[height, width]` of each image before padding
 */
export function multiScaleRoiAlign(
  features: readonly tf.Tensor4D[],
  boxesPerImage: readonly Float32Array[],
  imageSizes: readonly (readonly [number, number])[],
  options: MultiScaleRoiAlignOptions = BOX_ROI_POOL_OPTIONS,
): tf.Tensor4D {
  if (boxesPerImage.length !== imageSizes.length || boxesPerImage.length !== features[0]?.shape[0]) {
    throw new ArgumentError(
      'multiScaleRoiAlign',
      'boxesPerImage',
      `needs one entry per image of the batch (${features[0]?.shape[0]}), got ${boxesPerImage.length} ` +
        `box sets and ${imageSizes.length} image sizes`,
    );
  }
  const maxHeight = Math.max(...imageSizes.map((s) => s[0]));
  const scales = features.map((map) => inferScale(map.shape[1], maxHeight));
  const minLevel = -Math.log2(scales[0]);
  const maxLevel = -Math.log2(scales[scales.length - 1]);
  let total = 0;
  for (const boxes of boxesPerImage) total += checkBoxes('multiScaleRoiAlign', 'boxesPerImage', boxes);
  const rois = new Float32Array(total * 5);
  const allBoxes = new Float32Array(total * 4);
  let k = 0;
  boxesPerImage.forEach((boxes, image) => {
    for (let i = 0; i < boxes.length / 4; i++, k++) {
      rois[5 * k] = image;
      rois.set(boxes.subarray(4 * i, 4 * i + 4), 5 * k + 1);
      allBoxes.set(boxes.subarray(4 * i, 4 * i + 4), 4 * k);
    }
  });
  const levels =
    features.length === 1 ? new Int32Array(total) : mapBoxesToLevels(allBoxes, minLevel, maxLevel, options);
  return roiAlignLevels(features, rois, levels, scales, {
    outputSize: options.outputSize,
    samplingRatio: options.samplingRatio,
    aligned: false,
  });
}
