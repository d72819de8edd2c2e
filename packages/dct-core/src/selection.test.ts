import { describe, expect, it } from 'vitest';
import { channelIndex } from './layout.js';
import {
  componentFrequencies,
  indicesToMask,
  maskToIndices,
  presetSelection,
  resolveSelection,
  squareSelection,
  triangleSelection,
} from './selection.js';

describe('official presets', () => {
  it('lists DCT-24 exactly (Y 4x4, Cb and Cr 2x2)', () => {
    const selection = resolveSelection('DCT-24');
    expect(selection.name).toBe('DCT-24');
    expect(selection.indices).toEqual([
      0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27, 64, 65, 72, 73, 128, 129, 136, 137,
    ]);
    expect(resolveSelection('24').indices).toEqual(selection.indices);
  });
  it('has the documented channel counts and component splits', () => {
    const splits: Record<number, number[]> = {
      6: [4, 1, 1],
      24: [16, 4, 4],
      32: [22, 5, 5],
      48: [32, 8, 8],
      64: [44, 10, 10],
      192: [64, 64, 64],
    };
    for (const [count, split] of Object.entries(splits)) {
      const selection = presetSelection(Number(count));
      expect(selection.indices.length).toBe(Number(count));
      expect(componentFrequencies(selection).map((f) => f.length)).toEqual(split);
    }
    expect(componentFrequencies(presetSelection(32))[0].slice(-3)).toEqual([32, 33, 34]);
    expect(componentFrequencies(presetSelection(64))[1]).toEqual([0, 1, 2, 8, 9, 10, 16, 17, 24, 25]);
  });
});

describe('square and triangle generators', () => {
  it('square of 16 is the 4x4 corner and 24S equals the official DCT-24', () => {
    expect(componentFrequencies(squareSelection({ y: 16, cb: 0, cr: 0 }))[0]).toEqual([
      0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27,
    ]);
    const square = resolveSelection('24S');
    expect(square.name).toBe('24S');
    expect(square.indices).toEqual(presetSelection(24).indices);
  });
  it('triangle takes the first n zig-zag coefficients', () => {
    const triangle = resolveSelection('24T');
    expect(triangle.name).toBe('24T');
    // Y: u + v <= 4 (15 coefficients) plus the next zig-zag one, (0, 5) -> 5.
    expect(componentFrequencies(triangle)[0]).toEqual([
      0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 16, 17, 18, 24, 25, 32,
    ]);
    expect(componentFrequencies(triangle)[1]).toEqual([0, 1, 8, 16]);
    expect(triangleSelection({ y: 3, cb: 1, cr: 0 }).indices).toEqual([0, 1, 8, 64]);
  });
  it('reports bad counts', () => {
    expect(() => squareSelection({ y: 65, cb: 0, cr: 0 })).toThrow(
      "squareSelection: argument 'counts.y' must be an integer 0..64, got 65",
    );
  });
});

describe('custom selections', () => {
  it('accepts index lists and masks and converts between them', () => {
    const fromIndices = resolveSelection([channelIndex(2, 0, 0), 5, 0]);
    expect(fromIndices.indices).toEqual([0, 5, 128]);
    expect(fromIndices.name).toBe('custom-3');
    const mask = indicesToMask([0, 5, 128]);
    expect(mask.filter(Boolean).length).toBe(3);
    expect(mask[128]).toBe(true);
    expect(maskToIndices(mask)).toEqual([0, 5, 128]);
    expect(resolveSelection(mask).indices).toEqual([0, 5, 128]);
    expect(resolveSelection(fromIndices)).toEqual(fromIndices);
    expect(resolveSelection(' all ').indices.length).toBe(192);
  });
  it('reports bad specs', () => {
    expect(() => resolveSelection('25')).toThrow(
      "resolveSelection: argument 'spec' must be a preset name (DCT-6/24/32/48/64/192, 24, 24S, 24T, ...), index list or mask, got '25'",
    );
    expect(() => resolveSelection([1, 1])).toThrow(
      "selectionFromIndices: argument 'indices' must not repeat a channel, got 1 twice",
    );
    expect(() => resolveSelection([192])).toThrow('must hold integers 0..191, got 192');
    expect(() => resolveSelection([true, false])).toThrow(
      "selectionFromMask: argument 'mask' must have 192 booleans, got 2",
    );
    expect(() => resolveSelection([])).toThrow('must select at least one channel');
  });
});
