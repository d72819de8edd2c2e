import { describe, expect, it } from 'vitest';
import { cropImage, flipHorizontal } from './crop.js';
import { resizeImage, shorterSideSize } from './resize.js';
import { randomRgbImage, seededRandom } from './testing/random.js';

const gray = (values: number[], width: number, height: number) => ({
  data: Uint8Array.from(values.flatMap((v) => [v, v, v])),
  width,
  height,
});
const channel0 = (image: { data: Uint8Array | Uint8ClampedArray }) =>
  Array.from(image.data).filter((_, i) => i % 3 === 0);

describe('resizeImage', () => {
  it('upscales 2x with half-pixel bilinear weights 1/4, 3/4 and clamped edges', () => {
    // Row [0, 100] -> sources -0.25, 0.25, 0.75, 1.25 -> 0, 25, 75, 100.
    const out = resizeImage(gray([0, 100], 2, 1), { width: 4, height: 1 });
    expect(channel0(out)).toEqual([0, 25, 75, 100]);
  });
  it('downscales 2x by averaging pairs, or with a 2-wide triangle when antialiased', () => {
    const image = gray([10, 20, 30, 50], 4, 1);
    expect(channel0(resizeImage(image, { width: 2, height: 1 }))).toEqual([15, 40]);
    // Output 0: centre 1, taps 0..2 with weights 0.75, 0.75, 0.25 (/ 1.75) -> 17.1; output 1 -> 37.1.
    expect(channel0(resizeImage(image, { width: 2, height: 1, antialias: true }))).toEqual([17, 37]);
  });
  it('widens the triangle filter when antialiasing a 4x downscale', () => {
    // 8 -> 2 without antialiasing samples 2 pixels per output; with it, output 0 (centre 2) uses taps
    // 0..5 with weights .625 .875 .875 .625 .375 .125 (/ 3.5): 64 * 0.5 / 3.5 = 9.1; output 1 -> 54.9.
    const image = gray([0, 0, 0, 0, 64, 64, 64, 64], 8, 1);
    expect(channel0(resizeImage(image, { width: 2, height: 1 }))).toEqual([0, 64]);
    expect(channel0(resizeImage(image, { width: 2, height: 1, antialias: true }))).toEqual([9, 55]);
  });
  it('returns exactly the requested region of the full resize', () => {
    const image = randomRgbImage(37, 29, 4);
    const full = resizeImage(image, { width: 50, height: 41, antialias: true });
    const region = resizeImage(image, {
      width: 50,
      height: 41,
      antialias: true,
      region: { x: 7, y: 5, width: 30, height: 20 },
    });
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 30 * 3; x++)
        expect(region.data[y * 90 + x]).toBe(full.data[(y + 5) * 150 + 21 + x]);
    }
  });
  it('resizes an input window exactly as resizing its crop, and flips exactly as flipHorizontal', () => {
    const random = seededRandom(7);
    const pick = (n: number) => Math.floor(random() * n);
    for (let trial = 0; trial < 60; trial++) {
      const image = randomRgbImage(1 + pick(40), 1 + pick(40), trial);
      const x = pick(image.width);
      const y = pick(image.height);
      const inputRegion = { x, y, width: 1 + pick(image.width - x), height: 1 + pick(image.height - y) };
      const width = 1 + pick(70);
      const height = 1 + pick(70);
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        for (const antialias of [false, true]) {
          const options = { width, height, interpolation, antialias };
          const cropped = resizeImage(cropImage(image, inputRegion), options);
          const windowed = resizeImage(image, { ...options, inputRegion });
          expect(Array.from(windowed.data)).toEqual(Array.from(cropped.data));
          const flipped = resizeImage(image, { ...options, inputRegion, flip: true });
          expect(Array.from(flipped.data)).toEqual(Array.from(flipHorizontal(cropped).data));
        }
      }
    }
  });
  it('flips the output window, not the whole output', () => {
    const image = randomRgbImage(23, 17, 2);
    const region = { x: 3, y: 2, width: 11, height: 9 };
    const flipped = resizeImage(image, { width: 30, height: 20, region, flip: true });
    const straight = resizeImage(image, { width: 30, height: 20, region });
    expect(Array.from(flipped.data)).toEqual(Array.from(flipHorizontal(straight).data));
  });
  it('is the identity at the same size and handles 1x1', () => {
    const image = randomRgbImage(9, 7, 1);
    expect(resizeImage(image, { width: 9, height: 7 }).data).toEqual(image.data);
    const one = resizeImage(
      { data: Uint8Array.of(10, 20, 30), width: 1, height: 1 },
      { width: 3, height: 2 },
    );
    expect(Array.from(one.data)).toEqual([
      10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30,
    ]);
  });
  it('reports bad sizes and regions', () => {
    const image = randomRgbImage(4, 4, 1);
    expect(() => resizeImage(image, { width: 0, height: 3 })).toThrow(
      "resizeImage: argument 'options' must give positive integer width and height, got 0x3",
    );
    expect(() =>
      resizeImage(image, { width: 8, height: 8, region: { x: 4, y: 0, width: 5, height: 1 } }),
    ).toThrow("resizeImage: argument 'options.region' must lie inside the 8x8 output, got x=4 y=0 5x1");
    expect(() =>
      resizeImage(image, { width: 8, height: 8, inputRegion: { x: 0, y: 2, width: 4, height: 3 } }),
    ).toThrow("resizeImage: argument 'options.inputRegion' must lie inside the 4x4 image, got x=0 y=2 4x3");
    // @ts-expect-error: checking the runtime message
    expect(() => resizeImage(image, { width: 8, height: 8, flip: 'yes' })).toThrow(
      "resizeImage: argument 'options.flip' must be a boolean, got yes",
    );
    expect(() =>
      resizeImage({ data: new Uint8Array(0), width: 0, height: 0 }, { width: 2, height: 2 }),
    ).toThrow('must not be empty, got 0x0');
  });
});

describe('shorterSideSize', () => {
  it('truncates the longer side like int(size * long / short)', () => {
    expect(shorterSideSize(500, 375, 512)).toEqual({ width: 682, height: 512 });
    expect(shorterSideSize(375, 500, 512)).toEqual({ width: 512, height: 682 });
    expect(shorterSideSize(448, 448, 512)).toEqual({ width: 512, height: 512 });
    expect(() => shorterSideSize(10, 10, 0)).toThrow(
      "shorterSideSize: argument 'size' must be a positive integer, got 0",
    );
  });
});
