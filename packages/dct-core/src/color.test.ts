import { describe, expect, it } from 'vitest';
import {
  componentPlane,
  rgbToYcbcrFloat,
  rgbToYcbcrUint8,
  ycbcrToRgbFloat,
  ycbcrToRgbUint8,
} from './color.js';
import { randomRgbImage } from './testing/random.js';

const pixels = (...rgb: number[]) => ({ data: Uint8Array.from(rgb), width: rgb.length / 3, height: 1 });

describe('rgbToYcbcrFloat', () => {
  it('gives JFIF values for black, white, grey and primaries', () => {
    const { y, cb, cr } = rgbToYcbcrFloat(
      pixels(0, 0, 0, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 0, 255),
    );
    expect(Array.from(y)).toEqual([0, 255, 128, 76.245, 29.07].map(Math.fround));
    expect(cb[0]).toBe(128);
    expect(cb[1]).toBeCloseTo(128, 4);
    expect(cr[2]).toBeCloseTo(128, 4);
    expect(cr[3]).toBeCloseTo(255.5, 4);
    expect(cb[4]).toBeCloseTo(255.5, 4);
  });
  it('inverts through ycbcrToRgbFloat within 1e-3', () => {
    const image = randomRgbImage(31, 7, 3);
    const back = ycbcrToRgbFloat(rgbToYcbcrFloat(image));
    let worst = 0;
    for (let i = 0; i < back.length; i++) worst = Math.max(worst, Math.abs(back[i] - image.data[i]));
    expect(worst).toBeLessThan(1e-3);
    expect(Array.from(ycbcrToRgbUint8(rgbToYcbcrFloat(image)).data)).toEqual(Array.from(image.data));
  });
  it('accepts an empty image and reports bad lengths', () => {
    expect(rgbToYcbcrFloat({ data: new Uint8Array(0), width: 0, height: 0 }).y.length).toBe(0);
    expect(() => rgbToYcbcrFloat({ data: new Uint8Array(5), width: 2, height: 1 })).toThrow(
      "rgbToYcbcrFloat: argument 'image' data length 5 does not match 2x1x3 = 6",
    );
  });
});

describe('rgbToYcbcrUint8 (libjpeg-turbo jccolor.c)', () => {
  it('matches hand-computed fixed-point values', () => {
    // Y(255,0,0) = (19595 * 255 + 32768) >> 16 = 76; Cb = (-11059*255 + 8388608 + 32767) >> 16 = 85;
    // Cr(255,0,0) = (32768*255 + 8388608 + 32767) >> 16 = 255 (not 256: the 0.5 - epsilon fudge).
    const { y, cb, cr } = rgbToYcbcrUint8(pixels(255, 0, 0, 255, 255, 255, 0, 0, 0));
    expect(Array.from(y)).toEqual([76, 255, 0]);
    expect(Array.from(cb)).toEqual([85, 128, 128]);
    expect(Array.from(cr)).toEqual([255, 128, 128]);
  });
  it('stays within 0.5 + 1e-3 of the float conversion', () => {
    const image = randomRgbImage(64, 64, 11);
    const exact = rgbToYcbcrFloat(image);
    const fixed = rgbToYcbcrUint8(image);
    for (const key of ['y', 'cb', 'cr'] as const) {
      let worst = 0;
      for (let i = 0; i < exact[key].length; i++)
        worst = Math.max(worst, Math.abs(exact[key][i] - fixed[key][i]));
      expect(worst, key).toBeLessThanOrEqual(0.501);
    }
  });
});

describe('componentPlane and YCbCr validation', () => {
  it('returns one component as a plane and reports bad input', () => {
    const planes = rgbToYcbcrUint8(pixels(255, 0, 0));
    expect(componentPlane(planes, 2)).toEqual({ data: planes.cr, width: 1, height: 1 });
    expect(() => componentPlane(planes, 3)).toThrow(
      "componentPlane: argument 'component' must be 0, 1 or 2, got 3",
    );
    expect(() => ycbcrToRgbFloat({ ...planes, cb: new Uint8Array(2) })).toThrow(
      "ycbcrToRgbFloat: argument 'planes.cb' data length 2 does not match 1x1 = 1",
    );
    expect(rgbToYcbcrUint8({ data: new Uint8Array(0), width: 0, height: 3 }).y.length).toBe(0);
  });
});
