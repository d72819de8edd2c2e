import { describe, expect, it } from 'vitest';
import {
  nchwToNhwc,
  nhwcToNchw,
  type ParameterKind,
  permuteArray,
  tfShapeOf,
  tfToTorch,
  torchToTf,
} from './layout.js';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('permuteArray', () => {
  it('transposes a 2x3 matrix', () => {
    const { data, shape } = permuteArray(iota(6), [2, 3], [1, 0]);
    expect(shape).toEqual([3, 2]);
    expect(Array.from(data)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('handles empty arrays and size-1 axes', () => {
    expect(permuteArray(new Float32Array(0), [0, 3], [1, 0]).shape).toEqual([3, 0]);
    expect(Array.from(permuteArray(iota(3), [1, 3, 1], [2, 0, 1]).data)).toEqual([0, 1, 2]);
  });
});

describe('torch <-> tfjs parameter layouts', () => {
  it('conv: torch [out, in, kh, kw] value o*100 + i*10 + y*2 + x lands at tfjs [y, x, i, o]', () => {
    const torch = new Float32Array(2 * 3 * 2 * 2);
    for (let o = 0; o < 2; o++)
      for (let i = 0; i < 3; i++)
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 2; x++) torch[((o * 3 + i) * 2 + y) * 2 + x] = o * 100 + i * 10 + y * 2 + x;
    const tfValues = torchToTf('conv', [2, 3, 2, 2], torch);
    expect(tfShapeOf('conv', [2, 3, 2, 2])).toEqual([2, 2, 3, 2]);
    // tfjs index ((y * 2 + x) * 3 + i) * 2 + o
    expect(tfValues[((1 * 2 + 0) * 3 + 2) * 2 + 1]).toBe(100 + 20 + 2);
    expect(tfValues[((0 * 2 + 1) * 3 + 1) * 2 + 0]).toBe(10 + 1);
  });

  it('depthwise / one-output-per-group: torch [G, in/G, kh, kw] flattens to tfjs input channel g*(in/G)+k', () => {
    // G = 2 groups of 3 inputs, 1x1 kernel: channel order is unchanged.
    expect(Array.from(torchToTf('depthwise', [2, 3, 1, 1], iota(6)))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tfShapeOf('depthwise', [2, 3, 1, 1])).toEqual([1, 1, 6, 1]);
    // Depthwise 2 channels, 2x1 kernel: torch [c, 0, y, 0] -> tfjs [y, 0, c, 0].
    expect(Array.from(torchToTf('depthwise', [2, 1, 2, 1], Float32Array.from([10, 11, 20, 21])))).toEqual([
      10, 20, 11, 21,
    ]);
  });

  it('linear: torch [out, in] -> tfjs [in, out]', () => {
    expect(Array.from(torchToTf('linear', [2, 3], iota(6)))).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('round-trips every kind exactly', () => {
    const cases: Array<[ParameterKind, number[]]> = [
      ['conv', [4, 3, 3, 3]],
      ['conv', [5, 2, 1, 1]],
      ['depthwise', [6, 1, 3, 3]],
      ['depthwise', [4, 6, 3, 3]],
      ['linear', [7, 5]],
      ['vector', [9]],
    ];
    for (const [kind, shape] of cases) {
      const values = Float32Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        (_, i) => Math.sin(i) * 1e3,
      );
      expect(Array.from(tfToTorch(kind, shape, torchToTf(kind, shape, values))), kind).toEqual(
        Array.from(values),
      );
    }
  });

  it('NHWC <-> NCHW activations', () => {
    const nhwc = iota(2 * 2 * 3 * 2);
    const nchw = nhwcToNchw(nhwc, [2, 2, 3, 2]);
    // NCHW [n=1, c=1, h=0, w=2] = NHWC [1, 0, 2, 1]
    expect(nchw[((1 * 2 + 1) * 2 + 0) * 3 + 2]).toBe(nhwc[((1 * 2 + 0) * 3 + 2) * 2 + 1]);
    expect(Array.from(nchwToNhwc(nchw, [2, 2, 2, 3]))).toEqual(Array.from(nhwc));
  });
});
