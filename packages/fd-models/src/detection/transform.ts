import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { resizeBoxes } from './boxes.js';
import type { DetectionTarget } from './roi-heads.js';
import { nearestIndices } from './upsample.js';

/**
 * torchvision's `GeneralizedRCNNTransform` for the RGB detector: normalize with the ImageNet mean/std,
 * resize so the shorter side is `minSize` unless the longer side would exceed `maxSize` (output size
 * `floor(side * scale)`, bilinear with half-pixel centres, as torch's `interpolate(scale_factor,
 * recompute_scale_factor=True)`), and batch into a zero-padded tensor whose sides are multiples of
 * `sizeDivisible`. Targets follow: boxes scaled per axis, masks resized with torch's nearest rule.
 */
export interface DetectionTransformOptions {
  readonly minSize: number;
  readonly maxSize: number;
  readonly imageMean: readonly [number, number, number];
  readonly imageStd: readonly [number, number, number];
  readonly sizeDivisible: number;
}

export const DEFAULT_DETECTION_TRANSFORM_OPTIONS: DetectionTransformOptions = Object.freeze({
  minSize: 800,
  maxSize: 1333,
  imageMean: Object.freeze([0.485, 0.456, 0.406]) as readonly [number, number, number],
  imageStd: Object.freeze([0.229, 0.224, 0.225]) as readonly [number, number, number],
  sizeDivisible: 32,
});

/** `[height, width]` after resizing, as torchvision computes it. */
export function resizedImageSize(
  height: number,
  width: number,
  options: Pick<DetectionTransformOptions, 'minSize' | 'maxSize'> = DEFAULT_DETECTION_TRANSFORM_OPTIONS,
): [number, number] {
  if (!(height >= 1 && width >= 1)) {
    throw new ArgumentError('resizedImageSize', 'height/width', `must be >= 1, got ${height}x${width}`);
  }
  const scale = Math.min(
    options.minSize / Math.min(height, width),
    options.maxSize / Math.max(height, width),
  );
  return [Math.floor(height * scale), Math.floor(width * scale)];
}

/** Padded batch `[height, width]` for images of the given sizes. */
export function paddedBatchSize(
  sizes: readonly (readonly [number, number])[],
  sizeDivisible: number,
): [number, number] {
  const height = Math.max(...sizes.map((s) => s[0]));
  const width = Math.max(...sizes.map((s) => s[1]));
  return [
    Math.ceil(height / sizeDivisible) * sizeDivisible,
    Math.ceil(width / sizeDivisible) * sizeDivisible,
  ];
}

/** A transformed batch. */
export interface TransformedBatch {
  /** `[N, paddedHeight, paddedWidth, 3]` normalized, zero-padded */
  readonly images: tf.Tensor4D;
  /** `[height, width]` per image after resizing, before padding */
  readonly imageSizes: [number, number][];
  /** `[height, width]` per image as given */
  readonly originalSizes: [number, number][];
}

/** @param images RGB `[H, W, 3]` float tensors with values in [0, 1] */
export function transformImages(
  images: readonly tf.Tensor3D[],
  options: DetectionTransformOptions = DEFAULT_DETECTION_TRANSFORM_OPTIONS,
): TransformedBatch {
  if (images.length === 0 || images.some((image) => image.rank !== 3 || image.shape[2] !== 3)) {
    throw new ArgumentError(
      'transformImages',
      'images',
      `must be a non-empty list of [H, W, 3] tensors, got ${images.map((image) => `[${image.shape}]`).join(', ') || 'none'}`,
    );
  }
  const originalSizes = images.map((image) => [image.shape[0], image.shape[1]] as [number, number]);
  const imageSizes = originalSizes.map(([h, w]) => resizedImageSize(h, w, options));
  const [paddedHeight, paddedWidth] = paddedBatchSize(imageSizes, options.sizeDivisible);
  const batch = tf.tidy(() => {
    const mean = tf.tensor1d([...options.imageMean]);
    const std = tf.tensor1d([...options.imageStd]);
    const resized = images.map((image, i) => {
      const normalized = tf.div(tf.sub(image, mean), std) as tf.Tensor3D;
      const [h, w] = imageSizes[i];
      const scaled = tf.image.resizeBilinear(normalized, [h, w], false, true);
      return tf.pad(scaled, [
        [0, paddedHeight - h],
        [0, paddedWidth - w],
        [0, 0],
      ]);
    });
    return tf.stack(resized) as tf.Tensor4D;
  });
  return { images: batch, imageSizes, originalSizes };
}

/** Resizes a target from `originalSize` to `size` (boxes scaled, masks nearest-resized). */
export function resizeTarget(
  target: DetectionTarget,
  originalSize: readonly [number, number],
  size: readonly [number, number],
): DetectionTarget {
  const [height, width] = target.maskSize;
  const count = target.masks.length / (height * width);
  if (height !== originalSize[0] || width !== originalSize[1] || !Number.isInteger(count)) {
    throw new ArgumentError(
      'resizeTarget',
      'target.masks',
      `must be [G, ${originalSize[0]}, ${originalSize[1]}], got maskSize [${target.maskSize}] and ${target.masks.length} values`,
    );
  }
  const rows = nearestIndices(height, size[0]);
  const columns = nearestIndices(width, size[1]);
  const masks = new Uint8Array(count * size[0] * size[1]);
  for (let g = 0; g < count; g++) {
    for (let y = 0; y < size[0]; y++) {
      const source = (g * height + rows[y]) * width;
      const destination = (g * size[0] + y) * size[1];
      for (let x = 0; x < size[1]; x++) masks[destination + x] = target.masks[source + columns[x]];
    }
  }
  return {
    boxes: resizeBoxes(target.boxes, originalSize, size),
    labels: target.labels,
    masks,
    maskSize: [size[0], size[1]],
  };
}
