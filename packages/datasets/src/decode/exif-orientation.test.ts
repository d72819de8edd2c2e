import { describe, expect, it } from 'vitest';
import { applyExifOrientation } from './apply-orientation.js';
import { readExifOrientation } from './exif-orientation.js';

/** A minimal JPEG prefix with an APP1 Exif block holding one orientation entry. */
function jpegWithOrientation(orientation: number, littleEndian: boolean): Uint8Array {
  const tiff = littleEndian
    ? [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0]
    : [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const length = payload.length + 2;
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, length >> 8, length & 0xff, ...payload, 0xff, 0xda, 0, 2]);
}

describe('readExifOrientation', () => {
  it('reads the orientation tag in both byte orders', () => {
    expect(readExifOrientation(jpegWithOrientation(6, true))).toBe(6);
    expect(readExifOrientation(jpegWithOrientation(3, false))).toBe(3);
  });

  it('returns 1 without EXIF, for invalid values and for non-JPEG data', () => {
    expect(readExifOrientation(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBe(1);
    expect(readExifOrientation(jpegWithOrientation(9, true))).toBe(1);
    expect(readExifOrientation(new Uint8Array(0))).toBe(1);
    expect(readExifOrientation(jpegWithOrientation(6, true).subarray(0, 20))).toBe(1);
  });
});

describe('applyExifOrientation', () => {
  // 3x2 image whose red channel numbers the pixels row-major: 1 2 3 / 4 5 6.
  const image = { width: 3, height: 2, data: new Uint8Array([1, 2, 3, 4, 5, 6].flatMap((v) => [v, 0, 0])) };
  const red = (result: { data: Uint8Array }) => Array.from(result.data).filter((_, i) => i % 3 === 0);

  it('maps every orientation to the display layout', () => {
    expect(red(applyExifOrientation(image, 1))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(red(applyExifOrientation(image, 2))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(red(applyExifOrientation(image, 3))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(red(applyExifOrientation(image, 4))).toEqual([4, 5, 6, 1, 2, 3]);
    const rotated = applyExifOrientation(image, 6); // 90 degrees clockwise: 2 wide, 3 tall
    expect([rotated.width, rotated.height]).toEqual([2, 3]);
    expect(red(rotated)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(red(applyExifOrientation(image, 8))).toEqual([3, 6, 2, 5, 1, 4]);
    expect(red(applyExifOrientation(image, 5))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(red(applyExifOrientation(image, 7))).toEqual([6, 3, 5, 2, 4, 1]);
  });

  it('handles a 1x1 image', () => {
    const one = { width: 1, height: 1, data: new Uint8Array([9, 8, 7]) };
    expect(Array.from(applyExifOrientation(one, 6).data)).toEqual([9, 8, 7]);
  });
});
