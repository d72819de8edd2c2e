import { join } from 'node:path';
import { SHARED_DATA_MISSING, sharedDataPath, skipNote } from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import type { CocoAnnotation } from './coco-dataset.js';
import { loadCocoDataset } from './coco-dataset.js';
import { type CocoDetection, type CocoGroundTruth, evaluateCoco } from './coco-evaluation.js';
import { boxIou, maskIou, rleIntersection } from './coco-iou.js';
import { formatCocoSummary, numpySum } from './coco-summary.js';
import { maskToCounts } from './rle.js';
import { decodeMask, encodeRle } from './segmentation.js';

/** A 0/1 row-major mask of `height` x `width` with the rectangle [x, y, w, h] set. */
function rectangleMask(height: number, width: number, [x, y, w, h]: number[]): Uint8Array {
  const mask = new Uint8Array(height * width);
  for (let row = y!; row < y! + h!; row++) mask.fill(1, row * width + x!, row * width + x! + w!);
  return mask;
}

function box(
  id: number,
  imageId: number,
  categoryId: number,
  bbox: number[],
  iscrowd: 0 | 1 = 0,
): CocoAnnotation {
  const [, , w, h] = bbox as [number, number, number, number];
  return {
    id,
    image_id: imageId,
    category_id: categoryId,
    bbox: bbox as CocoAnnotation['bbox'],
    area: w * h,
    iscrowd,
  };
}

// Three images, one object each: small (10x10), medium (40x40), large (100x120); category 3 has no
// ground truth at all.
const truth: CocoGroundTruth = {
  images: [
    { id: 1, width: 200, height: 150 },
    { id: 2, width: 200, height: 150 },
    { id: 3, width: 200, height: 150 },
  ],
  annotations: [
    box(1, 1, 1, [5, 5, 10, 10]),
    box(2, 2, 2, [50, 20, 40, 40]),
    box(3, 3, 1, [20, 10, 100, 120]),
  ],
  categories: [
    { id: 1, name: 'person' },
    { id: 2, name: 'car' },
    { id: 3, name: 'dog' },
  ],
};
const perfect: CocoDetection[] = truth.annotations.map((a) => ({
  image_id: a.image_id,
  category_id: a.category_id,
  score: 0.9,
  bbox: a.bbox,
}));

/**
 * Stats equal up to rounding: precision is tp / (tp + fp + 2.2e-16) as in pycocotools, so a category
 * with a single true positive reaches 1 - 2.2e-16, not 1.
 */
function expectStats(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, value] of actual.entries()) expect(value, `stat ${i}`).toBeCloseTo(expected[i]!, 14);
}

describe('boxIou / maskIou', () => {
  it('computes box IoU by hand-checked values, crowd over the detection area', () => {
    const iou = boxIou(
      [
        [0, 0, 10, 10],
        [20, 20, 5, 5],
      ],
      [
        [5, 5, 10, 10],
        [10, 0, 10, 10],
        [0, 0, 40, 40],
      ],
      [0, 0, 1],
    );
    // 25 / (100 + 100 - 25); touching edges do not overlap; crowd: 100 / 100 and 25 / 25.
    expect(Array.from(iou)).toEqual([25 / 175, 0, 1, 0, 0, 1]);
    expect(Array.from(boxIou([[0, 0, 10, 10]], [[5, 5, 10, 10]], [1]))).toEqual([0.25]);
    expect(boxIou([], [[0, 0, 1, 1]], [0]).length).toBe(0);
  });

  it('computes mask IoU on the runs, crowd over the detection area', () => {
    const size: [number, number] = [4, 4];
    const topLeft = { size, counts: maskToCounts(rectangleMask(4, 4, [0, 0, 2, 2]), 4, 4) };
    const topHalf = { size, counts: maskToCounts(rectangleMask(4, 4, [0, 0, 4, 2]), 4, 4) };
    const bottom = { size, counts: maskToCounts(rectangleMask(4, 4, [0, 3, 4, 1]), 4, 4) };
    expect(Array.from(maskIou([topLeft], [topHalf, topHalf, bottom], [0, 1, 0]))).toEqual([0.5, 1, 0]);
    // Zero-length runs are legal: [0, 3, 0, 2, 11] sets pixels 0..4.
    expect(rleIntersection([0, 3, 0, 2, 11], [2, 14])).toBe(3);
    expect(() => maskIou([topLeft], [{ size: [2, 8], counts: [16] }], [0])).toThrow(
      "maskIou: argument 'detections' must have the size of the ground truth masks: detection 0 is [4,4], ground truth 0 is [2,8]",
    );
    expect(() => maskIou([topLeft], [topHalf], [])).toThrow(
      "maskIou: argument 'iscrowd' must have one flag per ground truth (1), got 0",
    );
  });
});

describe('evaluateCoco closed-form cases', () => {
  it('gives 1 everywhere for perfect detections and -1 for a category without ground truth', () => {
    const result = evaluateCoco(truth, perfect);
    expectStats(result.stats, new Array(12).fill(1));
    expect(result.precisionShape).toEqual([10, 101, 3, 4, 3]);
    expect(result.recallShape).toEqual([10, 3, 4, 3]);
    expectStats(
      result.perCategory.map((c) => c.stats[0]!),
      [1, 1, -1],
    );
    const [T, R, K, A, M] = result.precisionShape;
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < R; r++) {
        for (let a = 0; a < A; a++) {
          for (let m = 0; m < M; m++)
            expect(result.precision[(((t * R + r) * K + 2) * A + a) * M + m]).toBe(-1);
        }
      }
    }
    // The car is medium: its small and large slots have no ground truth.
    expectStats(result.perCategory[1]!.stats, [1, 1, 1, -1, 1, -1, 1, 1, 1, -1, 1, -1]);
    expect(formatCocoSummary(result).split('\n')[0]).toBe(
      ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000',
    );
  });

  it('gives 0 without detections, and AR1 = 1/2 with two objects in one image', () => {
    expect(evaluateCoco(truth, []).stats).toEqual(new Array(12).fill(0));
    const two: CocoGroundTruth = {
      ...truth,
      annotations: [box(1, 1, 1, [0, 0, 50, 50]), box(2, 1, 1, [100, 50, 50, 50])],
    };
    const detections = two.annotations.map((a, i) => ({
      image_id: 1,
      category_id: 1,
      score: 1 - i / 10,
      bbox: a.bbox,
    }));
    const stats = evaluateCoco(two, detections).stats;
    expect(stats[6]).toBe(0.5); // AR1
    expect(stats[8]).toBe(1); // AR100
    expect(stats[0]).toBe(1);
  });

  it('ignores detections on crowd regions and counts a duplicate as a false positive', () => {
    const crowded: CocoGroundTruth = {
      ...truth,
      annotations: [...truth.annotations, box(9, 3, 1, [130, 0, 70, 150], 1)],
    };
    const onCrowd = [0.99, 0.98, 0.97].map((score, i) => ({
      image_id: 3,
      category_id: 1,
      score,
      bbox: [140 + i * 10, 10, 20, 30],
    }));
    // AR1 drops: in image 3 the single kept detection is the best-scored one, on the crowd region.
    expectStats(
      evaluateCoco(crowded, [...perfect, ...onCrowd]).stats,
      [1, 1, 1, 1, 1, 1, 0.75, 1, 1, 1, 1, 1],
    );
    // Without the crowd region the same three boxes are false positives ranked first.
    const withFalsePositives = evaluateCoco(truth, [...perfect, ...onCrowd]).stats;
    expect(withFalsePositives[0]).toBeLessThan(1);
    // Two objects; a duplicate of the first ranked between the two true positives:
    // precision 1 up to recall 1/2 (51 thresholds), then 2/3 (50 thresholds).
    const two: CocoGroundTruth = {
      ...truth,
      annotations: [box(1, 1, 1, [0, 0, 50, 50]), box(2, 1, 1, [100, 50, 50, 50])],
    };
    const ranked = [
      { image_id: 1, category_id: 1, score: 0.9, bbox: [0, 0, 50, 50] },
      { image_id: 1, category_id: 1, score: 0.8, bbox: [0, 0, 50, 50] },
      { image_id: 1, category_id: 1, score: 0.7, bbox: [100, 50, 50, 50] },
    ];
    expect(evaluateCoco(two, ranked).stats[1]).toBeCloseTo((51 + (50 * 2) / 3) / 101, 14);
  });

  it('evaluates masks: a half-covering mask has IoU 1/2', () => {
    const image = { id: 1, width: 8, height: 6 };
    const gtMask = rectangleMask(6, 8, [0, 0, 4, 4]);
    const gt: CocoGroundTruth = {
      images: [image],
      annotations: [
        { ...box(1, 1, 1, [0, 0, 4, 4]), segmentation: { size: [6, 8], counts: maskToCounts(gtMask, 6, 8) } },
      ],
      categories: [{ id: 1, name: 'a' }],
    };
    const half = encodeRle(rectangleMask(6, 8, [0, 0, 4, 2]), 6, 8);
    const result = evaluateCoco(gt, [{ image_id: 1, category_id: 1, score: 1, segmentation: half }], {
      iouType: 'segm',
    });
    // IoU 0.5 passes only the first threshold: AP = AR = 1/10.
    expect(result.stats[1]).toBeCloseTo(1, 15);
    expect(result.stats[2]).toBe(0);
    expect(result.stats[8]).toBeCloseTo(0.1, 15);
  });

  it('sums like numpy (pairwise)', () => {
    const values = Array.from({ length: 300 }, (_, i) => 1 / (i + 3));
    expect(numpySum(values)).toBeCloseTo(
      values.reduce((a, b) => a + b, 0),
      12,
    );
    expect(numpySum([])).toBe(0);
  });
});

describe('evaluateCoco input errors', () => {
  const detection = { image_id: 1, category_id: 1, score: 0.5, bbox: [0, 0, 1, 1] };
  const cases: [string, CocoDetection[], object, string][] = [
    [
      'unknown image',
      [{ ...detection, image_id: 99 }],
      {},
      "evaluateCoco: argument 'detections[0].image_id' must be an image id of the ground truth, got 99",
    ],
    [
      'unknown category',
      [detection, { ...detection, category_id: 42 }],
      {},
      "evaluateCoco: argument 'detections[1].category_id' must be a category id of the ground truth, got 42",
    ],
    [
      'NaN score',
      [{ ...detection, score: Number.NaN }],
      {},
      "evaluateCoco: argument 'detections[0].score' must be a finite number, got NaN",
    ],
    [
      'missing bbox',
      [{ image_id: 1, category_id: 1, score: 1 }],
      {},
      "evaluateCoco: argument 'detections[0].bbox' must be [x, y, w, h] of finite numbers for iouType 'bbox', got undefined",
    ],
    [
      'missing segmentation',
      [detection],
      { iouType: 'segm' },
      "evaluateCoco: argument 'detections[0].segmentation' must be an RLE {size, counts} for iouType 'segm', got undefined",
    ],
    [
      'RLE of another size',
      [{ ...detection, segmentation: { size: [200, 150], counts: [30000] } }],
      { iouType: 'segm' },
      "evaluateCoco: argument 'detections[0].segmentation.size' must be [150, 200] (the size of image 1), got [200, 150]",
    ],
    [
      'RLE counts not covering the image',
      [{ ...detection, segmentation: { size: [150, 200], counts: [10, 5] } }],
      { iouType: 'segm' },
      "evaluateCoco: argument 'detections[0].segmentation.counts' must be runs of integers >= 0 summing to 150*200 = 30000, got a sum of 15",
    ],
    [
      'unknown image id option',
      [],
      { imageIds: [1, 5] },
      "evaluateCoco: argument 'options.imageIds' must hold image ids of the ground truth, got 5",
    ],
    [
      'bad iouType',
      [],
      { iouType: 'keypoints' },
      `evaluateCoco: argument 'options.iouType' must be 'bbox' or 'segm', got "keypoints"`,
    ],
    [
      'bad maxDetections',
      [],
      { maxDetections: [0, 10] },
      "evaluateCoco: argument 'options.maxDetections' must be a non-empty list of integers > 0, got [0,10]",
    ],
  ];
  for (const [name, detections, options, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => evaluateCoco(truth, detections, options)).toThrow(message);
    });
  }

  it('rejects a ground truth without segmentation for segm', () => {
    expect(() => evaluateCoco(truth, [], { iouType: 'segm' })).toThrow(
      "evaluateCoco: argument 'groundTruth.annotations[0].segmentation' is required for iouType 'segm', got undefined",
    );
  });
});

const pennfudan = sharedDataPath('pennfudan');
describe.skipIf(!pennfudan)(`evaluateCoco on pennfudan${skipNote(!pennfudan, SHARED_DATA_MISSING)}`, () => {
  const load = () => {
    const dataset = loadCocoDataset(
      join(pennfudan!, 'annotations', 'instances_val.json'),
      join(pennfudan!, 'images'),
    );
    // Pennfudan has no crowd region: add one over the whole first image (no detection claims it).
    const first = dataset.samples[0]!;
    const { width, height } = first.image;
    first.annotations.push({
      id: 1_000_000,
      image_id: first.image.id,
      category_id: 1,
      bbox: [0, 0, width, height],
      area: width * height,
      iscrowd: 1,
      segmentation: { size: [height, width], counts: [0, width * height] },
    });
    return dataset;
  };

  /** Expected stats of perfect detections: 1 where there is ground truth; AR1/AR10 cut by maxDets. */
  const expectedPerfect = (objects: CocoAnnotation[], perImage: number[]) => {
    const counted = objects.filter((a) => !a.iscrowd);
    const inRange = (min: number, max: number) => counted.some((a) => a.area >= min && a.area <= max);
    const small = inRange(0, 32 ** 2) ? 1 : -1;
    const medium = inRange(32 ** 2, 96 ** 2) ? 1 : -1;
    const large = inRange(96 ** 2, 1e10) ? 1 : -1;
    const reached = (cut: number) => perImage.reduce((sum, n) => sum + Math.min(n, cut), 0) / counted.length;
    return [1, 1, 1, small, medium, large, reached(1), reached(10), 1, small, medium, large];
  };

  for (const iouType of ['bbox', 'segm'] as const) {
    it(`scores its own ground truth as perfect (${iouType}) and less after perturbation`, () => {
      const dataset = load();
      const detections: CocoDetection[] = [];
      for (const { image, annotations } of dataset.samples) {
        for (const a of annotations) {
          if (a.iscrowd) continue;
          const segmentation =
            iouType === 'segm'
              ? encodeRle(decodeMask(a.segmentation!, image.height, image.width), image.height, image.width)
              : undefined;
          detections.push({
            image_id: a.image_id,
            category_id: a.category_id,
            score: 1,
            bbox: a.bbox,
            segmentation,
          });
        }
      }
      // Two low-score boxes inside the crowd region: matched to it, hence ignored, not false positives.
      const first = dataset.samples[0]!.image;
      for (const b of [
        [1, 1, 10, 10],
        [20, 5, 15, 12],
      ]) {
        const mask = encodeRle(rectangleMask(first.height, first.width, b), first.height, first.width);
        detections.push({ image_id: first.id, category_id: 1, score: 0.5, bbox: b, segmentation: mask });
      }
      const objects = dataset.samples.flatMap((s) => s.annotations);
      const perImage = dataset.samples.map((s) => s.annotations.filter((a) => !a.iscrowd).length);
      const result = evaluateCoco(dataset, detections, { iouType });
      expectStats(result.stats, expectedPerfect(objects, perImage));

      // Deterministic damage: drop every 7th detection, move every 3rd by 30% of its width.
      const damaged = detections
        .filter((_, i) => i % 7 !== 6)
        .map((d, i) => {
          if (i % 3 !== 0) return d;
          const [x, y, w, h] = d.bbox!;
          const moved = [Math.round(x! + 0.3 * w!), y!, w!, h!];
          if (iouType === 'bbox') return { ...d, bbox: moved };
          const [height, width] = d.segmentation!.size;
          const left = Math.min(moved[0]!, width - 1);
          const clipped = [left, y!, Math.min(w!, width - left), Math.min(h!, height - y!)];
          return { ...d, segmentation: encodeRle(rectangleMask(height, width, clipped), height, width) };
        });
      const worse = evaluateCoco(dataset, damaged, { iouType }).stats;
      if (process.env.FDL_PRINT_COCO) console.log(iouType, result.stats, worse);
      expect(worse[0]).toBeGreaterThan(0.3);
      expect(worse[0]).toBeLessThan(0.95);
      expect(worse[8]).toBeLessThan(1);
    });
  }
});
