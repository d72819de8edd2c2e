import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { decodeBoxes, encodeBoxes, ROI_BOX_CODER_OPTIONS, RPN_BOX_CODER_OPTIONS } from './box-coder.js';
import { maxAbsDifference, readFixture } from './test-fixtures.js';

describe('box coder', () => {
  it('encodes a hand-checked case', () => {
    // reference centre (5, 5) size 10; target centre (7, 5) size 20x10
    const codes = encodeBoxes(
      new Float32Array([-3, 0, 17, 10]),
      new Float32Array([0, 0, 10, 10]),
      RPN_BOX_CODER_OPTIONS,
    );
    expect(codes[0]).toBeCloseTo(0.2, 6);
    expect(codes[1]).toBe(0);
    expect(codes[2]).toBeCloseTo(Math.log(2), 6);
    expect(codes[3]).toBe(0);
  });

  it('matches torchvision encode/decode within 1e-4 (including the clamp)', () => {
    const fixture = readFixture('box_coder');
    const proposals = fixture.float('proposals');
    for (const [name, options] of [
      ['rpn', RPN_BOX_CODER_OPTIONS],
      ['roi', ROI_BOX_CODER_OPTIONS],
    ] as const) {
      expect(
        maxAbsDifference(
          encodeBoxes(fixture.float('gt'), proposals, options),
          fixture.float(`${name}.encoded`),
        ),
      ).toBeLessThan(1e-4);
      const decoded = decodeBoxes(fixture.float(`${name}.codes`), proposals, options);
      const expected = fixture.float(`${name}.decoded`);
      for (let i = 0; i < decoded.length; i++) {
        expect(Math.abs(decoded[i] - expected[i])).toBeLessThanOrEqual(
          1e-4 * Math.max(1, Math.abs(expected[i])),
        );
      }
    }
  });

  it('round-trips and handles empty input', () => {
    const references = new Float32Array([1, 2, 30, 40, 5, 5, 6, 9]);
    const targets = new Float32Array([3, 1, 20, 44, 4, 4, 8, 8]);
    const decoded = decodeBoxes(
      encodeBoxes(targets, references, ROI_BOX_CODER_OPTIONS),
      references,
      ROI_BOX_CODER_OPTIONS,
    );
    expect(maxAbsDifference(decoded, targets)).toBeLessThan(1e-4);
    expect(decodeBoxes(new Float32Array(0), new Float32Array(0), ROI_BOX_CODER_OPTIONS).length).toBe(0);
  });

  it('rejects mismatched inputs', () => {
    expect(() => decodeBoxes(new Float32Array(6), new Float32Array(4), RPN_BOX_CODER_OPTIONS)).toThrow(
      ArgumentError,
    );
    expect(() => encodeBoxes(new Float32Array(8), new Float32Array(4), RPN_BOX_CODER_OPTIONS)).toThrow(
      "encodeBoxes: argument 'references' must have 2 boxes like targets, got 1",
    );
  });
});
