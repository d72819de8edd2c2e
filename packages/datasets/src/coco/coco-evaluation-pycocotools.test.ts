import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CocoDetection,
  type CocoGroundTruth,
  type CocoIouType,
  DEFAULT_COCO_EVALUATION_OPTIONS,
  evaluateCoco,
} from './coco-evaluation.js';
import { boxIou, maskIou } from './coco-iou.js';
import { formatCocoSummary } from './coco-summary.js';
import { decodeRleString } from './rle.js';
import { segmentationToCounts } from './segmentation.js';

// Written by tools/coco-fixtures/generate.py with the real pycocotools (see its README).
interface Packed {
  shape: number[];
  axes: number[];
  values: number[];
  runs: number[];
}
interface FixtureCase {
  name: string;
  iouType: CocoIouType;
  params: { useCats?: number; imgIds?: number[]; maxDets?: number[]; iouThrs?: number[]; recThrs?: number[] };
  iouThresholds: number[];
  recallThresholds: number[];
  stats: number[] | null;
  perCategoryAp: number[] | null;
  summary: string;
  precision: Packed;
  recall: Packed;
  scores: Packed;
}
interface Fixture {
  groundTruth: CocoGroundTruth;
  bboxDetections: CocoDetection[];
  segmDetections: CocoDetection[];
  iouReference: { imageId: number; shape: [number, number]; bbox: number[]; segm: number[] }[];
  cases: FixtureCase[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/coco-eval-pycocotools.json', import.meta.url), 'utf8'),
) as Fixture;

/** Undo the generator's packing: run-length indices into a value table, read in `axes` order. */
function unpack(packed: Packed): Float64Array {
  const transposed: number[] = [];
  for (let i = 0; i < packed.runs.length; i += 2) {
    for (let n = 0; n < packed.runs[i + 1]!; n++) transposed.push(packed.values[packed.runs[i]!]!);
  }
  const shape = packed.shape;
  const permuted = packed.axes.map((axis) => shape[axis]!);
  const out = new Float64Array(transposed.length);
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const index = new Array<number>(permuted.length).fill(0);
  for (let p = 0; p < transposed.length; p++) {
    let flat = 0;
    for (let j = 0; j < permuted.length; j++) flat += index[j]! * strides[packed.axes[j]!]!;
    out[flat] = transposed[p]!;
    for (let j = permuted.length - 1; j >= 0; j--) {
      if (++index[j]! < permuted[j]!) break;
      index[j] = 0;
    }
  }
  return out;
}

/** Largest absolute difference, and how many entries differ at all. */
function compare(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): { maxError: number; differing: number } {
  expect(actual.length).toBe(expected.length);
  let maxError = 0;
  let differing = 0;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    if (actual[i] !== expected[i]) differing++;
    maxError = Math.max(maxError, error);
  }
  return { maxError, differing };
}

describe('COCO evaluation against pycocotools', () => {
  it('uses numpy.linspace thresholds by default', () => {
    const defaults = fixture.cases[0]!;
    expect(DEFAULT_COCO_EVALUATION_OPTIONS.iouThresholds).toEqual(defaults.iouThresholds);
    expect(DEFAULT_COCO_EVALUATION_OPTIONS.recallThresholds).toEqual(defaults.recallThresholds);
  });

  it('has IoU matrices equal to pycocotools mask.iou (boxes and masks, crowd included)', () => {
    const { images, annotations } = fixture.groundTruth;
    for (const reference of fixture.iouReference) {
      const image = images.find((i) => i.id === reference.imageId)!;
      const gts = annotations.filter((a) => a.image_id === reference.imageId);
      const crowd = gts.map((a) => a.iscrowd);
      const boxes = fixture.bboxDetections
        .filter((d) => d.image_id === reference.imageId)
        .map((d) => d.bbox!);
      expect(
        compare(
          boxIou(
            boxes,
            gts.map((a) => a.bbox),
            crowd,
          ),
          reference.bbox,
        ).differing,
      ).toBe(0);
      const size: [number, number] = [image.height, image.width];
      const masks = fixture.segmDetections
        .filter((d) => d.image_id === reference.imageId)
        .map((d) => ({ size, counts: decodeRleString(d.segmentation!.counts as string) }));
      const gtMasks = gts.map((a) => ({ size, counts: segmentationToCounts(a.segmentation!, ...size) }));
      expect(compare(maskIou(masks, gtMasks, crowd), reference.segm).differing).toBe(0);
    }
  });

  for (const testCase of fixture.cases) {
    it(`matches pycocotools: ${testCase.name}`, () => {
      const { params } = testCase;
      const detections = testCase.iouType === 'bbox' ? fixture.bboxDetections : fixture.segmDetections;
      const evaluation = evaluateCoco(fixture.groundTruth, detections, {
        iouType: testCase.iouType,
        ...(params.useCats === 0 ? { useCategories: false } : {}),
        ...(params.imgIds ? { imageIds: params.imgIds } : {}),
        ...(params.maxDets ? { maxDetections: params.maxDets } : {}),
        ...(params.iouThrs ? { iouThresholds: testCase.iouThresholds } : {}),
        ...(params.recThrs ? { recallThresholds: testCase.recallThresholds } : {}),
      });
      expect(evaluation.precisionShape).toEqual(testCase.precision.shape);
      expect(evaluation.recallShape).toEqual(testCase.recall.shape);
      // Bit-identical arrays: every entry compared with ===.
      expect(compare(evaluation.precision, unpack(testCase.precision))).toEqual({
        maxError: 0,
        differing: 0,
      });
      expect(compare(evaluation.recall, unpack(testCase.recall))).toEqual({ maxError: 0, differing: 0 });
      expect(compare(evaluation.scores, unpack(testCase.scores))).toEqual({ maxError: 0, differing: 0 });
      if (testCase.perCategoryAp) {
        expect(evaluation.perCategory.map((c) => c.stats[0])).toEqual(testCase.perCategoryAp);
      }
      if (testCase.stats) {
        expect(compare(evaluation.stats, testCase.stats)).toEqual({ maxError: 0, differing: 0 });
        expect(`${formatCocoSummary(evaluation)}\n`).toBe(testCase.summary);
      }
    });
  }
});
