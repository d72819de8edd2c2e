import { downsamplePlane2x2, upsamplePlane2x } from './chroma.js';
import { rgbToYcbcrFloat, rgbToYcbcrUint8 } from './color.js';
import type { DctCube } from './cube.js';
import type { EdgeMode } from './dct.js';
import { forwardDctPlane } from './dct.js';
import { ArgumentError } from './errors.js';
import type { Plane, RgbImage } from './image.js';
import { validateRgbImage } from './image.js';
import { libjpegDownsampleH2V2 } from './libjpeg.js';
import type { NormalizationStats } from './normalization.js';
import { normalizeCubeInPlace, validateStats } from './normalization.js';
import { resizeImage } from './resize.js';
import type { SelectionSpec } from './selection.js';
import { componentFrequencies, resolveSelection } from './selection.js';

/**
 * Where each component's plane comes from (see the package README for diagrams):
 * - `plain`: Y, Cb, Cr all at full resolution (4:4:4): grid H/8 x W/8.
 * - `upscaled` (paper, classification): Y from the image; Cb/Cr from the image upscaled 2x (bilinear) and
 *   then 4:2:0-subsampled, so all three land on the H/8 x W/8 grid.
 * - `detection` (paper, Mask R-CNN): Y from the image upscaled 2x, Cb/Cr from it upscaled 4x then 4:2:0:
 *   all planes on an H/4 x W/4 grid.
 */
export type DctGeometry = 'plain' | 'upscaled' | 'detection';

/**
 * `float`: float32 colour conversion and resampling (fast; upscale+subsample fused into one filter).
 * `libjpeg`: the official pipeline literally: 8-bit bilinear upscaling, libjpeg-turbo's fixed-point colour
 * conversion and its h2v2 downsampling with alternating bias (then the float DCT).
 */
export type ColorPath = 'float' | 'libjpeg';

export interface DctCubeOptions {
  geometry: DctGeometry;
  /** Channels to compute (only these are computed). Default all 192. */
  selection: SelectionSpec;
  /** Per-channel statistics to normalize with, or null for raw coefficients. */
  normalization: NormalizationStats | null;
  colorPath: ColorPath;
  /** Sizes that are not multiples of 8 (per plane): replicate edges as libjpeg pads, or throw. */
  edge: EdgeMode;
}

export const DEFAULT_DCT_CUBE_OPTIONS: Readonly<DctCubeOptions> = Object.freeze({
  geometry: 'plain',
  selection: 'DCT-192',
  normalization: null,
  colorPath: 'float',
  edge: 'replicate',
});

type Planes = [Plane, Plane, Plane];

/**
 * Reused working planes: the sample transform is synchronous and never returns these, so one set per
 * module is safe and saves allocating (and zeroing, and collecting) megabytes per image.
 */
let scratch = new Float32Array(0);
function scratchPlanes(size: number): [Float32Array, Float32Array, Float32Array] {
  if (scratch.length < 3 * size) scratch = new Float32Array(3 * size);
  return [scratch.subarray(0, size), scratch.subarray(size, 2 * size), scratch.subarray(2 * size, 3 * size)];
}

/** Float colour conversion of one row into Y and two chroma row buffers. */
function convertRow(
  source: RgbImage['data'],
  from: number,
  width: number,
  y: Float32Array,
  yOffset: number,
  cb: Float32Array,
  cr: Float32Array,
): void {
  for (let x = 0, p = from; x < width; x++, p += 3) {
    const r = source[p];
    const g = source[p + 1];
    const b = source[p + 2];
    y[yOffset + x] = 0.299 * r + 0.587 * g + 0.114 * b;
    cb[x] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    cr[x] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
}

/** Horizontal [1, 6, 1] / 8 with clamped edges, from a row buffer into `out[offset ..]`. */
function filterRow(row: Float32Array, width: number, out: Float32Array, offset: number): void {
  if (width === 1) {
    out[offset] = row[0];
    return;
  }
  out[offset] = 0.875 * row[0] + 0.125 * row[1];
  for (let x = 1; x < width - 1; x++) out[offset + x] = 0.125 * (row[x - 1] + row[x + 1]) + 0.75 * row[x];
  out[offset + width - 1] = 0.875 * row[width - 1] + 0.125 * row[width - 2];
}

/** Vertical [1, 6, 1] / 8 with clamped edges, from `source` into `out` (same size). */
function filterColumns(source: Float32Array, width: number, height: number, out: Float32Array): void {
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = y > 0 ? row - width : row;
    const down = y < height - 1 ? row + width : row;
    for (let x = 0; x < width; x++)
      out[row + x] = 0.125 * (source[up + x] + source[down + x]) + 0.75 * source[row + x];
  }
}

let filterScratch = new Float32Array(0);

/**
 * Y as is and Cb/Cr through the fused upscale-2x + 4:2:0 filter (see `upscaledChromaFilter`): one pass
 * over the image (colour + horizontal filter), then one vertical pass per chroma plane. Writes the three
 * [H, W] planes; equals rgbToYcbcrFloat followed by upscaledChromaFilter on Cb and Cr.
 */
export function upscaledGeometryPlanes(
  image: RgbImage,
  y: Float32Array,
  cb: Float32Array,
  cr: Float32Array,
): void {
  const { width, height, data } = image;
  const size = width * height;
  if (filterScratch.length < 2 * size) filterScratch = new Float32Array(2 * size);
  const horizontalCb = filterScratch.subarray(0, size);
  const horizontalCr = filterScratch.subarray(size, 2 * size);
  const rowCb = new Float32Array(width);
  const rowCr = new Float32Array(width);
  for (let row = 0; row < height; row++) {
    convertRow(data, row * width * 3, width, y, row * width, rowCb, rowCr);
    filterRow(rowCb, width, horizontalCb, row * width);
    filterRow(rowCr, width, horizontalCr, row * width);
  }
  filterColumns(horizontalCb, width, height, cb);
  filterColumns(horizontalCr, width, height, cr);
}

function floatPlanes(image: RgbImage, geometry: DctGeometry): Planes {
  const { width, height } = image;
  if (geometry === 'plain') {
    const [y, cb, cr] = scratchPlanes(width * height);
    for (let row = 0; row < height; row++) {
      convertRow(
        image.data,
        row * width * 3,
        width,
        y,
        row * width,
        cb.subarray(row * width),
        cr.subarray(row * width),
      );
    }
    return [y, cb, cr].map((data) => ({ data, width, height })) as Planes;
  }
  if (geometry === 'upscaled') {
    const [y, cb, cr] = scratchPlanes(width * height);
    upscaledGeometryPlanes(image, y, cb, cr);
    return [y, cb, cr].map((data) => ({ data, width, height })) as Planes;
  }
  // Detection: 4x bilinear then 2x2 mean equals 2x bilinear exactly (both samples of a pair fall in one
  // source interval), so every plane is the 2x upsampled plane.
  const { y, cb, cr } = rgbToYcbcrFloat(image);
  return [y, cb, cr].map((data) => ({
    data: upsamplePlane2x(data, width, height),
    width: width * 2,
    height: height * 2,
  })) as Planes;
}

function libjpegPlanes(image: RgbImage, geometry: DctGeometry): Planes {
  const { width, height } = image;
  if (geometry === 'plain') {
    const { y, cb, cr } = rgbToYcbcrUint8(image);
    return [y, cb, cr].map((data) => ({ data, width, height })) as Planes;
  }
  const lumaSource =
    geometry === 'upscaled' ? image : resizeImage(image, { width: width * 2, height: height * 2 });
  const chromaFactor = geometry === 'upscaled' ? 2 : 4;
  const chromaSource = resizeImage(image, { width: width * chromaFactor, height: height * chromaFactor });
  const luma = rgbToYcbcrUint8(lumaSource).y;
  const chroma = rgbToYcbcrUint8(chromaSource);
  const chromaWidth = (chromaSource.width + 1) >> 1;
  const chromaHeight = (chromaSource.height + 1) >> 1;
  const down = (plane: Uint8Array) =>
    libjpegDownsampleH2V2(plane, chromaSource.width, chromaSource.height, chromaWidth);
  return [
    { data: luma, width: lumaSource.width, height: lumaSource.height },
    { data: down(chroma.cb), width: chromaWidth, height: chromaHeight },
    { data: down(chroma.cr), width: chromaWidth, height: chromaHeight },
  ];
}

/**
 * The whole sample transform on an RGB image (taken as given: resize/crop first if needed): colour,
 * geometry, DCT of only the selected channels, optional normalization. Returns [H/8, W/8, C]
 * (H/4 x W/4 for `detection`), channels ascending by global index.
 */
export function imageToDctCube(image: RgbImage, options: Partial<DctCubeOptions> = {}): DctCube {
  validateRgbImage('imageToDctCube', image);
  const geometry = options.geometry ?? DEFAULT_DCT_CUBE_OPTIONS.geometry;
  if (geometry !== 'plain' && geometry !== 'upscaled' && geometry !== 'detection') {
    throw new ArgumentError(
      'imageToDctCube',
      'options.geometry',
      `must be 'plain', 'upscaled' or 'detection', got ${String(geometry)}`,
    );
  }
  const colorPath = options.colorPath ?? DEFAULT_DCT_CUBE_OPTIONS.colorPath;
  if (colorPath !== 'float' && colorPath !== 'libjpeg') {
    throw new ArgumentError(
      'imageToDctCube',
      'options.colorPath',
      `must be 'float' or 'libjpeg', got ${String(colorPath)}`,
    );
  }
  const edge = options.edge ?? DEFAULT_DCT_CUBE_OPTIONS.edge;
  const selection = resolveSelection(options.selection ?? DEFAULT_DCT_CUBE_OPTIONS.selection);
  const normalization = options.normalization ?? null;
  if (normalization !== null) validateStats('imageToDctCube', normalization, 'options.normalization');
  const { width, height } = image;
  const scale = geometry === 'detection' ? 2 : 1;
  if (edge === 'error' && ((width * scale) % 8 !== 0 || (height * scale) % 8 !== 0)) {
    throw new ArgumentError(
      'imageToDctCube',
      'image',
      `must give planes whose sizes are multiples of 8 with edge 'error' (geometry '${geometry}'), got ${width}x${height}`,
      { width, height, geometry },
    );
  }
  const channels = selection.indices.length;
  const gridHeight = Math.ceil((height * scale) / 8);
  const gridWidth = Math.ceil((width * scale) / 8);
  const data = new Float32Array(gridHeight * gridWidth * channels);
  const cube: DctCube = {
    data,
    height: gridHeight,
    width: gridWidth,
    channels,
    channelIndices: Int32Array.from(selection.indices),
  };
  if (gridHeight === 0 || gridWidth === 0) return cube;
  const frequencies = componentFrequencies(selection);
  const planes = colorPath === 'float' ? floatPlanes(image, geometry) : libjpegPlanes(image, geometry);
  let offset = 0;
  for (let component = 0; component < 3; component++) {
    if (frequencies[component].length === 0) continue;
    const plane = planes[component];
    const result = forwardDctPlane(plane, {
      edge: 'replicate',
      frequencies: frequencies[component],
      output: data,
      outputStride: channels,
      outputOffset: offset,
    });
    if (result.heightInBlocks !== gridHeight || result.widthInBlocks !== gridWidth) {
      throw new ArgumentError(
        'imageToDctCube',
        'image',
        `produced a ${result.heightInBlocks}x${result.widthInBlocks} grid for component ${component}, expected ${gridHeight}x${gridWidth}`,
      );
    }
    offset += frequencies[component].length;
  }
  return normalization === null ? cube : normalizeCubeInPlace(cube, normalization);
}

/**
 * 4:2:0 coefficients in float as a JPEG encoder would lay them out (Y at W/8, chroma at W/16), for
 * comparing with JPEG files: `chroma` `float` = plain 2x2 mean of float colour, `libjpeg` = libjpeg's
 * integer colour and biased downsampling. Returns three [Hb, Wb, 64] grids with libjpeg's block counts.
 */
export function jpeg420Coefficients(
  image: RgbImage,
  colorPath: ColorPath = 'float',
): { data: Float32Array; heightInBlocks: number; widthInBlocks: number }[] {
  validateRgbImage('jpeg420Coefficients', image);
  const { width, height } = image;
  const chromaWidthInBlocks = Math.ceil(width / 16);
  let planes: Planes;
  if (colorPath === 'libjpeg') {
    const { y, cb, cr } = rgbToYcbcrUint8(image);
    const down = (plane: Uint8Array) => libjpegDownsampleH2V2(plane, width, height, chromaWidthInBlocks * 8);
    const chromaHeight = Math.ceil(height / 2);
    planes = [
      { data: y, width, height },
      { data: down(cb), width: chromaWidthInBlocks * 8, height: chromaHeight },
      { data: down(cr), width: chromaWidthInBlocks * 8, height: chromaHeight },
    ];
  } else {
    const { y, cb, cr } = rgbToYcbcrFloat(image);
    const chromaWidth = chromaWidthInBlocks * 8;
    const chromaHeight = Math.ceil(height / 2);
    planes = [
      { data: y, width, height },
      { data: downsamplePlane2x2(cb, width, height, chromaWidth), width: chromaWidth, height: chromaHeight },
      { data: downsamplePlane2x2(cr, width, height, chromaWidth), width: chromaWidth, height: chromaHeight },
    ];
  }
  // ceil(ceil(W/2) / 8) = ceil(W/16): the planes' block grids are exactly libjpeg's component sizes.
  return planes.map((plane) => {
    const result = forwardDctPlane(plane);
    return { data: result.data, heightInBlocks: result.heightInBlocks, widthInBlocks: result.widthInBlocks };
  });
}
