import { describe, expect, it } from 'vitest';
import {
  computeJpegCoefficients,
  libjpegDownsampleH2V2,
  libjpegForwardDctIslow,
  libjpegQuantize,
} from './libjpeg.js';

describe('libjpeg building blocks', () => {
  it('islow gives 8x the orthonormal DCT: a constant block c has DC 64 (c - 128)', () => {
    const block = new Float64Array(64).fill(200 - 128);
    libjpegForwardDctIslow(block);
    expect(block[0]).toBe(64 * 72);
    expect(Array.from(block.subarray(1)).every((value) => value === 0)).toBe(true);
    expect(() => libjpegForwardDctIslow(new Float64Array(63))).toThrow(
      "libjpegForwardDctIslow: argument 'block' must be a Float64Array of 64 centred samples",
    );
  });
  it('quantizes by 8 q rounding half away from zero', () => {
    expect([
      libjpegQuantize(12, 1),
      libjpegQuantize(-12, 1),
      libjpegQuantize(11, 1),
      libjpegQuantize(-20, 1),
    ]).toEqual([2, -2, 1, -3]);
    expect(libjpegQuantize(8 * 16 * 3 + 63, 16)).toBe(3);
    expect(libjpegQuantize(8 * 16 * 3 + 64, 16)).toBe(4);
  });
  it('downsamples 2x2 with the alternating bias 1, 2 and replicated edges', () => {
    // Each 2x2 sums to 6: (6 + 1) >> 2 = 1, then (6 + 2) >> 2 = 2, alternating along the row.
    const plane = Uint8Array.from({ length: 8 * 2 }, (_, i) => (i % 2 === 0 ? 1 : 2));
    expect(Array.from(libjpegDownsampleH2V2(plane, 8, 2))).toEqual([1, 2, 1, 2]);
    // 3x1 with output width 4: columns replicate to [5, 7, 9, 9, 9, 9, 9, 9], the row to 2 rows.
    expect(Array.from(libjpegDownsampleH2V2(Uint8Array.of(5, 7, 9), 3, 1, 4))).toEqual([
      (24 + 1) >> 2,
      (36 + 2) >> 2,
      (36 + 1) >> 2,
      (36 + 2) >> 2,
    ]);
    expect(() => libjpegDownsampleH2V2(new Uint8Array(4), 3, 1)).toThrow(
      "libjpegDownsampleH2V2: argument 'plane' must have 3x1 = 3 samples, got 4",
    );
  });
  it('computes coefficients of a 1x1 image and reports bad options', () => {
    const blocks = computeJpegCoefficients({ data: Uint8Array.of(255, 255, 255), width: 1, height: 1 });
    expect(blocks.map((component) => [component.heightInBlocks, component.widthInBlocks])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(blocks[0].blocks[0]).toBe(8 * 127);
    expect(blocks[1].blocks[0]).toBe(0);
    const unsupported = { sampling: '422' } as unknown as { sampling: '420' };
    expect(() =>
      computeJpegCoefficients({ data: Uint8Array.of(1, 2, 3), width: 1, height: 1 }, unsupported),
    ).toThrow("computeJpegCoefficients: argument 'options.sampling' must be '444' or '420', got 422");
  });
});
