import { describe, expect, it } from 'vitest';
import { downsamplePlane2x2, upsamplePlane2x, upscaledChromaFilter } from './chroma.js';
import { seededRandom } from './testing/random.js';

describe('chroma resampling', () => {
  it('upsamples 2x with 1/4, 3/4 weights and clamped edges', () => {
    expect(Array.from(upsamplePlane2x(Float32Array.of(0, 100), 2, 1))).toEqual([
      0, 25, 75, 100, 0, 25, 75, 100,
    ]);
  });
  it('fuses upscale 2x + 2x2 mean into the [1, 6, 1] / 8 filter exactly', () => {
    const random = seededRandom(17);
    const width = 13;
    const height = 9;
    const plane = Float32Array.from({ length: width * height }, () => random() * 255);
    const fused = upscaledChromaFilter(plane, width, height);
    const literal = downsamplePlane2x2(upsamplePlane2x(plane, width, height), width * 2, height * 2);
    for (let i = 0; i < fused.length; i++) expect(Math.abs(fused[i] - literal[i])).toBeLessThan(1e-4);
    expect(upscaledChromaFilter(Float32Array.of(0, 80, 0), 3, 1)[1]).toBe(60);
  });
  it('downsamples by 2x2 means with libjpeg-style edge padding', () => {
    expect(Array.from(downsamplePlane2x2(Float32Array.of(1, 3, 5, 7, 9, 11), 3, 2))).toEqual([5, 8]);
    expect(Array.from(downsamplePlane2x2(Float32Array.of(1, 3, 5), 3, 1, 3))).toEqual([2, 5, 5]);
    expect(() => downsamplePlane2x2(Float32Array.of(1, 3, 5), 3, 1, 1)).toThrow(
      "downsamplePlane2x2: argument 'outputWidth' must be an integer >= ceil(width / 2) = 2, got 1",
    );
    expect(() => upsamplePlane2x(new Float32Array(3), 2, 2)).toThrow(
      "upsamplePlane2x: argument 'plane' must be a Float32Array of 2x2 = 4 samples, got length 3",
    );
  });
});
