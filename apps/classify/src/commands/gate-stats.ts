import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  GateStatistics,
  renderGateHeatmapSvg,
  type SelectionCriterion,
  selectionFromGateFrequencies,
} from '@fdl/channel-gate';
import { renderGateHeatmapPng } from '@fdl/channel-gate/png';
import type { ClassifyConfig } from '../config/schema.js';
import { syntheticDataRoot } from '../data/synthetic-data-root.js';
import { openEvaluationData } from '../data/training-data.js';
import { inputError } from '../errors.js';
import { evaluateModel } from '../evaluation/evaluate-model.js';
import { loadTrainedModel } from '../model/load-trained-model.js';
import { selectBackend } from '../runtime/backend.js';

export interface GateStatsCommandOptions {
  weights: string;
  /** Split the statistics are gathered on (default: the run's train split, as the paper). */
  split: string | null;
  /** Keep the `keep` most selected channels. */
  keep: number | null;
  /** Keep channels open at least this often (default 0.5 when `keep` is not given). */
  threshold: number | null;
  /** Output folder (default `<run>/gate-stats`). */
  out: string | null;
  maxSamples: number | null;
  log?: (line: string) => void;
}

/** The static selection file `gate-stats` writes; `--channels <file>` of `train` reads its `indices`. */
export interface SelectionFile {
  format: 'fdl-channel-selection';
  name: string;
  /** Ascending channel indices (channel = component * 64 + u * 8 + v). */
  indices: number[];
  criterion: SelectionCriterion;
  source: string;
  samples: number;
  meanChannelsPerImage: number;
}

export interface GateStatsSummary {
  samples: number;
  meanChannelsPerImage: number;
  selection: SelectionFile;
  files: { statistics: string; heatMapPng: string; heatMapSvg: string; selection: string };
}

/**
 * Runs a gated model over a split, measures how often each DCT channel is switched on, draws the heat
 * map (Y, Cb, Cr 8x8 grids) and derives a static selection for a second, gate-free run.
 */
export async function gateStatsCommand(
  config: ClassifyConfig,
  options: GateStatsCommandOptions,
): Promise<GateStatsSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  await selectBackend(config.backend, { training: false, threads: config.threads, log });
  const loaded = loadTrainedModel(options.weights, { config });
  try {
    if (loaded.channels === null || !loaded.config.gate.enabled) {
      throw inputError(
        `gate-stats: '${options.weights}' was trained without a channel gate (train with --gate)`,
        {
          path: options.weights,
        },
      );
    }
    const dataConfig = config.data.root !== null ? config : loaded.config;
    const root = dataConfig.data.root ?? syntheticDataRoot(loaded.config, log);
    const split = options.split ?? dataConfig.data.trainSplit;
    const data = await openEvaluationData(loaded.config, root, split, loaded.channels);
    let counts: ReturnType<GateStatistics['toJSON']> | null;
    try {
      counts = (
        await evaluateModel(loaded.model, data.batches(), {
          numClasses: loaded.classes.length,
          maxSamples: options.maxSamples,
        })
      ).gateStatistics;
    } finally {
      await data.close();
    }
    if (counts === null || counts.samples === 0)
      throw inputError(`gate-stats: split '${split}' of '${root}' gave no images`);
    const statistics = GateStatistics.fromJSON(counts);
    const frequencies = statistics.frequencies();
    const channelIndices = loaded.channels;
    const criterion: SelectionCriterion =
      options.keep !== null
        ? { kind: 'top-k', count: options.keep }
        : { kind: 'threshold', threshold: options.threshold ?? 0.5 };
    const selection = selectionFromGateFrequencies(frequencies, criterion, { channelIndices });
    const out = resolve(options.out ?? join(resolve(options.weights, '..'), '..', 'gate-stats'));
    mkdirSync(out, { recursive: true });
    const files = {
      statistics: join(out, 'gate-statistics.json'),
      heatMapPng: join(out, 'heatmap.png'),
      heatMapSvg: join(out, 'heatmap.svg'),
      selection: join(out, 'selection.json'),
    };
    writeFileSync(
      files.statistics,
      `${JSON.stringify({ ...statistics.toJSON(), channelIndices, frequencies: Array.from(frequencies) }, null, 2)}\n`,
    );
    writeFileSync(files.heatMapPng, renderGateHeatmapPng(frequencies, { channelIndices }));
    writeFileSync(files.heatMapSvg, renderGateHeatmapSvg(frequencies, { channelIndices }));
    const selectionFile: SelectionFile = {
      format: 'fdl-channel-selection',
      name: selection.name,
      indices: [...selection.indices],
      criterion,
      source: options.weights,
      samples: statistics.samples,
      meanChannelsPerImage: statistics.meanChannelsPerSample(),
    };
    writeFileSync(files.selection, `${JSON.stringify(selectionFile, null, 2)}\n`);
    log(
      `gate statistics over ${statistics.samples} ${split} images: ${statistics.meanChannelsPerSample().toFixed(1)} of ` +
        `${channelIndices.length} channels open per image; selection ${selection.name} keeps ${selection.indices.length}: ` +
        `[${selection.indices.join(', ')}]`,
    );
    log(`wrote ${out}/{gate-statistics.json, heatmap.png, heatmap.svg, selection.json}`);
    return {
      samples: statistics.samples,
      meanChannelsPerImage: statistics.meanChannelsPerSample(),
      selection: selectionFile,
      files,
    };
  } finally {
    loaded.model.dispose();
  }
}
