import { ArgumentError } from '@fdl/dct-core';
import { GateStatistics, type GateStatisticsJson } from './statistics.js';
import { requireInRange, requireNonNegative } from './validate.js';

/** One run of a lambda sweep: the penalty weight, the gate statistics it produced, optional accuracy. */
export interface LambdaSweepResult {
  lambda: number;
  statistics: GateStatistics | GateStatisticsJson;
  /** Task accuracy in [0, 1] of the run, if measured. */
  accuracy?: number;
}

/** One row of the lambda -> number-of-channels table. */
export interface LambdaSweepRow {
  lambda: number;
  samples: number;
  /** Mean number of channels an image used (sum of the per-channel frequencies). */
  meanChannelsPerImage: number;
  /** Channels selected at least `threshold` of the time (the size of the threshold selection). */
  channelsAboveThreshold: number;
  accuracy: number | null;
}

/** Options of {@link summarizeLambdaSweep} and {@link writeLambdaSweep}. */
export interface LambdaSweepOptions {
  /** Frequency from which a channel counts as used in `channelsAboveThreshold`. */
  threshold?: number;
}

/** Defaults of {@link LambdaSweepOptions}. */
export const LAMBDA_SWEEP_DEFAULTS = Object.freeze({ threshold: 0.5 });

/** Rows of the lambda -> channels relation, sorted by lambda. */
export function summarizeLambdaSweep(
  results: readonly LambdaSweepResult[],
  options: LambdaSweepOptions = {},
): LambdaSweepRow[] {
  const threshold = options.threshold ?? LAMBDA_SWEEP_DEFAULTS.threshold;
  requireInRange('summarizeLambdaSweep', 'options.threshold', threshold, 0, 1);
  if (!Array.isArray(results) || results.length === 0) {
    throw new ArgumentError('summarizeLambdaSweep', 'results', 'must be a non-empty array of sweep results');
  }
  return results
    .map((result, i) => {
      requireNonNegative('summarizeLambdaSweep', `results[${i}].lambda`, result.lambda);
      if (result.accuracy !== undefined) {
        requireInRange('summarizeLambdaSweep', `results[${i}].accuracy`, result.accuracy, 0, 1);
      }
      const statistics =
        result.statistics instanceof GateStatistics
          ? result.statistics
          : GateStatistics.fromJSON(result.statistics);
      const frequencies = statistics.frequencies();
      return {
        lambda: result.lambda,
        samples: statistics.samples,
        meanChannelsPerImage: statistics.meanChannelsPerSample(),
        channelsAboveThreshold: frequencies.filter((frequency: number) => frequency >= threshold).length,
        accuracy: result.accuracy ?? null,
      };
    })
    .sort((a, b) => a.lambda - b.lambda);
}

/** A Markdown table of the rows (lambda, channels per image, channels >= threshold, accuracy, samples). */
export function formatLambdaSweepMarkdown(
  rows: readonly LambdaSweepRow[],
  options: LambdaSweepOptions = {},
): string {
  const threshold = options.threshold ?? LAMBDA_SWEEP_DEFAULTS.threshold;
  const lines = [
    `| lambda | channels per image | channels with P(on) >= ${threshold} | accuracy | samples |`,
    '|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.lambda} | ${row.meanChannelsPerImage.toFixed(2)} | ${row.channelsAboveThreshold} | ${
          row.accuracy === null ? '-' : `${(row.accuracy * 100).toFixed(2)}%`
        } | ${row.samples} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** JSON document of a sweep: the table rows and each run's full statistics. */
export interface LambdaSweepJson {
  format: 'fdl-lambda-sweep';
  version: 1;
  threshold: number;
  rows: LambdaSweepRow[];
  runs: { lambda: number; accuracy: number | null; statistics: GateStatisticsJson }[];
}

/** The JSON document {@link writeLambdaSweep} writes (pure, for callers that store it elsewhere). */
export function lambdaSweepJson(
  results: readonly LambdaSweepResult[],
  options: LambdaSweepOptions = {},
): LambdaSweepJson {
  const threshold = options.threshold ?? LAMBDA_SWEEP_DEFAULTS.threshold;
  const rows = summarizeLambdaSweep(results, { threshold });
  const runs = [...results]
    .sort((a, b) => a.lambda - b.lambda)
    .map((result) => ({
      lambda: result.lambda,
      accuracy: result.accuracy ?? null,
      statistics:
        result.statistics instanceof GateStatistics ? result.statistics.toJSON() : result.statistics,
    }));
  return { format: 'fdl-lambda-sweep', version: 1, threshold, rows, runs };
}

/**
 * Writes `<directory>/<basename>.json` ({@link LambdaSweepJson}) and `<directory>/<basename>.md` (the
 * table) and returns their paths and the rows. Node only (imports node:fs lazily).
 */
export async function writeLambdaSweep(
  results: readonly LambdaSweepResult[],
  target: { directory: string; basename?: string } & LambdaSweepOptions,
): Promise<{ jsonPath: string; markdownPath: string; rows: LambdaSweepRow[] }> {
  const document = lambdaSweepJson(results, target);
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await mkdir(target.directory, { recursive: true });
  const basename = target.basename ?? 'lambda-sweep';
  const jsonPath = join(target.directory, `${basename}.json`);
  const markdownPath = join(target.directory, `${basename}.md`);
  await writeFile(jsonPath, `${JSON.stringify(document, null, 2)}\n`);
  await writeFile(markdownPath, formatLambdaSweepMarkdown(document.rows, { threshold: document.threshold }));
  return { jsonPath, markdownPath, rows: document.rows };
}
