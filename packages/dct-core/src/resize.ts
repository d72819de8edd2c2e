import { ArgumentError } from './errors.js';
import type { RgbImage } from './image.js';
import { validateRgbImage } from './image.js';

export type ResizeInterpolation = 'bilinear' | 'nearest';

/** A rectangle in pixels: columns x .. x + width - 1, rows y .. y + height - 1. */
export interface PixelRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ResizeOptions {
  /** Output size of the whole resized image. */
  width: number;
  height: number;
  interpolation: ResizeInterpolation;
  /**
   * Bilinear only. `false`: OpenCV INTER_LINEAR / torch `antialias=False` semantics (half-pixel centres,
   * 2 taps, edge clamp), as the official DCTNet code resizes. `true`: PIL / torchvision `antialias=True`
   * triangle filter whose support widens with the downscale factor (identical to `false` when upscaling).
   */
  antialias: boolean;
  /** Compute only this window of the resized image (e.g. a centre crop), in output pixels. */
  region?: PixelRegion;
}

export const DEFAULT_RESIZE_OPTIONS: Readonly<Pick<ResizeOptions, 'interpolation' | 'antialias'>> =
  Object.freeze({
    interpolation: 'bilinear',
    antialias: false,
  });

/** Per-output-pixel filter taps along one axis: input `start[i] .. start[i] + count[i] - 1`. */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  /** [outputs, maxTaps] weights, normalized to sum 1. */
  weights: Float32Array;
  maxTaps: number;
}

/** Filter taps for outputs `first .. first + length - 1` of an `inputSize -> outputSize` resize. */
function computeTaps(
  inputSize: number,
  outputSize: number,
  first: number,
  length: number,
  interpolation: ResizeInterpolation,
  antialias: boolean,
): Taps {
  const scale = inputSize / outputSize;
  const start = new Int32Array(length);
  const count = new Int32Array(length);
  if (interpolation === 'nearest') {
    const weights = new Float32Array(length).fill(1);
    for (let i = 0; i < length; i++) {
      start[i] = Math.min(Math.floor((first + i) * scale), inputSize - 1);
      count[i] = 1;
    }
    return { start, count, weights, maxTaps: 1 };
  }
  if (!antialias || scale <= 1) {
    // Half-pixel centres: source = (i + 0.5) * scale - 0.5, clamped to the image (OpenCV INTER_LINEAR).
    const weights = new Float32Array(length * 2);
    for (let i = 0; i < length; i++) {
      const source = Math.max((first + i + 0.5) * scale - 0.5, 0);
      const left = Math.min(Math.floor(source), inputSize - 1);
      const fraction = left >= inputSize - 1 ? 0 : source - left;
      start[i] = left;
      count[i] = fraction === 0 ? 1 : 2;
      weights[i * 2] = 1 - fraction;
      weights[i * 2 + 1] = fraction;
    }
    return { start, count, weights, maxTaps: 2 };
  }
  // Antialiased triangle filter (PIL ImagingResample / torch _upsample_bilinear2d_aa): support = scale.
  const support = scale;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const weights = new Float32Array(length * maxTaps);
  const row = new Float64Array(maxTaps);
  for (let i = 0; i < length; i++) {
    const center = scale * (first + i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inputSize);
    const taps = xmax - xmin;
    let total = 0;
    for (let j = 0; j < taps; j++) {
      const w = Math.max(0, 1 - Math.abs((j + xmin - center + 0.5) / scale));
      row[j] = w;
      total += w;
    }
    start[i] = xmin;
    count[i] = taps;
    for (let j = 0; j < taps; j++) weights[i * maxTaps + j] = total === 0 ? 0 : row[j] / total;
  }
  return { start, count, weights, maxTaps };
}

function validateResize(
  image: RgbImage,
  options: Partial<ResizeOptions>,
): Required<Omit<ResizeOptions, 'region'>> & { region: PixelRegion } {
  validateRgbImage('resizeImage', image);
  const { width, height } = options;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    (width as number) <= 0 ||
    (height as number) <= 0
  ) {
    throw new ArgumentError(
      'resizeImage',
      'options',
      `must give positive integer width and height, got ${width}x${height}`,
    );
  }
  if (image.width === 0 || image.height === 0) {
    throw new ArgumentError('resizeImage', 'image', `must not be empty, got ${image.width}x${image.height}`);
  }
  const interpolation = options.interpolation ?? DEFAULT_RESIZE_OPTIONS.interpolation;
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new ArgumentError(
      'resizeImage',
      'options.interpolation',
      `must be 'bilinear' or 'nearest', got ${String(interpolation)}`,
    );
  }
  const region = options.region ?? { x: 0, y: 0, width: width as number, height: height as number };
  if (
    ![region.x, region.y, region.width, region.height].every(Number.isInteger) ||
    region.x < 0 ||
    region.y < 0 ||
    region.width <= 0 ||
    region.height <= 0 ||
    region.x + region.width > (width as number) ||
    region.y + region.height > (height as number)
  ) {
    throw new ArgumentError(
      'resizeImage',
      'options.region',
      `must lie inside the ${width}x${height} output, got x=${region.x} y=${region.y} ${region.width}x${region.height}`,
    );
  }
  return {
    width: width as number,
    height: height as number,
    interpolation,
    antialias: options.antialias ?? DEFAULT_RESIZE_OPTIONS.antialias,
    region,
  };
}

/**
 * Resizes an RGB image (separable: horizontal pass on the rows needed, then vertical; float32
 * intermediate, rounded to nearest at the end). With `region`, returns only that window of the resized
 * image, computing nothing outside it (resize + crop in one pass).
 */
export function resizeImage(
  image: RgbImage,
  options: Partial<ResizeOptions> & Pick<ResizeOptions, 'width' | 'height'>,
): RgbImage {
  const { width, height, interpolation, antialias, region } = validateResize(image, options);
  const horizontal = computeTaps(image.width, width, region.x, region.width, interpolation, antialias);
  const vertical = computeTaps(image.height, height, region.y, region.height, interpolation, antialias);
  // Input rows the vertical taps touch.
  let firstRow = image.height;
  let lastRow = -1;
  for (let i = 0; i < region.height; i++) {
    firstRow = Math.min(firstRow, vertical.start[i]);
    lastRow = Math.max(lastRow, vertical.start[i] + vertical.count[i] - 1);
  }
  const rowLength = region.width * 3;
  const temp = new Float32Array((lastRow - firstRow + 1) * rowLength);
  for (let y = firstRow; y <= lastRow; y++)
    horizontalPass(image, y, horizontal, temp, (y - firstRow) * rowLength);
  const out = new Uint8Array(region.height * rowLength);
  if (vertical.maxTaps <= 2) verticalTwoTaps(temp, rowLength, firstRow, vertical, out);
  else verticalGeneral(temp, rowLength, firstRow, vertical, out);
  return { data: out, width: region.width, height: region.height };
}

/** One source row through the horizontal taps into `temp[offset ..]` (interleaved RGB, float). */
function horizontalPass(image: RgbImage, y: number, taps: Taps, temp: Float32Array, offset: number): void {
  const source = image.data;
  const sourceRow = y * image.width * 3;
  const { start, count, weights, maxTaps } = taps;
  const outputs = start.length;
  if (maxTaps <= 2) {
    // Bilinear / nearest: a + (b - a) * fraction, with b clamped to a at the right edge.
    for (let x = 0, t = offset; x < outputs; x++, t += 3) {
      const p = sourceRow + start[x] * 3;
      if (count[x] === 1) {
        temp[t] = source[p];
        temp[t + 1] = source[p + 1];
        temp[t + 2] = source[p + 2];
      } else {
        const fraction = weights[x * 2 + 1];
        const r = source[p];
        const g = source[p + 1];
        const b = source[p + 2];
        temp[t] = r + (source[p + 3] - r) * fraction;
        temp[t + 1] = g + (source[p + 4] - g) * fraction;
        temp[t + 2] = b + (source[p + 5] - b) * fraction;
      }
    }
    return;
  }
  for (let x = 0, t = offset; x < outputs; x++, t += 3) {
    let r = 0;
    let g = 0;
    let b = 0;
    let p = sourceRow + start[x] * 3;
    const w0 = x * maxTaps;
    const n = count[x];
    for (let j = 0; j < n; j++, p += 3) {
      const w = weights[w0 + j];
      r += w * source[p];
      g += w * source[p + 1];
      b += w * source[p + 2];
    }
    temp[t] = r;
    temp[t + 1] = g;
    temp[t + 2] = b;
  }
}

function verticalTwoTaps(
  temp: Float32Array,
  rowLength: number,
  firstRow: number,
  taps: Taps,
  out: Uint8Array,
): void {
  const { start, count, weights } = taps;
  for (let y = 0; y < start.length; y++) {
    const top = (start[y] - firstRow) * rowLength;
    const outRow = y * rowLength;
    if (count[y] === 1) {
      for (let k = 0; k < rowLength; k++) out[outRow + k] = roundSample(temp[top + k]);
      continue;
    }
    const fraction = weights[y * 2 + 1];
    const bottom = top + rowLength;
    for (let k = 0; k < rowLength; k++) {
      const a = temp[top + k];
      out[outRow + k] = roundSample(a + (temp[bottom + k] - a) * fraction);
    }
  }
}

function verticalGeneral(
  temp: Float32Array,
  rowLength: number,
  firstRow: number,
  taps: Taps,
  out: Uint8Array,
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
    for (let k = 0; k < rowLength; k++) out[outRow + k] = roundSample(accumulator[k]);
  }
}

/**
 * Round half to even (as torch.round), clamped to 0..255. Inputs are convex combinations of 0..255
 * (non-negative weights summing to 1), so only float noise can step outside the range.
 */
function roundSample(value: number): number {
  let rounded = (value + 0.5) | 0;
  if (rounded - value === 0.5 && (rounded & 1) === 1) rounded -= 1;
  return rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
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
