import { ArgumentError } from '@fdl/dct-core';
import type { Random } from '../random.js';

/** A rectangle of an image in pixels (same shape as @fdl/dct-core's `PixelRegion`). */
export interface CropRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Options of `randomResizedCropRegion` (torchvision `RandomResizedCrop` defaults). */
export interface RandomResizedCropOptions {
  /** Range of the crop area as a fraction of the image area. */
  scale: readonly [number, number];
  /** Range of the crop aspect ratio width / height, sampled log-uniformly. */
  ratio: readonly [number, number];
  /** Number of rejection-sampling attempts before the centre-crop fallback. */
  attempts: number;
}

export const DEFAULT_RANDOM_RESIZED_CROP_OPTIONS: Readonly<RandomResizedCropOptions> = Object.freeze({
  scale: Object.freeze([0.08, 1]) as readonly [number, number],
  ratio: Object.freeze([3 / 4, 4 / 3]) as readonly [number, number],
  attempts: 10,
});

/**
 * The crop of torchvision's `RandomResizedCrop.get_params` (0.14), draw for draw:
 * up to `attempts` times, area = W*H * U(scale), aspect = exp(U(log ratio)), w = round(sqrt(area *
 * aspect)), h = round(sqrt(area / aspect)) (Python round, halves to even); accept if
 * 0 < w <= W and 0 < h <= H, then top = randint(0, H - h + 1), left = randint(0, W - w + 1).
 * Otherwise fall back to the largest centred crop whose aspect ratio is clamped to `ratio`.
 * Draw order per attempt: scale, aspect, then (on success) top, left. The values come from our
 * generator, not torch's, so the distribution matches torchvision but not the exact numbers.
 */
export function randomResizedCropRegion(
  width: number,
  height: number,
  random: Random,
  options: Partial<RandomResizedCropOptions> = {},
): CropRegion {
  const { scale, ratio, attempts } = { ...DEFAULT_RANDOM_RESIZED_CROP_OPTIONS, ...options };
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ArgumentError(
      'randomResizedCropRegion',
      'width/height',
      `must be positive integers, got ${width}x${height}`,
    );
  }
  if (!(scale[0] > 0 && scale[0] <= scale[1]) || !(ratio[0] > 0 && ratio[0] <= ratio[1])) {
    throw new ArgumentError(
      'randomResizedCropRegion',
      'options',
      `needs 0 < scale[0] <= scale[1] and 0 < ratio[0] <= ratio[1], got scale ${scale} ratio ${ratio}`,
    );
  }
  const area = width * height;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const targetArea = area * random.uniform(scale[0], scale[1]);
    const aspect = Math.exp(random.uniform(logRatio[0], logRatio[1]));
    const w = roundHalfToEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfToEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const y = random.integer(0, height - h + 1);
      const x = random.integer(0, width - w + 1);
      return { x, y, width: w, height: h };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(ratio[0], ratio[1])) {
    h = roundHalfToEven(w / Math.min(ratio[0], ratio[1]));
  } else if (inRatio > Math.max(ratio[0], ratio[1])) {
    w = roundHalfToEven(h * Math.max(ratio[0], ratio[1]));
  }
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
}

/** Python's `round()`: halves go to the even neighbour. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
