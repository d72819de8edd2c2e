import { writeFileSync } from 'node:fs';
import { IMAGENET_RGB_MEAN, IMAGENET_RGB_STD } from '@fdl/datasets';
import {
  createStatisticsAccumulator,
  type NormalizationMode,
  type NormalizationStats,
  statsToJson,
} from '@fdl/dct-core';
import { resolveConfig } from '../config/load-config.js';
import type { ClassifyConfig } from '../config/schema.js';
import { syntheticDataRoot } from '../data/synthetic-data-root.js';
import { openEvaluationData } from '../data/training-data.js';
import { resolveChannels } from '../model/load-trained-model.js';

export interface StatsCommandOptions {
  split?: string | null;
  /** Output JSON file; the DCT form is what `--normalization <file>` reads. */
  out?: string | null;
  method: NormalizationMode;
  maxSamples: number | null;
  log?: (line: string) => void;
}

export interface StatsSummary {
  mode: 'rgb' | 'dct';
  split: string;
  images: number;
  stats: NormalizationStats;
  /** For RGB: channel names of mean/std (values in [0, 1] pixel units). */
  channelNames: string[] | null;
  file: string | null;
}

/**
 * Per-channel normalization statistics of a split, with the evaluation transform (resize + centre crop)
 * and no normalization applied: DCT coefficients for the selected channels (`--channels all` for all
 * 192), or RGB pixel values in [0, 1]. `pooled` is Welford over every value; `per-image-means` is the
 * official DCTNet statistic (spread of per-image channel means).
 */
export async function statsCommand(
  config: ClassifyConfig,
  options: StatsCommandOptions,
): Promise<StatsSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const raw = resolveConfig([config as never, { input: { normalization: 'none' } }], 'stats config');
  const root = raw.data.root ?? syntheticDataRoot(raw, log);
  const split = options.split ?? raw.data.trainSplit;
  const channels = resolveChannels(raw);
  const dct = channels !== null;
  const data = await openEvaluationData(raw, root, split, channels);
  const accumulator = createStatisticsAccumulator({
    mode: options.method,
    channelIndices: dct ? channels : [0, 1, 2],
  });
  let images = 0;
  try {
    for await (const batch of data.batches()) {
      const [n, height, width, depth] = batch.shape;
      const per = height * width * depth;
      for (let i = 0; i < n; i++) {
        if (options.maxSamples !== null && images >= options.maxSamples) break;
        const values = batch.inputs.slice(i * per, (i + 1) * per);
        if (!dct) {
          // undo the pipeline's ImageNet normalization to measure [0, 1] pixels
          for (let j = 0; j < values.length; j++)
            values[j] = values[j] * IMAGENET_RGB_STD[j % 3] + IMAGENET_RGB_MEAN[j % 3];
        }
        accumulator.add({
          data: values,
          height,
          width,
          channels: depth,
          channelIndices: Int32Array.from(dct ? channels : [0, 1, 2]),
        });
        images++;
      }
      if (options.maxSamples !== null && images >= options.maxSamples) break;
    }
  } finally {
    await data.close();
  }
  const stats = accumulator.result({ source: `fdl-classify stats ${root} (${split}, ${images} images)` });
  const file = options.out ?? null;
  if (file) {
    writeFileSync(
      file,
      dct ? statsToJson(stats) : `${JSON.stringify({ ...stats, channels: ['R', 'G', 'B'] }, null, 2)}\n`,
    );
    log(`wrote ${dct ? `${channels.length}-channel DCT` : 'RGB'} statistics of ${images} images to ${file}`);
  }
  return {
    mode: dct ? 'dct' : 'rgb',
    split,
    images,
    stats,
    channelNames: dct ? null : ['R', 'G', 'B'],
    file,
  };
}
