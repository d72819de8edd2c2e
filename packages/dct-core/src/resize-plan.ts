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
  /**
   * Resize only this window of the input, as if it had been cropped out first (torchvision's
   * `resized_crop`): edges clamp at the window's border, not the image's. Default: the whole image.
   */
  inputRegion?: PixelRegion;
  /** Compute only this window of the resized image (e.g. a centre crop), in output pixels. */
  region?: PixelRegion;
  /** Mirror the result left-right: equals `flipHorizontal` of the unflipped result, at no extra cost. */
  flip?: boolean;
}

export const DEFAULT_RESIZE_OPTIONS: Readonly<Pick<ResizeOptions, 'interpolation' | 'antialias'>> =
  Object.freeze({
    interpolation: 'bilinear',
    antialias: false,
  });

/**
 * Per-output-pixel filter taps along one axis: window inputs `start[i] .. start[i] + count[i] - 1`.
 * Two-tap filters (bilinear, nearest) always read `start[i]` and `start[i] + 1` clamped to the window
 * (`next[i]`), with weight `fraction[i]` on the second: a single tap is fraction 0.
 */
export interface Taps {
  start: Int32Array;
  count: Int32Array;
  /** [outputs, maxTaps] weights, normalized to sum 1. */
  weights: Float32Array;
  maxTaps: number;
  /** Two-tap filters only: the second input and its weight. */
  next: Int32Array;
  fraction: Float32Array;
}

/** Filter taps for outputs `first .. first + length - 1` of an `inputSize -> outputSize` resize. */
export function computeTaps(
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
  const next = new Int32Array(length);
  const fraction = new Float32Array(length);
  if (interpolation === 'nearest') {
    const weights = new Float32Array(length).fill(1);
    for (let i = 0; i < length; i++) {
      start[i] = Math.min(Math.floor((first + i) * scale), inputSize - 1);
      next[i] = start[i];
      count[i] = 1;
    }
    return { start, count, weights, maxTaps: 1, next, fraction };
  }
  if (!antialias || scale <= 1) {
    // Half-pixel centres: source = (i + 0.5) * scale - 0.5, clamped to the image (OpenCV INTER_LINEAR).
    const weights = new Float32Array(length * 2);
    for (let i = 0; i < length; i++) {
      const source = Math.max((first + i + 0.5) * scale - 0.5, 0);
      const left = Math.min(Math.floor(source), inputSize - 1);
      const weight = left >= inputSize - 1 ? 0 : source - left;
      start[i] = left;
      count[i] = weight === 0 ? 1 : 2;
      next[i] = weight === 0 ? left : left + 1;
      weights[i * 2] = 1 - weight;
      weights[i * 2 + 1] = weight;
      fraction[i] = weight;
    }
    return { start, count, weights, maxTaps: 2, next, fraction };
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
  return { start, count, weights, maxTaps, next, fraction };
}

function checkRegion(
  functionName: string,
  argument: string,
  region: PixelRegion,
  width: number,
  height: number,
  what: string,
): void {
  if (
    region === null ||
    typeof region !== 'object' ||
    ![region.x, region.y, region.width, region.height].every(Number.isInteger) ||
    region.x < 0 ||
    region.y < 0 ||
    region.width <= 0 ||
    region.height <= 0 ||
    region.x + region.width > width ||
    region.y + region.height > height
  ) {
    throw new ArgumentError(
      functionName,
      argument,
      `must lie inside the ${width}x${height} ${what}, got x=${region?.x} y=${region?.y} ${region?.width}x${region?.height}`,
    );
  }
}

/** A validated resize with its per-axis taps, ready to run on RGB images or float planes. */
export interface ResizePlan {
  /** The whole resized image's size. */
  width: number;
  height: number;
  /** The input window that is resized, and the output window that is computed. */
  inputRegion: PixelRegion;
  region: PixelRegion;
  flip: boolean;
  /** Taps of the output window's columns and rows, in window coordinates of the input. */
  horizontal: Taps;
  vertical: Taps;
  /** Input window rows that the vertical taps touch. */
  firstRow: number;
  lastRow: number;
  /**
   * 1 for the rows in firstRow .. lastRow that some vertical tap reads: a two-tap downscale skips
   * rows, and nothing needs to be computed for them.
   */
  rowUsed: Uint8Array;
}

/** Validates resize options (errors name `functionName`) and computes the taps. */
export function planResize(
  functionName: string,
  image: RgbImage,
  options: Partial<ResizeOptions> & Pick<ResizeOptions, 'width' | 'height'>,
): ResizePlan {
  const settings = resolveResizeOptions(functionName, image, options);
  const { width, height, interpolation, antialias, inputRegion, region, flip } = settings;
  const horizontal = computeTaps(inputRegion.width, width, region.x, region.width, interpolation, antialias);
  const vertical = computeTaps(inputRegion.height, height, region.y, region.height, interpolation, antialias);
  // Two-tap filters also name the clamped second row.
  let firstRow = inputRegion.height;
  let lastRow = -1;
  for (let i = 0; i < region.height; i++) {
    firstRow = Math.min(firstRow, vertical.start[i]);
    lastRow = Math.max(lastRow, vertical.start[i] + vertical.count[i] - 1, vertical.next[i]);
  }
  const rowUsed = new Uint8Array(Math.max(lastRow - firstRow + 1, 0));
  for (let i = 0; i < region.height; i++) {
    for (let j = 0; j < vertical.count[i]; j++) rowUsed[vertical.start[i] + j - firstRow] = 1;
    rowUsed[vertical.next[i] - firstRow] = 1;
  }
  return { width, height, inputRegion, region, flip, horizontal, vertical, firstRow, lastRow, rowUsed };
}

function resolveResizeOptions(
  functionName: string,
  image: RgbImage,
  options: Partial<ResizeOptions>,
): Required<ResizeOptions> {
  validateRgbImage(functionName, image);
  const { width, height } = options;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    (width as number) <= 0 ||
    (height as number) <= 0
  ) {
    throw new ArgumentError(
      functionName,
      'options',
      `must give positive integer width and height, got ${width}x${height}`,
    );
  }
  if (image.width === 0 || image.height === 0) {
    throw new ArgumentError(functionName, 'image', `must not be empty, got ${image.width}x${image.height}`);
  }
  const interpolation = options.interpolation ?? DEFAULT_RESIZE_OPTIONS.interpolation;
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new ArgumentError(
      functionName,
      'options.interpolation',
      `must be 'bilinear' or 'nearest', got ${String(interpolation)}`,
    );
  }
  const inputRegion = options.inputRegion ?? { x: 0, y: 0, width: image.width, height: image.height };
  checkRegion(functionName, 'options.inputRegion', inputRegion, image.width, image.height, 'image');
  const region = options.region ?? { x: 0, y: 0, width: width as number, height: height as number };
  checkRegion(functionName, 'options.region', region, width as number, height as number, 'output');
  const flip = options.flip ?? false;
  if (typeof flip !== 'boolean')
    throw new ArgumentError(functionName, 'options.flip', `must be a boolean, got ${String(flip)}`);
  return {
    width: width as number,
    height: height as number,
    interpolation,
    antialias: options.antialias ?? DEFAULT_RESIZE_OPTIONS.antialias,
    inputRegion,
    region,
    flip,
  };
}
