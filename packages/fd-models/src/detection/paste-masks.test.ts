import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { pasteMasksInImage } from './paste-masks.js';
import { readFixture } from './test-fixtures.js';

function iou(a: Uint8Array, b: ArrayLike<number>): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] > 0;
    const y = b[i] > 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

describe('pasteMasksInImage', () => {
  it('pastes a full mask over its expanded box (hand-checked)', () => {
    // 2x2 mask of ones, box [2, 2, 6, 6]: expanded by 4/2 = 2 around centre 4 -> [0, 0, 8, 8], 9x9 pixels;
    // the zero border fades out, so the centre is 1 and the image corner region far away is 0
    const pasted = pasteMasksInImage(
      new Float32Array(4).fill(1),
      2,
      new Float32Array([2, 2, 6, 6]),
      [10, 10],
    );
    expect(pasted[4 * 10 + 4]).toBe(1);
    expect(pasted[9 * 10 + 9]).toBe(0);
    expect(pasted[0]).toBe(0);
  });

  it('agrees with torchvision paste_masks_in_image thresholded at 0.5 (IoU > 0.99 per mask)', () => {
    const fixture = readFixture('paste_masks');
    const [height, width] = fixture.meta.imageSize as [number, number];
    const pasted = pasteMasksInImage(fixture.float('masks'), 28, fixture.float('boxes'), [height, width]);
    const expected = fixture.float('pasted');
    const cell = height * width;
    for (let d = 0; d < 4; d++) {
      const theirs = Array.from(expected.subarray(d * cell, (d + 1) * cell), (v) => (v > 0.5 ? 1 : 0));
      expect(iou(pasted.subarray(d * cell, (d + 1) * cell), theirs)).toBeGreaterThan(0.99);
    }
  });

  it('handles no detections and rejects a size mismatch', () => {
    expect(pasteMasksInImage(new Float32Array(0), 28, new Float32Array(0), [5, 5]).length).toBe(0);
    expect(() => pasteMasksInImage(new Float32Array(10), 28, new Float32Array(4), [5, 5])).toThrow(
      ArgumentError,
    );
  });
});
