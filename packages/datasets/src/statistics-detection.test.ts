import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStatisticsAccumulator, finalizeStatistics } from '@fdl/dct-core';
import { SHARED_DATA_MISSING, sharedDataPath, skipNote } from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import { loadCocoDataset } from './coco/coco-dataset.js';
import { createDecoderSet, decodeImage } from './decode/decode-image.js';
import { createDetectionPipeline, transformDetectionSample } from './pipeline/detection-pipeline.js';
import { computeDetectionStatistics } from './statistics.js';

const pennfudan = sharedDataPath('pennfudan');
describe.skipIf(!pennfudan)(
  `computeDetectionStatistics on pennfudan${skipNote(!pennfudan, SHARED_DATA_MISSING)}`,
  () => {
    it('measures each image at its own size, excluding batch padding', async () => {
      const dataset = loadCocoDataset(
        join(pennfudan!, 'annotations', 'instances_val.json'),
        join(pennfudan!, 'images'),
      );
      const options = { minSize: 64, maxSize: 120, selection: 'DCT-6', masks: false };
      const firstThree = { ...dataset, samples: dataset.samples.slice(0, 3) };
      // One batch of three images of different sizes: two of them are padded in the batch.
      const measured = await computeDetectionStatistics(firstThree, {
        mode: 'per-image-means',
        pipeline: options,
        batchSize: 3,
      });

      const pipeline = createDetectionPipeline({
        ...options,
        mode: 'dct',
        train: false,
        normalization: null,
      });
      const channelIndices = Int32Array.from(pipeline.channelIndices);
      const accumulator = createStatisticsAccumulator({
        mode: 'per-image-means',
        channelIndices: pipeline.channelIndices,
      });
      const decoders = await createDecoderSet('auto');
      const shapes = new Set<string>();
      for (const sample of firstThree.samples) {
        const { image } = await decodeImage(readFileSync(sample.path), sample.path, decoders);
        const record = { ...sample, categoryIdToLabel: dataset.categoryIdToLabel };
        const { data, shape } = transformDetectionSample(pipeline, image, record, 0);
        shapes.add(shape.join('x'));
        accumulator.add({ data, height: shape[0], width: shape[1], channels: shape[2], channelIndices });
      }
      expect(shapes.size).toBeGreaterThan(1);
      const expected = finalizeStatistics(accumulator.state());
      expect(measured.stats.channelIndices).toEqual([0, 1, 8, 9, 64, 128]);
      for (let c = 0; c < 6; c++) {
        expect(measured.stats.mean[c]).toBeCloseTo(expected.mean[c]!, 4);
        expect(measured.stats.std[c]).toBeCloseTo(expected.std[c]!, 4);
      }
      const subset = await computeDetectionStatistics(dataset, {
        mode: 'pooled',
        pipeline: options,
        limit: 2,
        seed: 5,
      });
      expect(subset.report.processed).toBe(2);
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
      await expect(computeDetectionStatistics(dataset, { mode: 'mean' as any })).rejects.toThrow(
        /computeDetectionStatistics: argument 'options.mode' must be 'pooled' or 'per-image-means', got mean/,
      );
    });
  },
);
