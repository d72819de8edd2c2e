import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { matchPredictions, ROI_MATCHER_OPTIONS, RPN_MATCHER_OPTIONS } from './matcher.js';
import { readFixture } from './test-fixtures.js';

describe('matcher', () => {
  it('labels a hand-checked matrix', () => {
    // 2 gt x 4 predictions
    const quality = new Float32Array([0.9, 0.5, 0.1, 0.2, 0.1, 0.6, 0.25, 0.1]);
    expect([
      ...matchPredictions(quality, 2, { ...RPN_MATCHER_OPTIONS, allowLowQualityMatches: false }),
    ]).toEqual([0, -2, -1, -1]);
    // gt 1's best prediction (index 1, 0.6) is restored
    expect([...matchPredictions(quality, 2, RPN_MATCHER_OPTIONS)]).toEqual([0, 1, -1, -1]);
    expect([...matchPredictions(quality, 2, ROI_MATCHER_OPTIONS)]).toEqual([0, 1, -1, -1]);
  });

  it('equals torchvision Matcher on three settings', () => {
    const fixture = readFixture('matcher');
    const quality = fixture.float('quality');
    expect([...matchPredictions(quality, 6, RPN_MATCHER_OPTIONS)]).toEqual([...fixture.int('rpn')]);
    expect([...matchPredictions(quality, 6, ROI_MATCHER_OPTIONS)]).toEqual([...fixture.int('roi')]);
    const low = { highThreshold: 0.4, lowThreshold: 0.1, allowLowQualityMatches: true };
    expect([...matchPredictions(quality, 6, low)]).toEqual([...fixture.int('low')]);
  });

  it('handles zero predictions and rejects zero ground truths', () => {
    expect(matchPredictions(new Float32Array(0), 3, RPN_MATCHER_OPTIONS).length).toBe(0);
    expect(() => matchPredictions(new Float32Array(0), 0, RPN_MATCHER_OPTIONS)).toThrow(ArgumentError);
  });
});
