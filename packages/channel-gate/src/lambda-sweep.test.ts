import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLambdaSweepMarkdown, summarizeLambdaSweep, writeLambdaSweep } from './lambda-sweep.js';
import { GateStatistics } from './statistics.js';

// Three channels, two images per run.
const weak = new GateStatistics(3).add([1, 1, 1, 1, 1, 0], 2); // 2.5 channels per image, 3 at >= 0.5
const strong = new GateStatistics(3).add([1, 0, 0, 0, 0, 0], 2); // 0.5 channels per image, 1 at >= 0.5

describe('lambda sweep', () => {
  it('tabulates channels per image against lambda, sorted by lambda', () => {
    const rows = summarizeLambdaSweep([
      { lambda: 0.1, statistics: strong.toJSON(), accuracy: 0.7 },
      { lambda: 0, statistics: weak },
    ]);
    expect(rows).toEqual([
      { lambda: 0, samples: 2, meanChannelsPerImage: 2.5, channelsAboveThreshold: 3, accuracy: null },
      { lambda: 0.1, samples: 2, meanChannelsPerImage: 0.5, channelsAboveThreshold: 1, accuracy: 0.7 },
    ]);
    expect(
      summarizeLambdaSweep([{ lambda: 0, statistics: weak }], { threshold: 1 })[0].channelsAboveThreshold,
    ).toBe(2);
    expect(formatLambdaSweepMarkdown(rows)).toBe(
      [
        '| lambda | channels per image | channels with P(on) >= 0.5 | accuracy | samples |',
        '|---:|---:|---:|---:|---:|',
        '| 0 | 2.50 | 3 | - | 2 |',
        '| 0.1 | 0.50 | 1 | 70.00% | 2 |',
        '',
      ].join('\n'),
    );
  });

  it('writes the table and a JSON document that restores the statistics', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'fdl-sweep-'));
    try {
      const written = await writeLambdaSweep(
        [
          { lambda: 0.5, statistics: strong, accuracy: 0.5 },
          { lambda: 0.01, statistics: weak, accuracy: 0.9 },
        ],
        { directory, basename: 'sweep' },
      );
      expect(written.jsonPath).toBe(join(directory, 'sweep.json'));
      const document = JSON.parse(await readFile(written.jsonPath, 'utf8'));
      expect(document.format).toBe('fdl-lambda-sweep');
      expect(document.rows.map((row: { lambda: number }) => row.lambda)).toEqual([0.01, 0.5]);
      expect(GateStatistics.fromJSON(document.runs[1].statistics).toJSON()).toEqual(strong.toJSON());
      const markdown = await readFile(written.markdownPath, 'utf8');
      expect(markdown).toContain('| 0.01 | 2.50 | 3 | 90.00% | 2 |');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('names argument and value in its errors', () => {
    expect(() => summarizeLambdaSweep([])).toThrow(
      "summarizeLambdaSweep: argument 'results' must be a non-empty array of sweep results",
    );
    expect(() => summarizeLambdaSweep([{ lambda: -1, statistics: weak }])).toThrow(
      "summarizeLambdaSweep: argument 'results[0].lambda' must be a finite number >= 0, got -1",
    );
    expect(() => summarizeLambdaSweep([{ lambda: 0, statistics: weak, accuracy: 90 }])).toThrow(
      "summarizeLambdaSweep: argument 'results[0].accuracy' must be a number in [0, 1], got 90",
    );
  });
});
