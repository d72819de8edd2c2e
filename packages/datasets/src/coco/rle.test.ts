import { describe, expect, it } from 'vitest';
import { polygonToCounts } from './polygon.js';
import {
  countsToMask,
  decodeRleString,
  encodeRleString,
  maskToCounts,
  mergeCounts,
  rleArea,
  rleToBbox,
} from './rle.js';
import { decodeMask, encodeRle, segmentationToCounts } from './segmentation.js';

/** Row-major mask from rows of '.' and '#'. */
function mask(...rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0));
}

describe('COCO RLE counts', () => {
  it('encodes a hand-checked 3x4 mask column by column', () => {
    // Columns (top to bottom): x0 = ..., x1 = .##, x2 = .#., x3 = ... -> 4 zeros, 2 ones, 1 zero, 1 one, 4 zeros.
    const m = mask('....', '.##.', '.#..');
    expect(maskToCounts(m, 3, 4)).toEqual([4, 2, 1, 1, 4]);
    expect(Array.from(countsToMask([4, 2, 1, 1, 4], 3, 4))).toEqual(Array.from(m));
    expect(rleArea([4, 2, 1, 1, 4])).toBe(3);
    expect(rleToBbox([4, 2, 1, 1, 4], 3)).toEqual([1, 1, 2, 2]);
  });

  it('starts with a zero count when the first pixel is set, and handles empty and full masks', () => {
    expect(maskToCounts(mask('#.', '..'), 2, 2)).toEqual([0, 1, 3]);
    expect(Array.from(countsToMask([0, 1, 3], 2, 2))).toEqual([1, 0, 0, 0]);
    expect(maskToCounts(new Uint8Array(6), 2, 3)).toEqual([6]);
    expect(maskToCounts(new Uint8Array(6).fill(1), 2, 3)).toEqual([0, 6]);
    expect(rleToBbox([6], 2)).toEqual([0, 0, 0, 0]);
    expect(rleToBbox([0, 6], 2)).toEqual([0, 0, 3, 2]);
    expect(maskToCounts(new Uint8Array(0), 0, 0)).toEqual([0]);
  });

  it('gives the full column range for a run that wraps into the next column (pycocotools toBbox)', () => {
    // 3 rows: column 0 has its bottom pixel set, column 1 its top pixel: tight box is rows 0..2.
    expect(rleToBbox([2, 2, 5], 3)).toEqual([0, 0, 2, 3]);
  });

  it('rejects counts that do not cover the mask', () => {
    expect(() => countsToMask([1, 2], 2, 2)).toThrow(
      /countsToMask: argument 'counts' sum to 3, expected height\*width = 2\*2 = 4/,
    );
    expect(() => countsToMask([1, -1, 4], 2, 2)).toThrow(/has count -1 at index 1/);
    expect(() => maskToCounts(new Uint8Array(3), 2, 2)).toThrow(/has 3 pixels, expected 2\*2 = 4/);
  });

  it('merges by union and intersection', () => {
    const a = maskToCounts(mask('##', '..'), 2, 2);
    const b = maskToCounts(mask('#.', '#.'), 2, 2);
    expect(Array.from(countsToMask(mergeCounts([a, b], 2, 2), 2, 2))).toEqual([1, 1, 1, 0]);
    expect(Array.from(countsToMask(mergeCounts([a, b], 2, 2, true), 2, 2))).toEqual([1, 0, 0, 0]);
    expect(mergeCounts([], 2, 2)).toEqual([4]);
  });
});

describe('COCO compressed RLE strings', () => {
  it('matches hand-encoded strings, including the delta and sign rules', () => {
    // 5 -> '5'; 31 -> two groups (31 & 31 = 31 has the sign bit, so a 0 group follows): 'O0'.
    expect(encodeRleString([5])).toBe('5');
    expect(encodeRleString([31])).toBe('o0');
    // counts [1, 2, 3, 1]: the 4th is stored as 1 - 2 = -1 -> group 0x1f -> 'O'.
    expect(encodeRleString([1, 2, 3, 1])).toBe('123O');
    expect(decodeRleString('123O')).toEqual([1, 2, 3, 1]);
    expect(decodeRleString('o0')).toEqual([31]);
    expect(decodeRleString('')).toEqual([]);
  });

  it('round-trips random counts with large values and negative deltas', () => {
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 50; trial++) {
      const counts = Array.from({ length: 1 + Math.floor(next() * 40) }, () =>
        Math.floor(next() ** 3 * 3_000_000),
      );
      expect(decodeRleString(encodeRleString(counts))).toEqual(counts);
    }
  });

  it('rejects malformed strings', () => {
    expect(() => decodeRleString('1~')).toThrow(/decodeRleString: argument 'text' has character "~" at 1/);
    expect(() => decodeRleString('1P')).toThrow(/ends inside a count at character 2/);
  });
});

describe('polygonToCounts (rleFrPoly semantics)', () => {
  it('rasterises an axis-aligned square through pixel centres with the half-open boundary rule', () => {
    // Square with corners at pixel centres (1,1)-(3,3) in a 5x5 image. The COCO rule keeps columns
    // 1..2 and rows 1..2 (the right and bottom boundary pixels fall outside).
    const m = countsToMask(polygonToCounts([1, 1, 3, 1, 3, 3, 1, 3], 5, 5), 5, 5);
    expect(Array.from(m)).toEqual(Array.from(mask('.....', '.##..', '.##..', '.....', '.....')));
  });

  it('covers whole pixels for a polygon on pixel edges, independent of vertex order', () => {
    const clockwise = polygonToCounts([0.5, 0.5, 2.5, 0.5, 2.5, 1.5, 0.5, 1.5], 3, 4);
    const counter = polygonToCounts([0.5, 0.5, 0.5, 1.5, 2.5, 1.5, 2.5, 0.5], 3, 4);
    expect(counter).toEqual(clockwise);
    expect(Array.from(countsToMask(clockwise, 3, 4))).toEqual(Array.from(mask('....', '.##.', '....')));
  });

  it('clips to the image and gives an empty mask for an empty polygon', () => {
    const m = countsToMask(polygonToCounts([-5, -5, 10, -5, 10, 10, -5, 10], 2, 3), 2, 3);
    expect(Array.from(m)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(polygonToCounts([], 2, 2)).toEqual([4]);
    expect(() => polygonToCounts([1, 2, 3], 2, 2)).toThrow(
      /polygonToCounts: argument 'polygon' has 3 numbers/,
    );
  });
});

describe('segmentation helpers', () => {
  it('decodes the three encodings to the same mask and encodes back', () => {
    const m = mask('....', '.##.', '.#..');
    const counts = maskToCounts(m, 3, 4);
    const compressed = encodeRle(m, 3, 4);
    expect(compressed).toEqual({ size: [3, 4], counts: encodeRleString(counts) });
    expect(Array.from(decodeMask(compressed, 3, 4))).toEqual(Array.from(m));
    expect(Array.from(decodeMask({ size: [3, 4], counts }, 3, 4))).toEqual(Array.from(m));
    // Polygons of several parts are merged by union; a 4-number list is a box (frPyObjects rule).
    const parts = decodeMask(
      [
        [0.5, 0.5, 1.5, 0.5, 1.5, 1.5, 0.5, 1.5],
        [1.5, 0.5, 2.5, 0.5, 2.5, 1.5, 1.5, 1.5],
      ],
      3,
      4,
    );
    expect(Array.from(parts)).toEqual(Array.from(mask('....', '.##.', '....')));
    expect(Array.from(decodeMask([[0.5, 0.5, 2, 1]], 3, 4))).toEqual(Array.from(parts));
    expect(segmentationToCounts([], 2, 2)).toEqual([4]);
  });

  it('names the mismatch for wrong sizes and broken values', () => {
    expect(() => decodeMask({ size: [2, 2], counts: [4] }, 3, 4)).toThrow(
      /has size \[2, 2\] but the image is \[3, 4\]/,
    );
    expect(() => decodeMask({ size: [3, 4], counts: [5] }, 3, 4)).toThrow(/sum to 5, expected 3\*4 = 12/);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    expect(() => decodeMask([[1, 'a', 2, 3, 4, 5]] as any, 3, 4)).toThrow(
      /polygon 0 is not a list of finite numbers/,
    );
  });
});
