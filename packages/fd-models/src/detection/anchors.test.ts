import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { anchorsPerLocation, cellAnchors, generateAnchors } from './anchors.js';
import { readFixture } from './test-fixtures.js';

describe('anchors', () => {
  it('builds hand-checked cell anchors', () => {
    // ratio 1, size 32: a 32x32 square centred on 0
    expect([...cellAnchors([32], [1])]).toEqual([-16, -16, 16, 16]);
    // ratio 0.5: w = 32 * sqrt(2) = 45.25 -> half 22.6 -> 23; h = 22.6 -> half 11.3 -> 11
    expect([...cellAnchors([32], [0.5])]).toEqual([-23, -11, 23, 11]);
    expect(anchorsPerLocation()).toEqual([3, 3, 3, 3, 3]);
  });

  it('equals torchvision AnchorGenerator exactly (cells, strides, ordering)', () => {
    const fixture = readFixture('anchors');
    const sizes = fixture.meta.featureSizes as [number, number][];
    const anchors = generateAnchors([70, 100], sizes);
    for (let level = 0; level < 5; level++) {
      expect([...cellAnchors([32 * 2 ** level], [0.5, 1, 2])]).toEqual([
        ...fixture.float(`cell_anchors.${level}`),
      ]);
    }
    expect(anchors.length).toBe(fixture.float('anchors').length);
    expect([...anchors]).toEqual([...fixture.float('anchors')]);
  });

  it('handles a 1x1 level and rejects a wrong level count', () => {
    const one = generateAnchors([32, 32], [[1, 1]], { sizes: [[8]], aspectRatios: [[1]] });
    expect([...one]).toEqual([-4, -4, 4, 4]);
    expect(() => generateAnchors([32, 32], [[1, 1]])).toThrow(ArgumentError);
    expect(() => generateAnchors([32, 32], [[1, 1]])).toThrow(
      'must have one entry per anchor level (5), got 1',
    );
  });
});
