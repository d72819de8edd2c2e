import { ArgumentError } from '@fdl/dct-core';

/**
 * COCO run-length encoding, with the exact semantics of the COCO mask API (cocoapi maskApi.c).
 *
 * A mask of `height` x `width` is read in column-major (Fortran) order; `counts` alternate runs of
 * 0s and 1s, starting with 0s (a first count of 0 means the mask starts with a set pixel) and sum to
 * height * width. The compressed form stores the same counts as a string (see `encodeRleString`).
 *
 * Masks in this package are row-major `Uint8Array`s of 0/1: `mask[y * width + x]`.
 */
export interface UncompressedRle {
  /** [height, width] */
  size: [number, number];
  counts: number[];
}

/** The COCO string form of an RLE (what `pycocotools.mask.encode` returns, decoded to text). */
export interface CompressedRle {
  /** [height, width] */
  size: [number, number];
  counts: string;
}

/**
 * Counts to COCO's compressed string: each count (for index > 2, the difference to the count two
 * before) is written as signed 5-bit groups, least significant first, one character `48 + group`
 * per group, bit 0x20 = more groups follow, bit 0x10 of the last group = sign.
 */
export function encodeRleString(counts: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < counts.length; i++) {
    let value = counts[i]!;
    if (i > 2) value -= counts[i - 2]!;
    let more = true;
    while (more) {
      let group = value & 0x1f;
      value >>= 5;
      more = group & 0x10 ? value !== -1 : value !== 0;
      if (more) group |= 0x20;
      text += String.fromCharCode(group + 48);
    }
  }
  return text;
}

/** COCO's compressed string back to counts (inverse of `encodeRleString`). */
export function decodeRleString(text: string): number[] {
  const counts: number[] = [];
  let position = 0;
  while (position < text.length) {
    let value = 0;
    let scale = 1;
    let more = true;
    while (more) {
      if (position >= text.length) {
        throw new ArgumentError('decodeRleString', 'text', `ends inside a count at character ${position}`);
      }
      const group = text.charCodeAt(position) - 48;
      if (group < 0 || group > 63) {
        throw new ArgumentError(
          'decodeRleString',
          'text',
          `has character ${JSON.stringify(text[position])} at ${position}, outside '0'..'o'`,
        );
      }
      value += (group & 0x1f) * scale;
      scale *= 32;
      more = (group & 0x20) !== 0;
      position++;
      // Sign-extend from the last group's bit 0x10.
      if (!more && group & 0x10) value -= scale;
    }
    if (counts.length > 2) value += counts[counts.length - 2]!;
    counts.push(value);
  }
  return counts;
}

/** Column-major counts of a row-major 0/1 mask (nonzero = set), like `rleEncode`. */
export function maskToCounts(mask: Uint8Array, height: number, width: number): number[] {
  checkMaskSize('maskToCounts', mask, height, width);
  const counts: number[] = [];
  let previous = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const value = mask[y * width + x] ? 1 : 0;
      if (value !== previous) {
        counts.push(run);
        run = 0;
        previous = value;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Row-major 0/1 mask of column-major counts; validates that the counts cover height * width exactly. */
export function countsToMask(counts: ArrayLike<number>, height: number, width: number): Uint8Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (!Number.isInteger(count) || count < 0) {
      throw new ArgumentError(
        'countsToMask',
        'counts',
        `has count ${count} at index ${i}; counts must be integers >= 0`,
      );
    }
    total += count;
  }
  if (total !== height * width) {
    throw new ArgumentError(
      'countsToMask',
      'counts',
      `sum to ${total}, expected height*width = ${height}*${width} = ${height * width}`,
    );
  }
  const mask = new Uint8Array(height * width);
  let position = 0;
  for (let i = 0; i < counts.length; i++) {
    const end = position + counts[i]!;
    if (i % 2 === 1) {
      for (let p = position; p < end; p++) {
        const x = (p / height) | 0;
        mask[(p - x * height) * width + x] = 1;
      }
    }
    position = end;
  }
  return mask;
}

/** Number of set pixels (pycocotools `area`): the sum of the odd-indexed counts. */
export function rleArea(counts: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) area += counts[i]!;
  return area;
}

/**
 * Tight box `[x, y, w, h]` of the set pixels (pycocotools `toBbox`): w = xmax - xmin + 1.
 * An empty mask gives [0, 0, 0, 0].
 */
export function rleToBbox(counts: ArrayLike<number>, height: number): [number, number, number, number] {
  const pairs = counts.length - (counts.length % 2);
  let xMin = Number.POSITIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let xMax = -1;
  let yMax = -1;
  let position = 0;
  for (let i = 0; i < pairs; i += 2) {
    const start = position + counts[i]!;
    const length = counts[i + 1]!;
    position = start + length;
    if (length === 0) continue;
    const last = position - 1;
    const xStart = Math.floor(start / height);
    const xEnd = Math.floor(last / height);
    xMin = Math.min(xMin, xStart);
    xMax = Math.max(xMax, xEnd);
    if (xEnd > xStart) {
      // The run wraps into the next column: it covers the bottom of one column and the top of the next.
      yMin = 0;
      yMax = height - 1;
    } else {
      yMin = Math.min(yMin, start - xStart * height);
      yMax = Math.max(yMax, last - xStart * height);
    }
  }
  if (xMax < 0) return [0, 0, 0, 0];
  return [xMin, yMin, xMax - xMin + 1, yMax - yMin + 1];
}

/** Union (or intersection) of masks given as counts, all of the same size (`rleMerge`). */
export function mergeCounts(
  all: readonly ArrayLike<number>[],
  height: number,
  width: number,
  intersect = false,
): number[] {
  if (all.length === 0) return [height * width];
  if (all.length === 1) return Array.from(all[0]!);
  const masks = all.map((counts) => countsToMask(counts, height, width));
  const merged = new Uint8Array(height * width);
  for (let p = 0; p < merged.length; p++) {
    let value = intersect ? 1 : 0;
    for (const mask of masks) value = intersect ? value & mask[p]! : value | mask[p]!;
    merged[p] = value;
  }
  return maskToCounts(merged, height, width);
}

function checkMaskSize(functionName: string, mask: Uint8Array, height: number, width: number): void {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
    throw new ArgumentError(functionName, 'height/width', `must be integers >= 0, got ${height}x${width}`);
  }
  if (mask.length !== height * width) {
    throw new ArgumentError(
      functionName,
      'mask',
      `has ${mask.length} pixels, expected ${height}*${width} = ${height * width}`,
    );
  }
}
