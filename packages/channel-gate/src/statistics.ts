import { ArgumentError } from '@fdl/dct-core';
import type * as tf from '@tensorflow/tfjs-core';
import { GateStatisticsError } from './errors.js';
import { formatShape, requireInteger } from './validate.js';

/** JSON form of {@link GateStatistics} (`GateStatistics.fromJSON` reads it back exactly). */
export interface GateStatisticsJson {
  format: 'fdl-gate-statistics';
  version: 1;
  channels: number;
  /** Number of samples (images) accumulated. */
  samples: number;
  /** Per channel: sum over samples of the mask value (for hard masks, the number of times it was on). */
  selectedSums: number[];
}

/**
 * Streaming per-channel selection frequency over a dataset: feed it the `[batch, C]` masks of each
 * batch, read `frequencies()` (fraction of samples in which each channel was on; for soft masks the
 * mean mask value). Accumulators of shards can be merged; JSON round trip is exact.
 */
export class GateStatistics {
  readonly channels: number;
  private sampleCount = 0;
  private readonly sums: Float64Array;

  constructor(channels: number) {
    requireInteger('GateStatistics', 'channels', channels, 1);
    this.channels = channels;
    this.sums = new Float64Array(channels);
  }

  /** Number of samples accumulated so far. */
  get samples(): number {
    return this.sampleCount;
  }

  /**
   * Adds a batch of masks given as row-major values [batch, C] (`values.length` = batch * C), each in
   * [0, 1]. Returns `this`.
   */
  add(values: ArrayLike<number>, batch: number): this {
    requireInteger('GateStatistics.add', 'batch', batch, 0);
    if (values.length !== batch * this.channels) {
      throw new ArgumentError(
        'GateStatistics.add',
        'values',
        `must hold batch * channels = ${batch} * ${this.channels} = ${batch * this.channels} values, got ${values.length}`,
        { length: values.length, batch, channels: this.channels },
      );
    }
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (!(value >= 0 && value <= 1)) {
        throw new ArgumentError(
          'GateStatistics.add',
          'values',
          `must lie in [0, 1], got ${value} at index ${i}`,
          {
            index: i,
            value,
          },
        );
      }
    }
    for (let n = 0; n < batch; n++) {
      for (let c = 0; c < this.channels; c++) this.sums[c] += values[n * this.channels + c];
    }
    this.sampleCount += batch;
    return this;
  }

  /** Adds a `[batch, C]` mask tensor (reads it asynchronously; the caller keeps ownership). */
  async addMask(mask: tf.Tensor): Promise<this> {
    if (mask.rank !== 2 || mask.shape[1] !== this.channels) {
      throw new ArgumentError(
        'GateStatistics.addMask',
        'mask',
        `must be [batch, ${this.channels}], got shape ${formatShape(mask.shape)}`,
        { shape: mask.shape },
      );
    }
    return this.add(await mask.data(), mask.shape[0]);
  }

  /** Per-channel selection frequency in [0, 1] (all zeros before any sample). */
  frequencies(): Float64Array {
    const result = new Float64Array(this.channels);
    if (this.sampleCount === 0) return result;
    for (let c = 0; c < this.channels; c++) result[c] = this.sums[c] / this.sampleCount;
    return result;
  }

  /** Mean number of channels a sample used (the quantity lambda * sum(gates) penalises). */
  meanChannelsPerSample(): number {
    if (this.sampleCount === 0) return 0;
    return this.sums.reduce((total, sum) => total + sum, 0) / this.sampleCount;
  }

  /** A new accumulator holding both `this` and `other` (same channel count required). */
  merge(other: GateStatistics): GateStatistics {
    if (other.channels !== this.channels) {
      throw new GateStatisticsError(
        `GateStatistics.merge: argument 'other' has ${other.channels} channels, this accumulator has ${this.channels}`,
        { channels: this.channels, otherChannels: other.channels },
      );
    }
    const merged = new GateStatistics(this.channels);
    merged.sampleCount = this.sampleCount + other.sampleCount;
    for (let c = 0; c < this.channels; c++) merged.sums[c] = this.sums[c] + other.sums[c];
    return merged;
  }

  toJSON(): GateStatisticsJson {
    return {
      format: 'fdl-gate-statistics',
      version: 1,
      channels: this.channels,
      samples: this.sampleCount,
      selectedSums: Array.from(this.sums),
    };
  }

  /** Parses {@link GateStatisticsJson} (an object or its JSON text), validating every field. */
  static fromJSON(json: GateStatisticsJson | string): GateStatistics {
    let value: unknown = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new GateStatisticsError(
          `GateStatistics.fromJSON: argument 'json' is not valid JSON (${String(error)})`,
        );
      }
    }
    const record = value as Partial<GateStatisticsJson> | null;
    if (record === null || typeof record !== 'object' || record.format !== 'fdl-gate-statistics') {
      throw new GateStatisticsError(
        `GateStatistics.fromJSON: argument 'json' must have format 'fdl-gate-statistics', got ${JSON.stringify(record?.format)}`,
      );
    }
    if (record.version !== 1) {
      throw new GateStatisticsError(
        `GateStatistics.fromJSON: unsupported version ${JSON.stringify(record.version)}`,
      );
    }
    const channels = record.channels;
    const samples = record.samples;
    const sums = record.selectedSums;
    if (!Number.isInteger(channels) || (channels as number) < 1) {
      throw new GateStatisticsError(
        `GateStatistics.fromJSON: 'channels' must be an integer >= 1, got ${channels}`,
      );
    }
    if (!Number.isInteger(samples) || (samples as number) < 0) {
      throw new GateStatisticsError(
        `GateStatistics.fromJSON: 'samples' must be an integer >= 0, got ${samples}`,
      );
    }
    if (!Array.isArray(sums) || sums.length !== channels) {
      throw new GateStatisticsError(
        `GateStatistics.fromJSON: 'selectedSums' must be an array of ${channels} numbers, got ${Array.isArray(sums) ? `${sums.length} entries` : typeof sums}`,
      );
    }
    const statistics = new GateStatistics(channels as number);
    sums.forEach((sum, c) => {
      // A little slack for soft masks summed in floating point by other writers.
      if (typeof sum !== 'number' || !(sum >= 0 && sum <= (samples as number) * (1 + 1e-9) + 1e-9)) {
        throw new GateStatisticsError(
          `GateStatistics.fromJSON: 'selectedSums[${c}]' must be a number in [0, samples = ${samples}], got ${sum}`,
        );
      }
      statistics.sums[c] = sum;
    });
    statistics.sampleCount = samples as number;
    return statistics;
  }
}
