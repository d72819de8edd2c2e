import type { DctCube } from './cube.js';
import { validateDctCube } from './cube.js';
import { ArgumentError, FdlError } from './errors.js';
import { FULL_CHANNEL_COUNT } from './layout.js';

/**
 * `pooled`: mean and std over every coefficient of every image (Welford per channel, Chan merge).
 * `per-image-means`: the official DCTNet statistic: each image contributes its per-channel mean, and
 * mean/std are taken over those per-image means (so AC "std" is small: it is not a pixel spread).
 */
export type NormalizationMode = 'pooled' | 'per-image-means';

/** Per-channel statistics; `mean[i]`, `std[i]` belong to global channel `channelIndices[i]`. */
export interface NormalizationStats {
  mode: NormalizationMode;
  channelIndices: readonly number[];
  mean: readonly number[];
  std: readonly number[];
  /** Samples behind the numbers (coefficients per channel when pooled, images otherwise); 0 if unknown. */
  count: number;
  /** Where the numbers come from. */
  source?: string;
}

/** Mergeable running state: per channel count, mean and sum of squared deviations (M2). */
export interface StatisticsState {
  mode: NormalizationMode;
  channelIndices: readonly number[];
  count: number;
  mean: Float64Array;
  m2: Float64Array;
}

export interface StatisticsAccumulatorOptions {
  mode: NormalizationMode;
  /** Channels to track (default all 192); cubes added must hold all of them. */
  channelIndices?: readonly number[];
}

export interface StatisticsAccumulator {
  /** Adds one image's cube. */
  add(cube: DctCube): void;
  /** The current mergeable state (a copy). */
  state(): StatisticsState;
  /** Mean and std so far. `unbiased` divides M2 by n - 1 (default: false pooled, true per-image-means). */
  result(options?: { unbiased?: boolean; source?: string }): NormalizationStats;
}

const ALL = Object.freeze(Array.from({ length: FULL_CHANNEL_COUNT }, (_, i) => i));

function emptyState(mode: NormalizationMode, channelIndices: readonly number[]): StatisticsState {
  return {
    mode,
    channelIndices,
    count: 0,
    mean: new Float64Array(channelIndices.length),
    m2: new Float64Array(channelIndices.length),
  };
}

/** Chan et al. parallel update: combines (nA, meanA, M2A) and (nB, meanB, M2B) per channel. */
function combineInto(
  target: StatisticsState,
  count: number,
  mean: ArrayLike<number>,
  m2: ArrayLike<number>,
): void {
  if (count === 0) return;
  const total = target.count + count;
  for (let i = 0; i < target.mean.length; i++) {
    const delta = mean[i] - target.mean[i];
    target.mean[i] += (delta * count) / total;
    target.m2[i] += m2[i] + (delta * delta * target.count * count) / total;
  }
  target.count = total;
}

/** A streaming accumulator of per-channel statistics over cubes, in either mode. */
export function createStatisticsAccumulator(options: StatisticsAccumulatorOptions): StatisticsAccumulator {
  const mode = options?.mode;
  if (mode !== 'pooled' && mode !== 'per-image-means') {
    throw new ArgumentError(
      'createStatisticsAccumulator',
      'options.mode',
      `must be 'pooled' or 'per-image-means', got ${String(mode)}`,
    );
  }
  const channelIndices = Object.freeze([...(options.channelIndices ?? ALL)]);
  const state = emptyState(mode, channelIndices);
  const count = channelIndices.length;
  return {
    add(cube: DctCube) {
      validateDctCube('StatisticsAccumulator.add', cube);
      const position = new Map<number, number>();
      cube.channelIndices.forEach((channel, i) => {
        position.set(channel, i);
      });
      const columns = channelIndices.map((channel) => {
        const at = position.get(channel);
        if (at === undefined) {
          throw new ArgumentError(
            'StatisticsAccumulator.add',
            'cube',
            `lacks channel ${channel} that the statistics track`,
          );
        }
        return at;
      });
      const cells = cube.height * cube.width;
      if (cells === 0) return;
      // Two-pass mean and M2 of this image (stable), then one Chan merge.
      const mean = new Float64Array(count);
      const m2 = new Float64Array(count);
      const { data, channels } = cube;
      for (let cell = 0; cell < cells; cell++) {
        const base = cell * channels;
        for (let i = 0; i < count; i++) mean[i] += data[base + columns[i]];
      }
      for (let i = 0; i < count; i++) mean[i] /= cells;
      if (mode === 'per-image-means') {
        combineInto(state, 1, mean, new Float64Array(count));
        return;
      }
      for (let cell = 0; cell < cells; cell++) {
        const base = cell * channels;
        for (let i = 0; i < count; i++) {
          const d = data[base + columns[i]] - mean[i];
          m2[i] += d * d;
        }
      }
      combineInto(state, cells, mean, m2);
    },
    state() {
      return { ...state, mean: state.mean.slice(), m2: state.m2.slice() };
    },
    result(resultOptions = {}) {
      return finalizeStatistics(this.state(), resultOptions);
    },
  };
}

/** Merges two states of the same mode and channels (e.g. from two workers); order does not matter. */
export function mergeStatistics(a: StatisticsState, b: StatisticsState): StatisticsState {
  if (a.mode !== b.mode)
    throw new ArgumentError('mergeStatistics', 'b', `has mode '${b.mode}' but a has '${a.mode}'`);
  if (
    a.channelIndices.length !== b.channelIndices.length ||
    a.channelIndices.some((c, i) => c !== b.channelIndices[i])
  ) {
    throw new ArgumentError('mergeStatistics', 'b', 'tracks different channels than a');
  }
  const out: StatisticsState = { ...a, mean: a.mean.slice(), m2: a.m2.slice() };
  combineInto(out, b.count, b.mean, b.m2);
  return out;
}

/** Mean and std from a state. `unbiased` (n - 1) defaults to true for per-image-means, false for pooled. */
export function finalizeStatistics(
  state: StatisticsState,
  options: { unbiased?: boolean; source?: string } = {},
): NormalizationStats {
  const unbiased = options.unbiased ?? state.mode === 'per-image-means';
  const divisor = unbiased ? state.count - 1 : state.count;
  if (divisor <= 0) {
    throw new FdlError(
      'E_STATISTICS',
      `finalizeStatistics: needs at least ${unbiased ? 2 : 1} samples, got ${state.count}`,
      { count: state.count },
    );
  }
  const stats: NormalizationStats = {
    mode: state.mode,
    channelIndices: [...state.channelIndices],
    mean: Array.from(state.mean),
    std: Array.from(state.m2, (m2) => Math.sqrt(m2 / divisor)),
    count: state.count,
  };
  if (options.source !== undefined) stats.source = options.source;
  return stats;
}

function lookup(
  functionName: string,
  cube: DctCube,
  stats: NormalizationStats,
): { mean: Float32Array; scale: Float32Array } {
  validateDctCube(functionName, cube);
  validateStats(functionName, stats);
  const position = new Map<number, number>();
  stats.channelIndices.forEach((channel, i) => {
    position.set(channel, i);
  });
  const mean = new Float32Array(cube.channels);
  const scale = new Float32Array(cube.channels);
  cube.channelIndices.forEach((channel, i) => {
    const at = position.get(channel);
    if (at === undefined)
      throw new ArgumentError(functionName, 'stats', `has no entry for channel ${channel}`);
    mean[i] = stats.mean[at];
    scale[i] = stats.std[at];
  });
  return { mean, scale };
}

/** (x - mean) / std per channel, returning a new cube. Channels are matched by global index. */
export function normalizeCube(cube: DctCube, stats: NormalizationStats): DctCube {
  const { mean, scale } = lookup('normalizeCube', cube, stats);
  const inverse = scale.map((s) => 1 / s);
  const out = new Float32Array(cube.data.length);
  const { channels, data } = cube;
  for (let base = 0; base < data.length; base += channels) {
    for (let i = 0; i < channels; i++) out[base + i] = (data[base + i] - mean[i]) * inverse[i];
  }
  return { ...cube, data: out, channelIndices: cube.channelIndices.slice() };
}

/** In place version of `normalizeCube` (used by the sample transform to avoid a copy). */
export function normalizeCubeInPlace(cube: DctCube, stats: NormalizationStats): DctCube {
  const { mean, scale } = lookup('normalizeCubeInPlace', cube, stats);
  const inverse = scale.map((s) => 1 / s);
  const { channels, data } = cube;
  for (let base = 0; base < data.length; base += channels) {
    for (let i = 0; i < channels; i++) data[base + i] = (data[base + i] - mean[i]) * inverse[i];
  }
  return cube;
}

/** x * std + mean per channel: the inverse of `normalizeCube`. */
export function denormalizeCube(cube: DctCube, stats: NormalizationStats): DctCube {
  const { mean, scale } = lookup('denormalizeCube', cube, stats);
  const out = new Float32Array(cube.data.length);
  const { channels, data } = cube;
  for (let base = 0; base < data.length; base += channels) {
    for (let i = 0; i < channels; i++) out[base + i] = data[base + i] * scale[i] + mean[i];
  }
  return { ...cube, data: out, channelIndices: cube.channelIndices.slice() };
}

/** Throws unless stats are consistent: same-length arrays, channels 0..191, positive finite std. */
export function validateStats(functionName: string, stats: NormalizationStats, argumentName = 'stats'): void {
  if (
    stats === null ||
    typeof stats !== 'object' ||
    !Array.isArray(stats.mean) ||
    !Array.isArray(stats.std) ||
    !Array.isArray(stats.channelIndices)
  ) {
    throw new ArgumentError(
      functionName,
      argumentName,
      'must be NormalizationStats {mode, channelIndices, mean, std, count}',
    );
  }
  const n = stats.channelIndices.length;
  if (stats.mean.length !== n || stats.std.length !== n) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `has ${n} channels but ${stats.mean.length} means and ${stats.std.length} stds`,
    );
  }
  if (stats.mode !== 'pooled' && stats.mode !== 'per-image-means') {
    throw new ArgumentError(
      functionName,
      `${argumentName}.mode`,
      `must be 'pooled' or 'per-image-means', got ${String(stats.mode)}`,
    );
  }
  stats.channelIndices.forEach((channel, i) => {
    if (!Number.isInteger(channel) || channel < 0 || channel >= FULL_CHANNEL_COUNT) {
      throw new ArgumentError(
        functionName,
        `${argumentName}.channelIndices`,
        `must hold channels 0..191, got ${channel}`,
      );
    }
    if (!(stats.std[i] > 0) || !Number.isFinite(stats.std[i]) || !Number.isFinite(stats.mean[i])) {
      throw new ArgumentError(
        functionName,
        argumentName,
        `has an unusable entry for channel ${channel}: mean ${stats.mean[i]}, std ${stats.std[i]}`,
      );
    }
  });
}

/** Serializes stats as JSON (plain numbers; round trips exactly through `statsFromJson`). */
export function statsToJson(stats: NormalizationStats): string {
  validateStats('statsToJson', stats);
  const plain: NormalizationStats = {
    mode: stats.mode,
    channelIndices: [...stats.channelIndices],
    mean: [...stats.mean],
    std: [...stats.std],
    count: stats.count,
  };
  if (stats.source !== undefined) plain.source = stats.source;
  return JSON.stringify(plain);
}

/** Parses and validates stats written by `statsToJson`. */
export function statsFromJson(text: string): NormalizationStats {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ArgumentError('statsFromJson', 'text', `is not valid JSON: ${(error as Error).message}`);
  }
  const stats = parsed as NormalizationStats;
  validateStats('statsFromJson', stats, 'text');
  return stats;
}
