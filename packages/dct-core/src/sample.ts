import { downsamplePlane2x2, upsamplePlane2x } from './chroma.js';
import { rgbToYcbcrFloat, rgbToYcbcrUint8 } from './color.js';
import type { DctCube } from './cube.js';
import type { EdgeMode } from './dct.js';
import { forwardDctPlane } from './dct.js';
import { ArgumentError } from './errors.js';
import { floatCubeCoefficients } from './float-cube.js';
import type { Plane, RgbImage } from './image.js';
import { validateRgbImage } from './image.js';
import { libjpegDownsampleH2V2 } from './libjpeg.js';
import type { NormalizationStats } from './normalization.js';
import { normalizeCubeInPlace, validateStats } from './normalization.js';
import { type ResizeOptions, resizeImage } from './resize.js';
import { planResize } from './resize-plan.js';
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

/** Detection geometry in float: 4x bilinear then 2x2 mean equals 2x bilinear exactly (both samples of a
 * pair fall in one source interval), so every plane is the 2x upsampled plane. */
function detectionFloatPlanes(image: RgbImage): Planes {
  const { width, height } = image;
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

/** Validated cube options and the empty cube for an image of the given size. */
function prepareCube(
  functionName: string,
  width: number,
  height: number,
  options: Partial<DctCubeOptions>,
): {
  cube: DctCube;
  geometry: DctGeometry;
  colorPath: ColorPath;
  frequencies: number[][];
  normalization: NormalizationStats | null;
} {
  const geometry = options.geometry ?? DEFAULT_DCT_CUBE_OPTIONS.geometry;
  if (geometry !== 'plain' && geometry !== 'upscaled' && geometry !== 'detection') {
    throw new ArgumentError(
      functionName,
      'options.geometry',
      `must be 'plain', 'upscaled' or 'detection', got ${String(geometry)}`,
    );
  }
  const colorPath = options.colorPath ?? DEFAULT_DCT_CUBE_OPTIONS.colorPath;
  if (colorPath !== 'float' && colorPath !== 'libjpeg') {
    throw new ArgumentError(
      functionName,
      'options.colorPath',
      `must be 'float' or 'libjpeg', got ${String(colorPath)}`,
    );
  }
  const edge = options.edge ?? DEFAULT_DCT_CUBE_OPTIONS.edge;
  const selection = resolveSelection(options.selection ?? DEFAULT_DCT_CUBE_OPTIONS.selection);
  const normalization = options.normalization ?? null;
  if (normalization !== null) validateStats(functionName, normalization, 'options.normalization');
  const scale = geometry === 'detection' ? 2 : 1;
  if (edge === 'error' && ((width * scale) % 8 !== 0 || (height * scale) % 8 !== 0)) {
    throw new ArgumentError(
      functionName,
      'image',
      `must give planes whose sizes are multiples of 8 with edge 'error' (geometry '${geometry}'), got ${width}x${height}`,
      { width, height, geometry },
    );
  }
  const channels = selection.indices.length;
  const gridHeight = Math.ceil((height * scale) / 8);
  const gridWidth = Math.ceil((width * scale) / 8);
  const cube: DctCube = {
    data: new Float32Array(gridHeight * gridWidth * channels),
    height: gridHeight,
    width: gridWidth,
    channels,
    channelIndices: Int32Array.from(selection.indices),
  };
  return { cube, geometry, colorPath, frequencies: componentFrequencies(selection), normalization };
}

/**
 * The whole sample transform on an RGB image (taken as given: resize/crop first if needed, or use
 * `resizedImageToDctCube`): colour, geometry, DCT of only the selected channels, optional
 * normalization. Returns [H/8, W/8, C] (H/4 x W/4 for `detection`), channels ascending by global index.
 */
export function imageToDctCube(image: RgbImage, options: Partial<DctCubeOptions> = {}): DctCube {
  validateRgbImage('imageToDctCube', image);
  const { width, height } = image;
  const prepared = prepareCube('imageToDctCube', width, height, options);
  const { cube, geometry, colorPath, frequencies, normalization } = prepared;
  if (cube.height === 0 || cube.width === 0) return cube;
  if (colorPath === 'float' && geometry !== 'detection') {
    const identity = planResize('imageToDctCube', image, { width, height });
    floatCubeCoefficients(image, identity, geometry, frequencies, cube.data, cube.channels);
    return normalization === null ? cube : normalizeCubeInPlace(cube, normalization);
  }
  const planes = colorPath === 'float' ? detectionFloatPlanes(image) : libjpegPlanes(image, geometry);
  let offset = 0;
  for (let component = 0; component < 3; component++) {
    if (frequencies[component].length === 0) continue;
    const plane = planes[component];
    const result = forwardDctPlane(plane, {
      edge: 'replicate',
      frequencies: frequencies[component],
      output: cube.data,
      outputStride: cube.channels,
      outputOffset: offset,
    });
    if (result.heightInBlocks !== cube.height || result.widthInBlocks !== cube.width) {
      throw new ArgumentError(
        'imageToDctCube',
        'image',
        `produced a ${result.heightInBlocks}x${result.widthInBlocks} grid for component ${component}, expected ${cube.height}x${cube.width}`,
      );
    }
    offset += frequencies[component].length;
  }
  return normalization === null ? cube : normalizeCubeInPlace(cube, normalization);
}

/**
 * The sample transform of a resized image: `imageToDctCube(resizeImage(image, resize), options)` in one
 * pass, with every `resize` option (input window, output window, flip, antialias).
 *
 * With the `float` colour path (`plain` and `upscaled` geometry) the resized pixels are not rounded to
 * 8 bits: they are never built. The input window is converted to YCbCr and the planes are resized
 * instead, the same linear map, and the chroma coefficients come straight from the input window (see
 * float-cube.ts). Results differ from the composition only by that rounding (at most half a level per
 * RGB sample). `libjpeg` colour and the `detection` geometry run the composition itself.
 */
export function resizedImageToDctCube(
  image: RgbImage,
  resize: Partial<ResizeOptions> & Pick<ResizeOptions, 'width' | 'height'>,
  options: Partial<DctCubeOptions> = {},
): DctCube {
  const plan = planResize('resizedImageToDctCube', image, resize);
  const { region } = plan;
  const prepared = prepareCube('resizedImageToDctCube', region.width, region.height, options);
  const { cube, geometry, colorPath, frequencies, normalization } = prepared;
  if (colorPath === 'libjpeg' || geometry === 'detection')
    return imageToDctCube(resizeImage(image, resize), options);
  floatCubeCoefficients(image, plan, geometry, frequencies, cube.data, cube.channels);
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
