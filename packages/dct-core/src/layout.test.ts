import { describe, expect, it } from 'vitest';
import {
  blocksToPlane,
  channelFrequency,
  channelIndex,
  channelName,
  concatenateComponents,
  NATURAL_TO_ZIGZAG,
  naturalToZigzag,
  planeToBlocks,
  splitComponents,
  ZIGZAG_TO_NATURAL,
  zigzagToNatural,
} from './layout.js';
import { seededRandom } from './testing/random.js';

describe('channelIndex', () => {
  it('is component * 64 + u * 8 + v with u vertical', () => {
    expect(channelIndex(0, 0, 0)).toBe(0);
    expect(channelIndex(0, 0, 1)).toBe(1);
    expect(channelIndex(0, 1, 0)).toBe(8);
    expect(channelIndex(1, 0, 0)).toBe(64);
    expect(channelIndex(2, 7, 7)).toBe(191);
    expect(channelFrequency(137)).toEqual({ component: 2, u: 1, v: 1, frequency: 9 });
    expect(channelName(65)).toBe('Cb(0,1)');
  });
  it('round trips through channelFrequency for all 192 channels', () => {
    for (let channel = 0; channel < 192; channel++) {
      const { component, u, v } = channelFrequency(channel);
      expect(channelIndex(component, u, v)).toBe(channel);
    }
  });
  it('names the argument and value on errors', () => {
    expect(() => channelIndex(3, 0, 0)).toThrow(
      "channelIndex: argument 'component' must be 0, 1 or 2, got 3",
    );
    expect(() => channelIndex(0, 8, 0)).toThrow("channelIndex: argument 'u' must be 0..7, got 8");
    expect(() => channelFrequency(192)).toThrow('must be an integer in 0..191, got 192');
  });
});

describe('zig-zag', () => {
  it('matches the JPEG scan order start and end', () => {
    expect(ZIGZAG_TO_NATURAL.slice(0, 10)).toEqual([0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
    // libjpeg's jpeg_natural_order ends ..., 61, 54, 47, 55, 62, 63.
    expect(ZIGZAG_TO_NATURAL.slice(58)).toEqual([61, 54, 47, 55, 62, 63]);
    expect(ZIGZAG_TO_NATURAL[63]).toBe(63);
    expect(new Set(ZIGZAG_TO_NATURAL).size).toBe(64);
    for (let k = 0; k < 64; k++) expect(NATURAL_TO_ZIGZAG[ZIGZAG_TO_NATURAL[k]]).toBe(k);
  });
  it('reorders and restores exactly', () => {
    const natural = Float32Array.from({ length: 64 }, (_, k) => k * 1.5);
    expect(zigzagToNatural(naturalToZigzag(natural))).toEqual(natural);
    expect(naturalToZigzag(natural)[2]).toBe(12);
    expect(() => naturalToZigzag(new Float32Array(63))).toThrow(
      "naturalToZigzag: argument 'natural' must have 64 values, got 63",
    );
  });
});

describe('plane <-> blocks <-> cube layout', () => {
  it('puts pixel (r, c) of block (by, bx) at [by, bx, r * 8 + c]', () => {
    const plane = Float32Array.from({ length: 16 * 8 }, (_, i) => i);
    const blocks = planeToBlocks(plane, 8, 16);
    // Block (0, 1), pixel (2, 3) is plane[2 * 16 + 8 + 3].
    expect(blocks[64 + 2 * 8 + 3]).toBe(2 * 16 + 11);
  });
  it('round trips exactly', () => {
    const random = seededRandom(7);
    const plane = Float32Array.from({ length: 24 * 40 }, () => random() * 255);
    expect(blocksToPlane(planeToBlocks(plane, 24, 40), 3, 5)).toEqual(plane);
    const parts = [0, 1, 2].map((c) => Float32Array.from({ length: 2 * 3 * 64 }, (_, i) => c * 1000 + i));
    const cube = concatenateComponents(parts, 2, 3);
    expect(cube.length).toBe(2 * 3 * 192);
    expect(cube[192 + channelIndex(1, 0, 5)]).toBe(1000 + 64 + 5);
    expect(splitComponents(cube, 2, 3)).toEqual(parts);
  });
  it('handles empty planes and reports wrong shapes', () => {
    expect(planeToBlocks(new Float32Array(0), 0, 0).length).toBe(0);
    expect(() => planeToBlocks(new Float32Array(9 * 8), 9, 8)).toThrow(
      "planeToBlocks: argument 'plane' must be [H, W] with H, W multiples of 8 and length H*W, got 9x8 with length 72",
    );
    expect(() => splitComponents(new Float32Array(10), 1, 1)).toThrow(
      'must be [1, 1, 192] (length 192), got length 10',
    );
  });
});
