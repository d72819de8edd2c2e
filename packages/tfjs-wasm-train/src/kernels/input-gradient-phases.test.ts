import { describe, expect, it } from 'vitest';
import { axisPhases } from './input-gradient-phases.js';

describe('axisPhases', () => {
  it('splits a stride-2, 3-tap, pad-1 axis into its two residue classes (hand-checked)', () => {
    // Input h = 2*o + i - 1. Even h = 2q: only tap 1, at o = q. Odd h = 2q + 1: taps 2 (o = q) and 0
    // (o = q + 1), ordered by increasing offset.
    expect(axisPhases(5, 3, 2, 1, 1)).toEqual([
      { residue: 0, length: 3, taps: [1], dilation: 1, firstOffset: 0 },
      { residue: 1, length: 2, taps: [2, 0], dilation: 1, firstOffset: 0 },
    ]);
  });

  it('is the flipped full filter for stride 1', () => {
    expect(axisPhases(4, 3, 1, 2, 2)).toEqual([
      { residue: 0, length: 4, taps: [2, 1, 0], dilation: 2, firstOffset: -2 },
    ]);
  });

  it('leaves classes no tap reaches empty and omits classes with no positions', () => {
    // 1x1, stride 3, pad 0: only h = 3o receives gradient.
    expect(axisPhases(2, 1, 3, 1, 0)).toEqual([
      { residue: 0, length: 1, taps: [0], dilation: 1, firstOffset: 0 },
      { residue: 1, length: 1, taps: [], dilation: 1, firstOffset: 0 },
    ]);
  });
});
