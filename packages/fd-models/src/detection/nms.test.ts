import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { batchedNms, nms } from './nms.js';
import { readFixture } from './test-fixtures.js';

describe('nms', () => {
  it('suppresses by IoU > threshold in score order (hand-checked)', () => {
    const boxes = new Float32Array([0, 0, 10, 10, 1, 0, 11, 10, 20, 20, 30, 30, 0, 0, 10, 10]);
    // IoU(0,1) = 90 / 110 = 0.818; box 3 duplicates box 0 with a lower score
    expect([...nms(boxes, [0.9, 0.8, 0.7, 0.6], 0.5)]).toEqual([0, 2]);
    expect([...nms(boxes, [0.9, 0.8, 0.7, 0.6], 0.9)]).toEqual([0, 1, 2]);
    // IoU exactly equal to the threshold (2 / 4) does not suppress
    expect([...nms(new Float32Array([0, 0, 3, 1, 1, 0, 4, 1]), [1, 0.5], 0.5)]).toEqual([0, 1]);
    // float32 IoU compared with the double threshold, as torch: fround(1/3) > 1/3 suppresses
    expect([...nms(new Float32Array([0, 0, 2, 1, 1, 0, 3, 1]), [1, 0.5], 1 / 3)]).toEqual([0]);
  });

  it('keeps ties in index order and handles empty input', () => {
    expect([...nms(new Float32Array([0, 0, 1, 1, 5, 5, 6, 6, 9, 9, 10, 10]), [0.5, 0.5, 0.5], 0.5)]).toEqual([
      0, 1, 2,
    ]);
    expect(nms(new Float32Array(0), [], 0.5).length).toBe(0);
    expect(batchedNms(new Float32Array(0), [], [], 0.5).length).toBe(0);
  });

  it('equals torchvision nms / batched_nms keep lists exactly', () => {
    const fixture = readFixture('nms');
    const boxes = fixture.float('boxes');
    const scores = fixture.float('scores');
    for (const threshold of ['0.3', '0.5', '0.7']) {
      expect([...nms(boxes, scores, Number(threshold))]).toEqual([...fixture.int(`keep_${threshold}`)]);
    }
    expect([...batchedNms(boxes, scores, fixture.int('idxs'), 0.5)]).toEqual([
      ...fixture.int('batched_keep_0.5'),
    ]);
    const big = batchedNms(
      fixture.float('big_boxes'),
      fixture.float('big_scores'),
      fixture.int('big_idxs'),
      0.7,
    );
    expect([...big]).toEqual([...fixture.int('big_batched_keep_0.7')]);
  });

  it('names the argument in errors', () => {
    expect(() => nms(new Float32Array(8), [1], 0.5)).toThrow(ArgumentError);
    expect(() => nms(new Float32Array(8), [1], 0.5)).toThrow(
      "nms: argument 'scores' must have one score per box (2), got 1",
    );
  });
});
