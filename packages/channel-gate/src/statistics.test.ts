import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GateStatisticsError } from './errors.js';
import { GateStatistics } from './statistics.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GateStatistics', () => {
  it('accumulates per-channel selection frequency over batches', async () => {
    const statistics = new GateStatistics(3);
    expect(Array.from(statistics.frequencies())).toEqual([0, 0, 0]);
    statistics.add([1, 0, 1, 1, 1, 0], 2);
    const mask = tf.tensor2d([[1, 0, 0]]);
    await statistics.addMask(mask);
    mask.dispose();
    expect(statistics.samples).toBe(3);
    expect(Array.from(statistics.frequencies())).toEqual([1, 1 / 3, 1 / 3]);
    expect(statistics.meanChannelsPerSample()).toBeCloseTo(5 / 3, 12);
    statistics.add([], 0);
    expect(statistics.samples).toBe(3);
  });

  it('merges shards into the statistics of the whole set', () => {
    const whole = new GateStatistics(2).add([1, 0, 0, 1, 1, 1, 0.5, 0], 4);
    const first = new GateStatistics(2).add([1, 0, 0, 1], 2);
    const second = new GateStatistics(2).add([1, 1, 0.5, 0], 2);
    const merged = first.merge(second);
    expect(Array.from(merged.frequencies())).toEqual(Array.from(whole.frequencies()));
    expect(merged.samples).toBe(4);
    expect(first.samples).toBe(2);
  });

  it('round-trips through JSON exactly', () => {
    const statistics = new GateStatistics(4).add([1, 0, 0.25, 1, 0, 0, 1, 1], 2);
    const text = JSON.stringify(statistics);
    const restored = GateStatistics.fromJSON(text);
    expect(restored.toJSON()).toEqual(statistics.toJSON());
    expect(GateStatistics.fromJSON(statistics.toJSON()).samples).toBe(2);
    expect(JSON.parse(text)).toEqual({
      format: 'fdl-gate-statistics',
      version: 1,
      channels: 4,
      samples: 2,
      selectedSums: [1, 0, 1.25, 2],
    });
  });

  it('names argument, shape and value in its errors', async () => {
    const statistics = new GateStatistics(3);
    expect(() => statistics.add([1, 0], 1)).toThrow(
      "GateStatistics.add: argument 'values' must hold batch * channels = 1 * 3 = 3 values, got 2",
    );
    expect(() => statistics.add([1, 2, 0], 1)).toThrow(
      "GateStatistics.add: argument 'values' must lie in [0, 1], got 2 at index 1",
    );
    const wrong = tf.zeros([2, 4]);
    await expect(statistics.addMask(wrong)).rejects.toThrow(
      "GateStatistics.addMask: argument 'mask' must be [batch, 3], got shape [2, 4]",
    );
    wrong.dispose();
    expect(() => statistics.merge(new GateStatistics(4))).toThrow(GateStatisticsError);
    expect(() => statistics.merge(new GateStatistics(4))).toThrow(
      "GateStatistics.merge: argument 'other' has 4 channels, this accumulator has 3",
    );
    expect(() => GateStatistics.fromJSON('{"format":"other"}')).toThrow(
      `GateStatistics.fromJSON: argument 'json' must have format 'fdl-gate-statistics', got "other"`,
    );
    expect(() =>
      GateStatistics.fromJSON({
        format: 'fdl-gate-statistics',
        version: 1,
        channels: 2,
        samples: 1,
        selectedSums: [1, 3],
      }),
    ).toThrow("GateStatistics.fromJSON: 'selectedSums[1]' must be a number in [0, samples = 1], got 3");
    expect(() => new GateStatistics(0)).toThrow(
      "GateStatistics: argument 'channels' must be an integer >= 1, got 0",
    );
  });
});
