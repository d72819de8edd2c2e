import { describe, expect, it } from 'vitest';
import type { DctCube } from './cube.js';
import { COCO_DCT_STATS, IMAGENET_DCT_STATS } from './data/official-stats.js';
import {
  createStatisticsAccumulator,
  denormalizeCube,
  finalizeStatistics,
  mergeStatistics,
  normalizeCube,
  statsFromJson,
  statsToJson,
} from './normalization.js';
import { seededRandom } from './testing/random.js';

function cubeOf(values: number[][], channelIndices = [0, 64]): DctCube {
  // values[cell][channel]
  return {
    data: Float32Array.from(values.flat()),
    height: 1,
    width: values.length,
    channels: channelIndices.length,
    channelIndices: Int32Array.from(channelIndices),
  };
}

describe('statistics', () => {
  it('pooled: mean and population std over all coefficients', () => {
    const accumulator = createStatisticsAccumulator({ mode: 'pooled', channelIndices: [0, 64] });
    accumulator.add(
      cubeOf([
        [1, 10],
        [3, 10],
      ]),
    );
    accumulator.add(
      cubeOf([
        [5, 40],
        [7, 40],
      ]),
    );
    const stats = accumulator.result();
    expect(stats.mean).toEqual([4, 25]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(stats.std[1]).toBeCloseTo(15, 12);
    expect(stats.count).toBe(4);
  });
  it('per-image-means: the spread of per-image channel means (unbiased, as torch.std)', () => {
    const accumulator = createStatisticsAccumulator({ mode: 'per-image-means', channelIndices: [0, 64] });
    accumulator.add(
      cubeOf([
        [1, 10],
        [3, 10],
      ]),
    );
    accumulator.add(
      cubeOf([
        [5, 40],
        [7, 40],
      ]),
    );
    const stats = accumulator.result();
    expect(stats.mean).toEqual([4, 25]);
    // Image means 2 and 6: sample std sqrt(8); channel 64: 10 and 40 -> sqrt(450).
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(8), 12);
    expect(stats.std[1]).toBeCloseTo(Math.sqrt(450), 12);
    expect(stats.count).toBe(2);
  });
  it('merging two accumulators equals one accumulator over everything', () => {
    const random = seededRandom(21);
    const cubes = Array.from({ length: 7 }, () =>
      cubeOf(Array.from({ length: 5 }, () => [random() * 100 - 50, random() * 3])),
    );
    for (const mode of ['pooled', 'per-image-means'] as const) {
      const whole = createStatisticsAccumulator({ mode, channelIndices: [0, 64] });
      const first = createStatisticsAccumulator({ mode, channelIndices: [0, 64] });
      const second = createStatisticsAccumulator({ mode, channelIndices: [0, 64] });
      cubes.forEach((cube, i) => {
        whole.add(cube);
        (i < 3 ? first : second).add(cube);
      });
      const merged = finalizeStatistics(mergeStatistics(first.state(), second.state()));
      const expected = whole.result();
      for (let i = 0; i < 2; i++) {
        expect(merged.mean[i]).toBeCloseTo(expected.mean[i], 10);
        expect(merged.std[i]).toBeCloseTo(expected.std[i], 10);
      }
    }
  });
  it('reports misuse', () => {
    const accumulator = createStatisticsAccumulator({ mode: 'pooled', channelIndices: [0, 1] });
    expect(() => accumulator.add(cubeOf([[1, 2]]))).toThrow(
      "StatisticsAccumulator.add: argument 'cube' lacks channel 1 that the statistics track",
    );
    expect(() => accumulator.result()).toThrow('finalizeStatistics: needs at least 1 samples, got 0');
    const other = createStatisticsAccumulator({ mode: 'per-image-means', channelIndices: [0, 1] });
    expect(() => mergeStatistics(accumulator.state(), other.state())).toThrow(
      "mergeStatistics: argument 'b' has mode 'per-image-means' but a has 'pooled'",
    );
  });
});

describe('normalizeCube / denormalizeCube', () => {
  const stats = {
    mode: 'pooled' as const,
    channelIndices: [0, 64, 128],
    mean: [10, -2, 0],
    std: [2, 4, 1],
    count: 1,
  };
  it('applies (x - mean) / std by global channel and inverts', () => {
    const cube = cubeOf([
      [12, 2],
      [10, -6],
    ]);
    const normalized = normalizeCube(cube, stats);
    expect(Array.from(normalized.data)).toEqual([1, 1, 0, -1]);
    expect(Array.from(denormalizeCube(normalized, stats).data)).toEqual(Array.from(cube.data));
    expect(() => normalizeCube(cubeOf([[1]], [5]), stats)).toThrow(
      "normalizeCube: argument 'stats' has no entry for channel 5",
    );
    expect(() => normalizeCube(cube, { ...stats, std: [2, 0, 1] })).toThrow(
      'has an unusable entry for channel 64: mean -2, std 0',
    );
  });
  it('round trips through JSON exactly', () => {
    const random = seededRandom(3);
    const precise = { ...stats, mean: [random(), random() * 1e-7, -random() * 1e5], source: 'test' };
    expect(statsFromJson(statsToJson(precise))).toEqual(precise);
    expect(statsFromJson(statsToJson(IMAGENET_DCT_STATS))).toEqual({
      ...IMAGENET_DCT_STATS,
      channelIndices: [...IMAGENET_DCT_STATS.channelIndices],
    });
    expect(() => statsFromJson('{"mode": "pooled"')).toThrow(
      "statsFromJson: argument 'text' is not valid JSON",
    );
  });
});

describe('official statistics', () => {
  it('hold 192 channels with the published values', () => {
    for (const stats of [IMAGENET_DCT_STATS, COCO_DCT_STATS]) {
      expect(stats.mean.length).toBe(192);
      expect(stats.std.length).toBe(192);
      expect(stats.std.every((s) => s > 0)).toBe(true);
      expect(stats.mode).toBe('per-image-means');
    }
    // Spot values from the official files (Y DC, Cb DC, last Cr).
    expect([
      IMAGENET_DCT_STATS.mean[0],
      IMAGENET_DCT_STATS.std[0],
      IMAGENET_DCT_STATS.mean[64],
      IMAGENET_DCT_STATS.std[191],
    ]).toEqual([-88.397, 259.96, -58.709, 0.0096861]);
    expect([
      COCO_DCT_STATS.mean[0],
      COCO_DCT_STATS.std[0],
      COCO_DCT_STATS.mean[128],
      COCO_DCT_STATS.std[191],
    ]).toEqual([-123.44, 168.99, 29.966, 0.0011314]);
  });
});
