import { ArgumentError } from './errors.js';
import type { RgbImage } from './image.js';
import { planResize, type ResizeOptions, type Taps } from './resize-plan.js';
import { resizeRgbRows } from './resize-rows.js';

export {
  DEFAULT_RESIZE_OPTIONS,
  type PixelRegion,
  type ResizeInterpolation,
  type ResizeOptions,
} from './resize-plan.js';

/**
 * Resizes an RGB image (separable: horizontal pass on the rows needed, then vertical; float32
 * intermediate, rounded half to even at the end). `inputRegion` resizes a window of the input without
 * copying it out; `region` returns only a window of the resized image, computing nothing outside it;
 * `flip` mirrors the result. Crop, resize, crop and flip in one pass.
 */
export function resizeImage(
  image: RgbImage,
  options: Partial<ResizeOptions> & Pick<ResizeOptions, 'width' | 'height'>,
): RgbImage {
  const plan = planResize('resizeImage', image, options);
  const { region, vertical, firstRow, lastRow } = plan;
  const rowLength = region.width * 3;
  const temp = new Float32Array((lastRow - firstRow + 1) * rowLength);
  resizeRgbRows(image, plan, temp);
  // Stores into a Uint8ClampedArray round half to even and clamp to 0..255 (ECMAScript ToUint8Clamp),
  // exactly what torch.round + clamp does, without a branch per sample.
  const out = new Uint8ClampedArray(region.height * rowLength);
  if (vertical.maxTaps <= 2) verticalTwoTaps(temp, rowLength, firstRow, vertical, out);
  else verticalGeneral(temp, rowLength, firstRow, vertical, out);
  return { data: new Uint8Array(out.buffer), width: region.width, height: region.height };
}

function verticalTwoTaps(
  temp: Float32Array,
  rowLength: number,
  firstRow: number,
  taps: Taps,
  out: Uint8ClampedArray,
): void {
  const { start, next, fraction } = taps;
  for (let y = 0; y < start.length; y++) {
    const top = (start[y] - firstRow) * rowLength;
    const outRow = y * rowLength;
    const f = fraction[y];
    if (f === 0) {
      for (let k = 0; k < rowLength; k++) out[outRow + k] = temp[top + k];
      continue;
    }
    const bottom = (next[y] - firstRow) * rowLength;
    for (let k = 0; k < rowLength; k++) {
      const a = temp[top + k];
      out[outRow + k] = a + (temp[bottom + k] - a) * f;
    }
  }
}

function verticalGeneral(
  temp: Float32Array,
  rowLength: number,
  firstRow: number,
  taps: Taps,
  out: Uint8ClampedArray,
): void {
  const { start, count, weights, maxTaps } = taps;
  const accumulator = new Float32Array(rowLength);
  for (let y = 0; y < start.length; y++) {
    const base = (start[y] - firstRow) * rowLength;
    accumulator.fill(0);
    for (let j = 0; j < count[y]; j++) {
      const w = weights[y * maxTaps + j];
      const row = base + j * rowLength;
      for (let k = 0; k < rowLength; k++) accumulator[k] += w * temp[row + k];
    }
    const outRow = y * rowLength;
    out.set(accumulator, outRow);
  }
}

/**
 * The output size that makes the shorter side `size`, keeping the aspect ratio with the longer side
 * truncated (`int(size * long / short)`), as torchvision and the official DCTNet code compute it.
 */
export function shorterSideSize(
  width: number,
  height: number,
  size: number,
): { width: number; height: number } {
  if (!Number.isInteger(size) || size <= 0)
    throw new ArgumentError('shorterSideSize', 'size', `must be a positive integer, got ${size}`);
  if (!(width > 0 && height > 0))
    throw new ArgumentError(
      'shorterSideSize',
      'width',
      `and height must be positive, got ${width}x${height}`,
    );
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}
