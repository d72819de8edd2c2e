import { describe, expect, it } from 'vitest';
import { centerCrop, centerCropRegion, cropImage, flipHorizontal, roundHalfToEven } from './crop.js';

const indexed = (width: number, height: number) => ({
  data: Uint8Array.from({ length: width * height * 3 }, (_, i) => i % 251),
  width,
  height,
});

describe('cropImage / centerCrop', () => {
  it('copies the region', () => {
    const out = cropImage(indexed(4, 3), { x: 1, y: 1, width: 2, height: 2 });
    expect(Array.from(out.data)).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
  });
  it('places the centre crop with Python rounding', () => {
    expect(roundHalfToEven(2.5)).toBe(2);
    expect(roundHalfToEven(3.5)).toBe(4);
    expect(roundHalfToEven(-1.5)).toBe(-2);
    expect(centerCropRegion(682, 512, 448, 448)).toEqual({ x: 117, y: 32, width: 448, height: 448 });
    expect(centerCropRegion(453, 448, 448, 448)).toEqual({ x: 2, y: 0, width: 448, height: 448 });
    const out = centerCrop(indexed(5, 5), { width: 3, height: 3 });
    expect(out.data[0]).toBe((1 * 5 + 1) * 3);
  });
  it('handles empty crops and reports out-of-range regions', () => {
    expect(cropImage(indexed(2, 2), { x: 2, y: 2, width: 0, height: 0 }).data.length).toBe(0);
    expect(() => cropImage(indexed(4, 3), { x: 3, y: 0, width: 2, height: 1 })).toThrow(
      "cropImage: argument 'region' must lie inside the 4x3 image, got x=3 y=0 2x1",
    );
    expect(() => centerCrop(indexed(4, 3), { width: 5, height: 3 })).toThrow(
      "centerCrop: argument 'size' must be positive integers no larger than the 4x3 image, got 5x3",
    );
  });
});

describe('flipHorizontal', () => {
  it('mirrors columns and is its own inverse', () => {
    const image = { data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), width: 3, height: 1 };
    expect(Array.from(flipHorizontal(image).data)).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    const big = indexed(7, 5);
    expect(flipHorizontal(flipHorizontal(big)).data).toEqual(big.data);
    expect(flipHorizontal({ data: new Uint8Array(0), width: 0, height: 0 }).data.length).toBe(0);
  });
});
