import { ArgumentError } from '@fdl/dct-core';

/**
 * torchvision's `paste_masks_in_image` (`models/detection/roi_heads.py`): each `M x M` mask is padded by
 * `padding` zero pixels, its box is expanded by the same factor `(M + 2 padding) / M` around its centre and
 * truncated to integers, the padded mask is resized bilinearly (`align_corners = false`) to the box's
 * `(x2 - x1 + 1) x (y2 - y1 + 1)` pixels and written into the image, clipped at the borders. Then the
 * probabilities are thresholded (users of torchvision apply `> 0.5`), so the result is a 0/1 mask per
 * detection, which keeps memory at one byte per pixel.
 */
export interface PasteMasksOptions {
  readonly padding: number;
  /** Pixels with probability strictly above this become 1. */
  readonly threshold: number;
}

export const DEFAULT_PASTE_MASKS_OPTIONS: PasteMasksOptions = Object.freeze({ padding: 1, threshold: 0.5 });

const f = Math.fround;

/** Source index and weights of one output coordinate of a bilinear resize (align_corners = false). */
function linearTaps(
  outputSize: number,
  inputSize: number,
): { low: Int32Array; high: Int32Array; weight: Float64Array } {
  const scale = f(inputSize / outputSize);
  const low = new Int32Array(outputSize);
  const high = new Int32Array(outputSize);
  const weight = new Float64Array(outputSize);
  for (let i = 0; i < outputSize; i++) {
    const source = Math.max(f(f(scale * f(i + 0.5)) - 0.5), 0);
    const index = Math.min(Math.trunc(source), inputSize - 1);
    low[i] = index;
    high[i] = index + (index < inputSize - 1 ? 1 : 0);
    weight[i] = Math.min(Math.max(f(source - index), 0), 1);
  }
  return { low, high, weight };
}

/**
 * @param masks `[D, M, M]` probabilities
 * @param boxes `[D, 4]` boxes in the target image's pixels
 * @param imageSize `[height, width]` of the target image
 * @returns `[D, height, width]` 0/1 masks
 */
export function pasteMasksInImage(
  masks: Float32Array,
  maskSize: number,
  boxes: Float32Array,
  imageSize: readonly [number, number],
  options: PasteMasksOptions = DEFAULT_PASTE_MASKS_OPTIONS,
): Uint8Array {
  const count = boxes.length / 4;
  const [imageHeight, imageWidth] = imageSize;
  if (!Number.isInteger(count) || masks.length !== count * maskSize * maskSize) {
    throw new ArgumentError(
      'pasteMasksInImage',
      'masks',
      `must be [D, ${maskSize}, ${maskSize}] for ${boxes.length / 4} boxes, got length ${masks.length}`,
    );
  }
  const padded = maskSize + 2 * options.padding;
  const scale = f(padded / maskSize);
  const out = new Uint8Array(count * imageHeight * imageWidth);
  const paddedMask = new Float32Array(padded * padded);
  for (let d = 0; d < count; d++) {
    paddedMask.fill(0);
    for (let y = 0; y < maskSize; y++) {
      const row = masks.subarray((d * maskSize + y) * maskSize, (d * maskSize + y + 1) * maskSize);
      paddedMask.set(row, (y + options.padding) * padded + options.padding);
    }
    const [bx1, by1, bx2, by2] = boxes.subarray(4 * d, 4 * d + 4);
    const halfWidth = f(f(f(bx2 - bx1) * 0.5) * scale);
    const halfHeight = f(f(f(by2 - by1) * 0.5) * scale);
    const centerX = f(f(bx2 + bx1) * 0.5);
    const centerY = f(f(by2 + by1) * 0.5);
    const x1 = Math.trunc(f(centerX - halfWidth));
    const y1 = Math.trunc(f(centerY - halfHeight));
    const x2 = Math.trunc(f(centerX + halfWidth));
    const y2 = Math.trunc(f(centerY + halfHeight));
    const width = Math.max(x2 - x1 + 1, 1);
    const height = Math.max(y2 - y1 + 1, 1);
    const rows = linearTaps(height, padded);
    const columns = linearTaps(width, padded);
    const xStart = Math.max(x1, 0);
    const xEnd = Math.min(x2 + 1, imageWidth);
    const yStart = Math.max(y1, 0);
    const yEnd = Math.min(y2 + 1, imageHeight);
    const base = d * imageHeight * imageWidth;
    for (let y = yStart; y < yEnd; y++) {
      const r = y - y1;
      const top = rows.low[r] * padded;
      const bottom = rows.high[r] * padded;
      const wy = rows.weight[r];
      for (let x = xStart; x < xEnd; x++) {
        const c = x - x1;
        const left = columns.low[c];
        const right = columns.high[c];
        const wx = columns.weight[c];
        const value =
          (1 - wy) * ((1 - wx) * paddedMask[top + left] + wx * paddedMask[top + right]) +
          wy * ((1 - wx) * paddedMask[bottom + left] + wx * paddedMask[bottom + right]);
        if (value > options.threshold) out[base + y * imageWidth + x] = 1;
      }
    }
  }
  return out;
}
