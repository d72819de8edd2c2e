import { ArgumentError } from '@fdl/dct-core';

/**
 * Geometry of the detection transforms, applied identically to images, boxes and masks.
 * Boxes are `[n, 4]` Float32Array rows `x1, y1, x2, y2` in pixel-edge coordinates (a box covering
 * pixel columns 0..9 has x1 = 0, x2 = 10), as torchvision's detection models use.
 * Masks are `[n, height, width]` Uint8Array of 0/1, row-major.
 */

/** Options of `keepRatioSize` (torchvision `GeneralizedRCNNTransform` defaults). */
export interface KeepRatioResizeOptions {
  /** Target length of the shorter side. */
  minSize: number;
  /** Upper bound on the longer side. */
  maxSize: number;
}

export const DEFAULT_KEEP_RATIO_RESIZE_OPTIONS: Readonly<KeepRatioResizeOptions> = Object.freeze({
  minSize: 800,
  maxSize: 1333,
});

/**
 * Output size of torchvision's detection resize (0.14 `_resize_image_and_masks`):
 * scale = min(minSize / shorter, maxSize / longer) in float32, where torch evaluates `float / tensor`
 * as `(1 / tensor) * float` (two float32 roundings: this is why 500x375 becomes 1066x799, not
 * 1066x800), then size = floor(side * scale) per axis in double
 * (`F.interpolate(scale_factor, recompute_scale_factor=True)`).
 */
export function keepRatioSize(
  width: number,
  height: number,
  options: Partial<KeepRatioResizeOptions> = {},
): { width: number; height: number; scale: number } {
  const { minSize, maxSize } = { ...DEFAULT_KEEP_RATIO_RESIZE_OPTIONS, ...options };
  if (!(width > 0 && height > 0)) {
    throw new ArgumentError('keepRatioSize', 'width/height', `must be positive, got ${width}x${height}`);
  }
  const fromShorter = Math.fround(Math.fround(1 / Math.min(width, height)) * minSize);
  const fromLonger = Math.fround(Math.fround(1 / Math.max(width, height)) * maxSize);
  const scale = Math.min(fromShorter, fromLonger);
  return { width: Math.floor(width * scale), height: Math.floor(height * scale), scale };
}

/** Boxes scaled per axis by new / old size, as torchvision's `resize_boxes`. Returns a new array. */
export function resizeBoxes(
  boxes: Float32Array,
  from: { width: number; height: number },
  to: { width: number; height: number },
): Float32Array {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = boxes[i]! * sx;
    out[i + 1] = boxes[i + 1]! * sy;
    out[i + 2] = boxes[i + 2]! * sx;
    out[i + 3] = boxes[i + 3]! * sy;
  }
  return out;
}

/** Boxes mirrored left-right in an image of `width`: x1' = width - x2, x2' = width - x1. */
export function flipBoxesHorizontal(boxes: Float32Array, width: number): Float32Array {
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = width - boxes[i + 2]!;
    out[i + 1] = boxes[i + 1]!;
    out[i + 2] = width - boxes[i]!;
    out[i + 3] = boxes[i + 3]!;
  }
  return out;
}

/**
 * Nearest-neighbour resize of `count` stacked masks, source index floor(dst * in / out) clamped, as
 * `F.interpolate(mode='nearest')` (the index rule of @fdl/dct-core's nearest resize).
 */
export function resizeMasksNearest(
  masks: Uint8Array,
  count: number,
  from: { width: number; height: number },
  to: { width: number; height: number },
): Uint8Array {
  if (masks.length !== count * from.width * from.height) {
    throw new ArgumentError(
      'resizeMasksNearest',
      'masks',
      `has ${masks.length} values, expected ${count}x${from.height}x${from.width}`,
    );
  }
  const columns = new Int32Array(to.width);
  for (let x = 0; x < to.width; x++)
    columns[x] = Math.min(Math.floor((x * from.width) / to.width), from.width - 1);
  const out = new Uint8Array(count * to.width * to.height);
  for (let n = 0; n < count; n++) {
    const source = n * from.width * from.height;
    const target = n * to.width * to.height;
    for (let y = 0; y < to.height; y++) {
      const sourceRow =
        source + Math.min(Math.floor((y * from.height) / to.height), from.height - 1) * from.width;
      const targetRow = target + y * to.width;
      for (let x = 0; x < to.width; x++) out[targetRow + x] = masks[sourceRow + columns[x]!]!;
    }
  }
  return out;
}

/** Stacked masks mirrored left-right. */
export function flipMasksHorizontal(
  masks: Uint8Array,
  count: number,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(masks.length);
  for (let row = 0; row < count * height; row++) {
    const base = row * width;
    for (let x = 0; x < width; x++) out[base + x] = masks[base + width - 1 - x]!;
  }
  return out;
}

/** Smallest multiple of `divisor` >= `value` (torchvision's `size_divisible` padding, default 32). */
export function padToMultiple(value: number, divisor = 32): number {
  return Math.ceil(value / divisor) * divisor;
}

/**
 * Stacked masks zero-padded on the right and bottom to (`toWidth`, `toHeight`), as the image is padded
 * (the padding never holds an object).
 */
export function padMasks(
  masks: Uint8Array,
  count: number,
  from: { width: number; height: number },
  toWidth: number,
  toHeight: number,
): Uint8Array {
  if (toWidth < from.width || toHeight < from.height) {
    throw new ArgumentError(
      'padMasks',
      'toWidth/toHeight',
      `must be >= ${from.width}x${from.height}, got ${toWidth}x${toHeight}`,
    );
  }
  const out = new Uint8Array(count * toWidth * toHeight);
  for (let n = 0; n < count; n++)
    for (let y = 0; y < from.height; y++) {
      const source = (n * from.height + y) * from.width;
      out.set(masks.subarray(source, source + from.width), (n * toHeight + y) * toWidth);
    }
  return out;
}
