import { describe, expect, it } from 'vitest';
import { upscaledChromaFilter } from './chroma.js';
import { rgbToYcbcrFloat } from './color.js';
import { flipHorizontal } from './crop.js';
import type { DctCube } from './cube.js';
import { forwardDctPlane } from './dct.js';
import type { RgbImage } from './image.js';
import { type ResizeOptions, resizeImage } from './resize.js';
import { imageToDctCube, resizedImageToDctCube } from './sample.js';
import { componentFrequencies, resolveSelection, type SelectionSpec } from './selection.js';
import { randomRgbImage, smoothRgbImage } from './testing/random.js';

/** Float YCbCr planes of an image, straight from the JFIF formulas. */
type FloatImage = { width: number; height: number; y: Float32Array; cb: Float32Array; cr: Float32Array };

/** The reference cube: per-plane chroma filter for `upscaled`, then the plane DCT of each component. */
function referenceCube(
  planes: FloatImage,
  geometry: 'plain' | 'upscaled',
  selection: SelectionSpec,
): Float32Array {
  const { width, height } = planes;
  const frequencies = componentFrequencies(resolveSelection(selection));
  const channels = frequencies.reduce((sum, list) => sum + list.length, 0);
  const out = new Float32Array(Math.ceil(width / 8) * Math.ceil(height / 8) * channels);
  let offset = 0;
  [planes.y, planes.cb, planes.cr].forEach((plane, component) => {
    const data =
      component > 0 && geometry === 'upscaled' ? upscaledChromaFilter(plane, width, height) : plane;
    forwardDctPlane(
      { data, width, height },
      { frequencies: frequencies[component], output: out, outputStride: channels, outputOffset: offset },
    );
    offset += frequencies[component].length;
  });
  return out;
}

function floatPlanes(image: RgbImage): FloatImage {
  const { y, cb, cr } = rgbToYcbcrFloat(image);
  return { width: image.width, height: image.height, y, cb, cr };
}

/** Plain bilinear (half-pixel centres, edge clamp) of one float plane, written from the formula. */
function bilinearPlane(
  plane: Float32Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const out = new Float32Array(outWidth * outHeight);
  const coordinate = (i: number, scale: number, size: number) => {
    const source = Math.max((i + 0.5) * scale - 0.5, 0);
    const left = Math.min(Math.floor(source), size - 1);
    return { left, right: Math.min(left + 1, size - 1), fraction: left >= size - 1 ? 0 : source - left };
  };
  for (let y = 0; y < outHeight; y++) {
    const row = coordinate(y, height / outHeight, height);
    for (let x = 0; x < outWidth; x++) {
      const column = coordinate(x, width / outWidth, width);
      const at = (r: number, c: number) => plane[r * width + c];
      const top =
        at(row.left, column.left) * (1 - column.fraction) + at(row.left, column.right) * column.fraction;
      const bottom =
        at(row.right, column.left) * (1 - column.fraction) + at(row.right, column.right) * column.fraction;
      out[y * outWidth + x] = top * (1 - row.fraction) + bottom * row.fraction;
    }
  }
  return out;
}

function worstDifference(a: Float32Array, b: Float32Array | DctCube): number {
  const other = b instanceof Float32Array ? b : b.data;
  expect(a.length).toBe(other.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - other[i]));
  return worst;
}

const selections: SelectionSpec[] = [
  'DCT-6',
  'DCT-24',
  'DCT-48',
  'DCT-64',
  'DCT-192',
  [0, 27, 64 + 9, 128 + 54],
];

describe('imageToDctCube, float colour (plain and upscaled)', () => {
  it.each([
    [16, 16],
    [40, 32],
    [64, 48],
    [8, 8],
    [17, 9],
    [33, 26],
  ])('equals colour, chroma filter and plane DCT on %ix%i, every preset', (width, height) => {
    const image = smoothRgbImage(width, height, width + height);
    for (const geometry of ['plain', 'upscaled'] as const) {
      for (const selection of selections) {
        const cube = imageToDctCube(image, { geometry, selection });
        const expected = referenceCube(floatPlanes(image), geometry, selection);
        expect(worstDifference(cube.data, expected), `${geometry} ${String(selection)}`).toBeLessThan(2e-3);
      }
    }
  });
});

describe('resizedImageToDctCube', () => {
  const image = randomRgbImage(53, 41, 3);
  it('equals the composition exactly where resizing makes no new values (nearest, window, flip)', () => {
    const resize: Partial<ResizeOptions> & Pick<ResizeOptions, 'width' | 'height'> = {
      width: 80,
      height: 64,
      interpolation: 'nearest',
      inputRegion: { x: 5, y: 3, width: 40, height: 33 },
      region: { x: 8, y: 0, width: 64, height: 48 },
      flip: true,
    };
    for (const geometry of ['plain', 'upscaled'] as const) {
      for (const selection of ['DCT-24', 'DCT-192'] as const) {
        const cube = resizedImageToDctCube(image, resize, { geometry, selection });
        const composed = imageToDctCube(resizeImage(image, resize), { geometry, selection });
        expect([cube.height, cube.width, cube.channels]).toEqual([
          composed.height,
          composed.width,
          composed.channels,
        ]);
        expect(worstDifference(cube.data, composed), `${geometry} ${selection}`).toBeLessThan(2e-3);
      }
    }
  });
  it('is the float bilinear resize of the YCbCr planes, then the cube (upscaling and downscaling)', () => {
    for (const [width, height] of [
      [96, 72],
      [32, 24],
      [448, 448],
      [45, 37],
    ]) {
      const planes = floatPlanes(image);
      const resized: FloatImage = {
        width,
        height,
        y: bilinearPlane(planes.y, 53, 41, width, height),
        cb: bilinearPlane(planes.cb, 53, 41, width, height),
        cr: bilinearPlane(planes.cr, 53, 41, width, height),
      };
      for (const selection of ['DCT-24', 'DCT-64'] as const) {
        const cube = resizedImageToDctCube(image, { width, height }, { geometry: 'upscaled', selection });
        const expected = referenceCube(resized, 'upscaled', selection);
        expect(worstDifference(cube.data, expected), `${width}x${height} ${selection}`).toBeLessThan(3e-3);
      }
    }
  });
  it('differs from the 8-bit composition only by the rounding of resized pixels (at most 4 per coefficient)', () => {
    // Rounding moves each RGB sample by at most 0.5, so Y, Cb and Cr by at most 0.5 (their weights' absolute
    // values sum to 1), and an orthonormal 8x8 coefficient by at most 0.5 * 8.
    const photo = smoothRgbImage(300, 220, 9);
    for (const antialias of [false, true]) {
      for (const resize of [
        { width: 448, height: 448, inputRegion: { x: 20, y: 10, width: 250, height: 190 }, flip: true },
        { width: 224, height: 160, region: { x: 8, y: 16, width: 200, height: 120 } },
        { width: 136, height: 96 },
      ]) {
        const options = { ...resize, antialias };
        const cube = resizedImageToDctCube(photo, options, { geometry: 'upscaled', selection: 'DCT-64' });
        const composed = imageToDctCube(resizeImage(photo, options), {
          geometry: 'upscaled',
          selection: 'DCT-64',
        });
        let sum = 0;
        for (let i = 0; i < cube.data.length; i++) sum += Math.abs(cube.data[i] - composed.data[i]);
        expect(worstDifference(cube.data, composed)).toBeLessThanOrEqual(4);
        expect(sum / cube.data.length).toBeLessThan(0.5);
        expect(sum).toBeGreaterThan(0);
      }
    }
  });
  it('flips like flipHorizontal and crops like inputRegion', () => {
    const photo = smoothRgbImage(120, 90, 4);
    const region = { x: 30, y: 12, width: 70, height: 60 };
    const options = { geometry: 'upscaled' as const, selection: 'DCT-24' as const };
    const flipped = resizedImageToDctCube(
      photo,
      { width: 64, height: 56, inputRegion: region, flip: true },
      options,
    );
    const straight = resizedImageToDctCube(photo, { width: 64, height: 56, inputRegion: region }, options);
    // A mirrored image has mirrored block columns and odd horizontal frequencies negated.
    const indices = Array.from(straight.channelIndices);
    for (let by = 0; by < 7; by++) {
      for (let bx = 0; bx < 8; bx++) {
        for (let c = 0; c < indices.length; c++) {
          const sign = indices[c] % 2 === 1 ? -1 : 1;
          expect(flipped.data[(by * 8 + bx) * 24 + c]).toBeCloseTo(
            sign * straight.data[(by * 8 + 7 - bx) * 24 + c],
            2,
          );
        }
      }
    }
    const mirrored = flipHorizontal(
      resizeImage(photo, { width: 64, height: 56, inputRegion: region, interpolation: 'nearest' }),
    );
    const nearest = resizedImageToDctCube(
      photo,
      { width: 64, height: 56, inputRegion: region, interpolation: 'nearest', flip: true },
      options,
    );
    expect(worstDifference(nearest.data, imageToDctCube(mirrored, options))).toBeLessThan(2e-3);
  });
  it('runs the composition itself for libjpeg colour and the detection geometry', () => {
    const resize = { width: 40, height: 32, flip: true };
    for (const options of [
      { colorPath: 'libjpeg' as const, geometry: 'upscaled' as const },
      { geometry: 'detection' as const },
    ]) {
      const cube = resizedImageToDctCube(image, resize, { ...options, selection: 'DCT-24' });
      const composed = imageToDctCube(resizeImage(image, resize), { ...options, selection: 'DCT-24' });
      expect(Array.from(cube.data)).toEqual(Array.from(composed.data));
    }
  });
  it('reports bad resize and cube options under its own name', () => {
    expect(() => resizedImageToDctCube(image, { width: 0, height: 8 })).toThrow(
      "resizedImageToDctCube: argument 'options' must give positive integer width and height, got 0x8",
    );
    expect(() =>
      resizedImageToDctCube(image, {
        width: 16,
        height: 16,
        inputRegion: { x: 50, y: 0, width: 4, height: 4 },
      }),
    ).toThrow(
      "resizedImageToDctCube: argument 'options.inputRegion' must lie inside the 53x41 image, got x=50 y=0 4x4",
    );
    // @ts-expect-error: checking the runtime message
    expect(() => resizedImageToDctCube(image, { width: 16, height: 16 }, { geometry: 'square' })).toThrow(
      "resizedImageToDctCube: argument 'options.geometry' must be 'plain', 'upscaled' or 'detection', got square",
    );
  });
});
