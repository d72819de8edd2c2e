import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { boxArea, boxIou, clipBoxesToImage, gatherRows, removeSmallBoxes, resizeBoxes } from './boxes.js';
import { readFixture } from './test-fixtures.js';

describe('box utilities', () => {
  it('computes hand-checked areas and IoU', () => {
    const a = new Float32Array([0, 0, 2, 2, 1, 1, 3, 3]);
    expect([...boxArea(a)]).toEqual([4, 4]);
    // overlap 1x1 = 1, union 4 + 4 - 1 = 7
    expect(boxIou(a, a)[1]).toBeCloseTo(1 / 7, 7);
    expect(boxIou(a, a)[0]).toBe(1);
  });

  it('matches torchvision box_iou bit for bit', () => {
    const fixture = readFixture('nms');
    const boxes = fixture.float('boxes');
    const iou = boxIou(boxes.subarray(0, 28), boxes.subarray(0, 36));
    expect([...iou]).toEqual([...fixture.float('iou')]);
  });

  it('handles empty inputs and zero-area boxes', () => {
    expect(boxIou(new Float32Array(0), new Float32Array([0, 0, 1, 1])).length).toBe(0);
    expect(Number.isNaN(boxIou(new Float32Array([1, 1, 1, 1]), new Float32Array([1, 1, 1, 1]))[0])).toBe(
      true,
    );
    expect([...removeSmallBoxes(new Float32Array([0, 0, 1, 1, 0, 0, 0.5, 2]), 1)]).toEqual([0]);
  });

  it('clips, gathers and resizes', () => {
    expect([...clipBoxesToImage(new Float32Array([-1, 2, 50, 60]), 40, 30)]).toEqual([0, 2, 30, 40]);
    expect([...gatherRows(new Float32Array([0, 1, 2, 3, 4, 5]), 2, [2, 0])]).toEqual([4, 5, 0, 1]);
    expect([...resizeBoxes(new Float32Array([10, 20, 30, 40]), [100, 50], [200, 25])]).toEqual([
      5, 40, 15, 80,
    ]);
  });

  it('rejects arrays that are not [N, 4]', () => {
    expect(() => boxArea(new Float32Array(5))).toThrow(ArgumentError);
    expect(() => boxArea(new Float32Array(5))).toThrow(
      "boxArea: argument 'boxes' must hold [N, 4] boxes, got length 5",
    );
  });
});
