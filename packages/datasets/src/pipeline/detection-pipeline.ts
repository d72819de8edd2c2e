import {
  ArgumentError,
  COCO_DCT_STATS,
  type ColorPath,
  imageToDctCube,
  type NormalizationStats,
  type RgbImage,
  resizeImage,
  resolveSelection,
  type SelectionSpec,
} from '@fdl/dct-core';
import type { CocoAnnotation, CocoImage } from '../coco/coco-dataset.js';
import { countsToMask } from '../coco/rle.js';
import { segmentationToCounts } from '../coco/segmentation.js';
import { DECODER_NAMES, type DecoderName, type OrientationPolicy } from '../decode/image-decoder.js';
import { Random } from '../random.js';
import {
  DEFAULT_KEEP_RATIO_RESIZE_OPTIONS,
  flipBoxesHorizontal,
  flipMasksHorizontal,
  keepRatioSize,
  resizeBoxes,
  resizeMasksNearest,
} from '../transforms/detection-geometry.js';
import { IMAGENET_RGB_MEAN, IMAGENET_RGB_STD } from './classification-pipeline.js';

/** Options of `createDetectionPipeline` (plain data). */
export interface DetectionPipelineOptions {
  /** `dct`: cube on the H/4 x W/4 grid (paper's Mask R-CNN geometry); `rgb`: normalized pixels. */
  mode: 'rgb' | 'dct';
  /** Training: random horizontal flip; crowd annotations dropped from targets. */
  train: boolean;
  /** Shorter side target (torchvision default 800). */
  minSize?: number;
  /** Longer side bound (torchvision default 1333). */
  maxSize?: number;
  /** Batches are zero-padded to a multiple of this in pixels (default 32; the DCT grid gets divisor / 4). */
  sizeDivisible?: number;
  /** Default 0.5 when training. */
  flipProbability?: number;
  /** DCT channels; default `DCT-24`. */
  selection?: SelectionSpec;
  /** Default `COCO_DCT_STATS` (official Mask R-CNN vectors); null = raw. */
  normalization?: NormalizationStats | null;
  colorPath?: ColorPath;
  /** Keep `iscrowd` annotations in the targets (with their flag), for evaluation. Default: !train. */
  includeCrowd?: boolean;
  /** Decode instance masks into the targets (Mask R-CNN); default true. */
  masks?: boolean;
  decoder?: DecoderName;
  orientation?: OrientationPolicy;
}

export interface DetectionPipeline {
  readonly kind: 'detection';
  readonly mode: 'rgb' | 'dct';
  readonly train: boolean;
  readonly minSize: number;
  readonly maxSize: number;
  readonly sizeDivisible: number;
  readonly flipProbability: number;
  readonly channelIndices: readonly number[];
  readonly normalization: NormalizationStats | null;
  readonly colorPath: ColorPath;
  readonly includeCrowd: boolean;
  readonly masks: boolean;
  readonly decoder: DecoderName;
  readonly orientation: OrientationPolicy;
  /** Input pixels per output cell along each axis: 4 for `dct`, 1 for `rgb`. */
  readonly stride: number;
  /** Channels per output cell. */
  readonly channels: number;
}

/** Targets of one image, aligned with the transformed (resized, possibly flipped) image. */
export interface DetectionTarget {
  /** [n, 4] x1, y1, x2, y2 in resized-image pixels. */
  boxes: Float32Array;
  /** [n] contiguous labels (1..K; see `CocoDataset.categoryIdToLabel`). */
  labels: Int32Array;
  /** [n] 1 for crowd regions (only with `includeCrowd`). */
  iscrowd: Uint8Array;
  /** [n] annotation areas as stored in the file (original-image pixels). */
  areas: Float32Array;
  /** [n, height, width] 0/1 instance masks at the resized size, or null with `masks: false`. */
  masks: Uint8Array | null;
  /** Resized image size before batch padding. */
  height: number;
  width: number;
  /** Size of the decoded original image. */
  originalHeight: number;
  originalWidth: number;
  imageId: number;
  /** True when the sample was flipped. */
  flipped: boolean;
}

/** Validates and freezes the detection sample transform. */
export function createDetectionPipeline(options: DetectionPipelineOptions): DetectionPipeline {
  const name = 'createDetectionPipeline';
  const { mode, train } = options;
  if (mode !== 'rgb' && mode !== 'dct')
    throw new ArgumentError(name, 'options.mode', `must be 'rgb' or 'dct', got ${String(mode)}`);
  if (typeof train !== 'boolean')
    throw new ArgumentError(name, 'options.train', `must be a boolean, got ${String(train)}`);
  const minSize = options.minSize ?? DEFAULT_KEEP_RATIO_RESIZE_OPTIONS.minSize;
  const maxSize = options.maxSize ?? DEFAULT_KEEP_RATIO_RESIZE_OPTIONS.maxSize;
  const sizeDivisible = options.sizeDivisible ?? 32;
  if (!(minSize > 0 && maxSize >= minSize)) {
    throw new ArgumentError(
      name,
      'options.minSize/maxSize',
      `need 0 < minSize <= maxSize, got ${minSize}/${maxSize}`,
    );
  }
  if (!Number.isInteger(sizeDivisible) || sizeDivisible <= 0 || (mode === 'dct' && sizeDivisible % 4 !== 0)) {
    throw new ArgumentError(
      name,
      'options.sizeDivisible',
      `must be a positive integer (multiple of 4 for dct), got ${sizeDivisible}`,
    );
  }
  const decoder = options.decoder ?? 'auto';
  if (!DECODER_NAMES.includes(decoder)) {
    throw new ArgumentError(
      name,
      'options.decoder',
      `must be one of ${DECODER_NAMES.join(', ')}, got ${String(decoder)}`,
    );
  }
  const channelIndices = mode === 'dct' ? [...resolveSelection(options.selection ?? 'DCT-24').indices] : [];
  return Object.freeze({
    kind: 'detection',
    mode,
    train,
    minSize,
    maxSize,
    sizeDivisible,
    flipProbability: train ? (options.flipProbability ?? 0.5) : 0,
    channelIndices: Object.freeze(channelIndices),
    normalization:
      mode === 'dct' ? (options.normalization === undefined ? COCO_DCT_STATS : options.normalization) : null,
    colorPath: options.colorPath ?? 'float',
    includeCrowd: options.includeCrowd ?? !train,
    masks: options.masks ?? true,
    decoder,
    orientation: options.orientation ?? 'apply',
    stride: mode === 'dct' ? 4 : 1,
    channels: mode === 'dct' ? channelIndices.length : 3,
  });
}

/**
 * The detection sample transform on a decoded image and its annotations:
 * keep-ratio resize (torchvision sizes, bilinear without antialias as `F.interpolate`), boxes scaled per
 * axis, masks decoded at the original size and resized nearest; optional flip of image, boxes and masks
 * together; then the DCT in the `detection` geometry (cube [ceil(h/4), ceil(w/4), C]) or normalized RGB.
 * Boxes come from COCO `bbox` [x, y, w, h] -> [x, y, x + w, y + h] clamped to the image; annotations
 * whose clamped box is empty are dropped (torchvision `ConvertCocoPolysToMask`), as are crowd regions
 * unless `includeCrowd`.
 */
export function transformDetectionSample(
  pipeline: DetectionPipeline,
  image: RgbImage,
  record: {
    image: CocoImage;
    annotations: readonly CocoAnnotation[];
    categoryIdToLabel: ReadonlyMap<number, number>;
  },
  seed: number,
): { data: Float32Array; shape: [number, number, number]; target: DetectionTarget } {
  const { width, height } = image;
  if (width !== record.image.width || height !== record.image.height) {
    throw new ArgumentError(
      'transformDetectionSample',
      'image',
      `decodes to ${width}x${height} but the annotation file says ${record.image.width}x${record.image.height} (image ${record.image.id})`,
    );
  }
  const kept = record.annotations.filter((annotation) => {
    if (annotation.iscrowd === 1 && !pipeline.includeCrowd) return false;
    const [x, y, w, h] = annotation.bbox;
    return Math.min(x + w, width) > Math.max(x, 0) && Math.min(y + h, height) > Math.max(y, 0);
  });
  const count = kept.length;
  let boxes: Float32Array = new Float32Array(count * 4);
  const labels = new Int32Array(count);
  const iscrowd = new Uint8Array(count);
  const areas = new Float32Array(count);
  kept.forEach((annotation, i) => {
    const [x, y, w, h] = annotation.bbox;
    boxes.set([Math.max(x, 0), Math.max(y, 0), Math.min(x + w, width), Math.min(y + h, height)], i * 4);
    labels[i] = record.categoryIdToLabel.get(annotation.category_id) ?? 0;
    iscrowd[i] = annotation.iscrowd;
    areas[i] = annotation.area;
  });
  let masks: Uint8Array | null = null as Uint8Array | null;
  if (pipeline.masks) {
    masks = new Uint8Array(count * width * height);
    kept.forEach((annotation, i) => {
      if (annotation.segmentation === undefined) {
        throw new ArgumentError(
          'transformDetectionSample',
          'record',
          `annotation ${annotation.id} has no segmentation`,
        );
      }
      masks!.set(
        countsToMask(segmentationToCounts(annotation.segmentation, height, width), height, width),
        i * width * height,
      );
    });
  }
  const size = keepRatioSize(width, height, { minSize: pipeline.minSize, maxSize: pipeline.maxSize });
  const flipped = pipeline.flipProbability > 0 && new Random(seed).next() < pipeline.flipProbability;
  // Resize and flip in one pass (identical to flipHorizontal after resizing).
  const pixels = resizeImage(image, {
    width: size.width,
    height: size.height,
    interpolation: 'bilinear',
    antialias: false,
    flip: flipped,
  });
  boxes = resizeBoxes(boxes, image, size);
  if (masks) masks = resizeMasksNearest(masks, count, image, size);
  if (flipped) {
    boxes = flipBoxesHorizontal(boxes, size.width);
    if (masks) masks = flipMasksHorizontal(masks, count, size.width, size.height);
  }
  const target: DetectionTarget = {
    boxes,
    labels,
    iscrowd,
    areas,
    masks,
    height: size.height,
    width: size.width,
    originalHeight: height,
    originalWidth: width,
    imageId: record.image.id,
    flipped,
  };
  if (pipeline.mode === 'rgb') {
    const data = new Float32Array(pixels.data.length);
    for (let i = 0; i < data.length; i++) {
      const c = i % 3;
      data[i] = (pixels.data[i]! / 255 - IMAGENET_RGB_MEAN[c]!) / IMAGENET_RGB_STD[c]!;
    }
    return { data, shape: [size.height, size.width, 3], target };
  }
  const cube = imageToDctCube(pixels, {
    geometry: 'detection',
    selection: [...pipeline.channelIndices],
    normalization: pipeline.normalization,
    colorPath: pipeline.colorPath,
  });
  return { data: cube.data, shape: [cube.height, cube.width, cube.channels], target };
}
