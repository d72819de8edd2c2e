import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DATA_MISSING, sharedDataPath, skipNote } from '@fdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeGrayPngSync } from '../decode/png-decoder.js';
import { loadCocoDataset } from './coco-dataset.js';
import { rleArea, rleToBbox } from './rle.js';
import { decodeMask, encodeRle, segmentationToCounts } from './segmentation.js';

const scratch = mkdtempSync(join(tmpdir(), 'fdl-coco-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeCoco(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const valid = {
  images: [
    { id: 2, file_name: 'b.jpg', width: 4, height: 3 },
    { id: 1, file_name: 'a.jpg', width: 4, height: 3 },
  ],
  annotations: [
    {
      id: 10,
      image_id: 1,
      category_id: 7,
      bbox: [1, 1, 2, 2],
      area: 3,
      iscrowd: 0,
      segmentation: [[1, 1, 2, 1, 2, 2]],
    },
    {
      id: 9,
      image_id: 1,
      category_id: 3,
      bbox: [0, 0, 4, 3],
      area: 12,
      iscrowd: 1,
      segmentation: { size: [3, 4], counts: [0, 12] },
    },
  ],
  categories: [
    { id: 7, name: 'dog' },
    { id: 3, name: 'cat' },
  ],
};
writeFileSync(join(scratch, 'a.jpg'), 'x');
writeFileSync(join(scratch, 'b.jpg'), 'x');

describe('loadCocoDataset', () => {
  it('indexes images, sorted annotations, crowd flags and contiguous labels', () => {
    const dataset = loadCocoDataset(writeCoco('valid.json', valid), scratch);
    expect(dataset.samples.map((s) => s.image.id)).toEqual([1, 2]);
    expect(dataset.samples[0]!.annotations.map((a) => [a.id, a.iscrowd])).toEqual([
      [9, 1],
      [10, 0],
    ]);
    expect(dataset.samples[1]!.annotations).toEqual([]);
    expect([...dataset.categoryIdToLabel]).toEqual([
      [3, 1],
      [7, 2],
    ]);
    expect(dataset.labelToCategoryId).toEqual([0, 3, 7]);
    const filtered = loadCocoDataset(writeCoco('valid2.json', valid), scratch, {
      removeImagesWithoutAnnotations: true,
    });
    expect(filtered.samples.map((s) => s.image.id)).toEqual([1]);
  });

  it('fails before any work on broken JSON, bad references and missing files', () => {
    expect(() => loadCocoDataset(writeCoco('broken.json', '{"images": ['), scratch)).toThrow(
      /loadCocoDataset: not valid JSON: .*\(invalid-annotation: .*broken\.json\)/,
    );
    expect(() =>
      loadCocoDataset(writeCoco('noimages.json', { annotations: [], categories: [] }), scratch),
    ).toThrow(/'images' must be an array, got undefined/);
    const danglingImage = { ...valid, annotations: [{ ...valid.annotations[0], image_id: 99 }] };
    expect(() => loadCocoDataset(writeCoco('dangling.json', danglingImage), scratch)).toThrow(
      /annotations\[0\] \(id 10\) points at image 99, which is not in 'images'/,
    );
    const danglingCategory = { ...valid, annotations: [{ ...valid.annotations[0], category_id: 5 }] };
    expect(() => loadCocoDataset(writeCoco('category.json', danglingCategory), scratch)).toThrow(
      /has category 5, which is not in 'categories'/,
    );
    const missingFile = {
      ...valid,
      images: [...valid.images, { id: 3, file_name: 'gone.jpg', width: 1, height: 1 }],
    };
    const path = writeCoco('missing.json', missingFile);
    expect(() => loadCocoDataset(path, scratch)).toThrow(
      /1 image file\(s\) named in .* do not exist \(missing: .*gone\.jpg\)/,
    );
    const tolerant = loadCocoDataset(path, scratch, { onError: 'skip' });
    expect(tolerant.samples).toHaveLength(2);
    expect(tolerant.skipped.map((s) => [s.path, s.reason])).toEqual([[join(scratch, 'gone.jpg'), 'missing']]);
    expect(() => loadCocoDataset(join(scratch, 'none.json'), scratch)).toThrow(/cannot read annotation file/);
    expect(() => loadCocoDataset(path, join(scratch, 'no-folder'))).toThrow(/image folder does not exist/);
  });
});

const pennfudan = sharedDataPath('pennfudan');
describe.skipIf(!pennfudan)(`COCO masks on pennfudan${skipNote(!pennfudan, SHARED_DATA_MISSING)}`, () => {
  const splits = ['train', 'val'].map((split) =>
    loadCocoDataset(join(pennfudan!, 'annotations', `instances_${split}.json`), join(pennfudan!, 'images')),
  );

  it('loads 120 + 50 images and 307 + 116 annotations with one category', () => {
    expect(splits.map((d) => d.samples.length)).toEqual([120, 50]);
    expect(splits.map((d) => d.samples.reduce((n, s) => n + s.annotations.length, 0))).toEqual([307, 116]);
    expect(splits[0]!.labelToCategoryId).toEqual([0, 1]);
  });

  it('RLE masks equal PedMasks exactly, polygons reach the documented IoU, area and bbox match', () => {
    const polygonIous: number[] = [];
    let rleCount = 0;
    for (const dataset of splits) {
      for (const sample of dataset.samples) {
        const { width, height } = sample.image;
        const stem = sample.image.file_name.replace(/\.jpg$/, '');
        const truth = decodeGrayPngSync(readFileSync(join(pennfudan!, 'PedMasks', `${stem}_mask.png`)));
        expect([truth.width, truth.height]).toEqual([width, height]);
        sample.annotations.forEach((annotation, n) => {
          const counts = segmentationToCounts(annotation.segmentation!, height, width);
          const mask = decodeMask(annotation.segmentation!, height, width);
          let intersection = 0;
          let union = 0;
          for (let i = 0; i < mask.length; i++) {
            const expected = truth.data[i] === n + 1 ? 1 : 0;
            intersection += mask[i]! & expected;
            union += mask[i]! | expected;
          }
          if (Array.isArray(annotation.segmentation)) {
            polygonIous.push(intersection / union);
          } else {
            rleCount++;
            expect(intersection, `annotation ${annotation.id}`).toBe(union);
            expect(rleArea(counts)).toBe(annotation.area);
            expect(rleToBbox(counts, height)).toEqual(annotation.bbox);
          }
        });
      }
    }
    expect(rleCount).toBe(210);
    expect(polygonIous).toHaveLength(213);
    const mean = polygonIous.reduce((a, b) => a + b, 0) / polygonIous.length;
    expect(mean).toBeCloseTo(0.9557, 4);
    expect(Math.min(...polygonIous)).toBeCloseTo(0.6709, 4);
    expect(Math.max(...polygonIous)).toBeCloseTo(0.9802, 4);
  });

  it('re-encodes the 5 compressed strings of instances_val.json byte for byte', () => {
    const strings = splits[1]!.samples.flatMap((sample) =>
      sample.annotations
        .filter((a) => !Array.isArray(a.segmentation) && typeof a.segmentation?.counts === 'string')
        .map((a) => ({ a, sample })),
    );
    expect(strings.map(({ a }) => a.id)).toEqual([311, 327, 360, 376, 416]);
    for (const { a, sample } of strings) {
      const { width, height } = sample.image;
      const mask = decodeMask(a.segmentation!, height, width);
      expect(encodeRle(mask, height, width)).toEqual(a.segmentation);
    }
  });
});
