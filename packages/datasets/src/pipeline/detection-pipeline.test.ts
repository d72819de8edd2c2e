import { join } from 'node:path';
import { SHARED_DATA_MISSING, sharedDataPath, skipNote } from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import { loadCocoDataset } from '../coco/coco-dataset.js';
import { DataLoader } from '../loader/data-loader.js';
import { createDetectionPipeline, transformDetectionSample } from './detection-pipeline.js';

/** Tight [x1, y1, x2, y2] (pixel edges) of mask `n` of a stack. */
function maskBox(masks: Uint8Array, n: number, width: number, height: number): number[] {
  let x1 = width;
  let y1 = height;
  let x2 = 0;
  let y2 = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (masks[(n * height + y) * width + x]) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
  return [x1, y1, x2, y2];
}

describe('transformDetectionSample', () => {
  const image = { id: 1, file_name: 'x.jpg', width: 10, height: 6 };
  const pixels = { data: new Uint8Array(10 * 6 * 3).fill(128), width: 10, height: 6 };
  const labels = new Map([[7, 1]]);
  // A 2x2 square at x 6..7, y 1..2 as an uncompressed RLE (column-major: 6 columns of 6 rows, then rows 1-2 set).
  const square = { size: [6, 10] as [number, number], counts: [37, 2, 4, 2, 15] };
  const annotations = [
    {
      id: 1,
      image_id: 1,
      category_id: 7,
      bbox: [6, 1, 2, 2] as [number, number, number, number],
      area: 4,
      iscrowd: 0 as const,
      segmentation: square,
    },
    {
      id: 2,
      image_id: 1,
      category_id: 7,
      bbox: [0, 0, 10, 6] as [number, number, number, number],
      area: 60,
      iscrowd: 1 as const,
      segmentation: { size: [6, 10] as [number, number], counts: [0, 60] },
    },
  ];

  it('resizes and flips boxes and masks together, drops crowd when training', () => {
    const pipeline = createDetectionPipeline({
      mode: 'dct',
      train: true,
      minSize: 12,
      maxSize: 40,
      flipProbability: 1,
    });
    const { shape, target } = transformDetectionSample(
      pipeline,
      pixels,
      { image, annotations, categoryIdToLabel: labels },
      0,
    );
    // 10x6 -> scale 2 -> 20x12; DCT detection grid = size / 4.
    expect([target.width, target.height, target.flipped]).toEqual([20, 12, true]);
    expect(shape).toEqual([3, 5, 24]);
    expect(Array.from(target.labels)).toEqual([1]);
    // Box [6, 1, 8, 3] -> x2 -> [12, 2, 16, 6] -> flipped in width 20 -> [4, 2, 8, 6].
    expect(Array.from(target.boxes)).toEqual([4, 2, 8, 6]);
    expect(maskBox(target.masks!, 0, 20, 12)).toEqual([4, 2, 8, 6]);
  });

  it('keeps crowd regions with their flag for evaluation and never flips', () => {
    const pipeline = createDetectionPipeline({ mode: 'rgb', train: false, minSize: 6, maxSize: 10 });
    const { shape, target } = transformDetectionSample(
      pipeline,
      pixels,
      { image, annotations, categoryIdToLabel: labels },
      0,
    );
    expect(shape).toEqual([6, 10, 3]);
    expect(Array.from(target.iscrowd)).toEqual([0, 1]);
    expect(Array.from(target.boxes)).toEqual([6, 1, 8, 3, 0, 0, 10, 6]);
    expect(target.flipped).toBe(false);
  });

  it('rejects an image whose size disagrees with its annotation', () => {
    const pipeline = createDetectionPipeline({ mode: 'dct', train: false });
    expect(() =>
      transformDetectionSample(
        pipeline,
        { ...pixels, width: 5, data: new Uint8Array(5 * 6 * 3) },
        { image, annotations, categoryIdToLabel: labels },
        0,
      ),
    ).toThrow(/decodes to 5x6 but the annotation file says 10x6 \(image 1\)/);
  });
});

const pennfudan = sharedDataPath('pennfudan');
describe.skipIf(!pennfudan)(
  `detection loader on pennfudan${skipNote(!pennfudan, SHARED_DATA_MISSING)}`,
  () => {
    it('builds padded DCT batches whose boxes match their masks', async () => {
      const dataset = loadCocoDataset(
        join(pennfudan!, 'annotations', 'instances_val.json'),
        join(pennfudan!, 'images'),
      );
      dataset.samples = dataset.samples.slice(0, 3);
      const pipeline = createDetectionPipeline({
        mode: 'dct',
        train: true,
        minSize: 200,
        maxSize: 333,
        selection: 'DCT-6',
      });
      const loader = new DataLoader(dataset, pipeline, { batchSize: 3, seed: 2 });
      const batches = [];
      for await (const batch of loader.epoch(0)) batches.push(batch);
      await loader.close();
      const batch = batches[0]!;
      const [n, h, w, c] = batch.shape;
      expect([n, c]).toEqual([3, 6]);
      expect((h * 4) % 32).toBe(0);
      expect((w * 4) % 32).toBe(0);
      for (const target of batch.targets) {
        expect(h * 4).toBeGreaterThanOrEqual(target.height);
        expect(Math.max(target.width, target.height)).toBeLessThanOrEqual(333);
        for (let i = 0; i < target.labels.length; i++) {
          const box = Array.from(target.boxes.subarray(i * 4, i * 4 + 4));
          const fromMask = maskBox(target.masks!, i, target.width, target.height);
          // Nearest resizing moves mask edges by at most one pixel relative to the scaled box.
          for (let k = 0; k < 4; k++) expect(Math.abs(fromMask[k]! - box[k]!)).toBeLessThanOrEqual(1.01);
        }
      }
      // Padding cells beyond an image are zero.
      const first = batch.targets[0]!;
      const rowBeyond = Math.ceil(first.height / 4);
      if (rowBeyond < h) expect(batch.inputs[rowBeyond * w * c]).toBe(0);
    });
  },
);
