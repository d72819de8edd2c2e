import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finalizeStatistics, mergeStatistics } from '@fdl/dct-core';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openImageFolder } from './folder/image-folder.js';
import { computeDatasetStatistics } from './statistics.js';

const root = mkdtempSync(join(tmpdir(), 'fdl-statistics-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Constant grey images (lossless PNG): Y DC = 8 * (grey - 128), every AC and chroma coefficient 0.
const greys = [100, 120, 128, 150, 170, 200];
mkdirSync(join(root, 'c'));
greys.forEach((grey, i) => {
  const png = new PNG({ width: 12, height: 9 });
  for (let p = 0; p < 12 * 9; p++) png.data.set([grey, grey, grey, 255], p * 4);
  writeFileSync(join(root, 'c', `${i}.png`), PNG.sync.write(png));
});
const dataset = openImageFolder(root);
const pipeline = { size: 16, resize: 16, selection: 'DCT-6' };

describe('computeDatasetStatistics', () => {
  const dc = greys.map((g) => 8 * (g - 128));
  const mean = dc.reduce((a, b) => a + b, 0) / dc.length;
  const variance = (divisor: number) => dc.reduce((a, b) => a + (b - mean) ** 2, 0) / divisor;

  it('computes the official per-image-means statistic (unbiased std of image means)', async () => {
    const { stats, report } = await computeDatasetStatistics(dataset, { mode: 'per-image-means', pipeline });
    expect(stats.channelIndices).toEqual([0, 1, 8, 9, 64, 128]);
    expect(stats.mean[0]).toBeCloseTo(mean, 3);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(variance(greys.length - 1)), 3);
    for (let c = 1; c < 6; c++) expect(Math.abs(stats.mean[c]!)).toBeLessThan(1e-3);
    expect(report.processed).toBe(6);
  });

  it('pooled mode over every coefficient, and shards merge to the same numbers', async () => {
    const whole = await computeDatasetStatistics(dataset, { mode: 'pooled', pipeline });
    // 4 cells per image, all equal within an image: pooled population variance = variance of image DCs.
    expect(whole.stats.mean[0]).toBeCloseTo(mean, 3);
    expect(whole.stats.std[0]).toBeCloseTo(Math.sqrt(variance(greys.length)), 3);
    const shards = await Promise.all(
      [0, 1].map((rank) =>
        computeDatasetStatistics(dataset, { mode: 'pooled', pipeline, rank, worldSize: 2, workers: rank }),
      ),
    );
    const merged = finalizeStatistics(mergeStatistics(shards[0]!.state, shards[1]!.state));
    for (let c = 0; c < 6; c++) {
      expect(merged.mean[c]).toBeCloseTo(whole.stats.mean[c]!, 6);
      expect(merged.std[c]).toBeCloseTo(whole.stats.std[c]!, 6);
    }
  });

  it('takes a seeded subset with limit and validates its options', async () => {
    const subset = await computeDatasetStatistics(dataset, {
      mode: 'per-image-means',
      pipeline,
      limit: 3,
      seed: 4,
    });
    expect(subset.state.count).toBe(3);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    await expect(computeDatasetStatistics(dataset, { mode: 'median' as any })).rejects.toThrow(
      /computeDatasetStatistics: argument 'options.mode' must be 'pooled' or 'per-image-means', got median/,
    );
    await expect(computeDatasetStatistics(dataset, { mode: 'pooled', limit: 0 })).rejects.toThrow(
      /positive integer, got 0/,
    );
  });
});
