import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

interface Stats {
  mean: number[];
  std: number[];
  count: number;
}

describe('docs/examples/selection-normalization.ts', () => {
  it('prints the presets, S vs T selections and statistics with the relations the guide states', async () => {
    const { stdout, result } = await runExample('selection-normalization');
    // The official DCT-24 (kaix90/DCTNet): Y {0-3, 8-11, 16-19, 24-27}, Cb = Cr {0, 1, 8, 9}.
    const y = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
    const dct24 = [...y, ...[0, 1, 8, 9].map((i) => 64 + i), ...[0, 1, 8, 9].map((i) => 128 + i)];
    expect(result.official).toEqual(dct24);
    expect(result.square).toEqual(dct24);
    // Triangle: the first 16 zig-zag positions for Y (all u + v <= 4, then (0, 5)), the first 4 for chroma
    // ((0,0), (0,1), (1,0), (2,0)).
    const triangleY = [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 16, 17, 18, 24, 25, 32];
    const triangleC = [0, 1, 8, 16];
    expect(result.triangle).toEqual([
      ...triangleY,
      ...triangleC.map((i) => 64 + i),
      ...triangleC.map((i) => 128 + i),
    ]);
    expect(stdout).toContain('24T Y channels: Y(0,0) Y(0,1) Y(0,2) Y(0,3) Y(0,4) Y(0,5) Y(1,0)');
    expect(result.custom).toEqual([0, 64, 128]);
    expect(result.cubeShape).toEqual([4, 4, 24]);

    const pooled = result.pooled as Stats;
    const perImage = result.perImageMeans as Stats;
    // 8 images of 4 x 4 blocks: pooled counts coefficients, the official mode counts images.
    expect(pooled.count).toBe(128);
    expect(perImage.count).toBe(8);
    // Equal-sized images: the mean of the per-image means is the pooled mean.
    for (let i = 0; i < 24; i++) expect(perImage.mean[i]).toBeCloseTo(pooled.mean[i], 6);
    // The per-image-means "std" of an AC channel is far smaller than the pooled std (noise averages out).
    const yHorizontal = dct24.indexOf(1);
    expect(perImage.std[yHorizontal]).toBeLessThan(pooled.std[yHorizontal] / 2);
    // Y(0,1) of a horizontal ramp of slope 1.5 per pixel: (1/sqrt 8)(1/2) 8 * 1.5 * sum_n n cos((2n+1) pi/16)
    // = -27.33; the seeded noise moves the mean of 128 blocks by about 1.
    let sum = 0;
    for (let n = 0; n < 8; n++) sum += n * Math.cos(((2 * n + 1) * Math.PI) / 16);
    const rampCoefficient = (1 / Math.sqrt(8)) * 0.5 * 8 * 1.5 * sum;
    expect(rampCoefficient).toBeCloseTo(-27.33, 2);
    expect(Math.abs(pooled.mean[yHorizontal] - rampCoefficient)).toBeLessThan(1.5);
    // After pooled normalization, every channel has mean 0 and std 1 over the set.
    expect(result.largestMean as number).toBeLessThan(1e-5);
    expect(result.largestStdError as number).toBeLessThan(1e-5);
  });
});
