import { ArgumentError } from '@fdl/dct-core';
import type { UncompressedRle } from './rle.js';

/** An axis-aligned box `[x, y, w, h]` (COCO convention, floats allowed). */
export type CocoBox = readonly [number, number, number, number] | readonly number[];

/**
 * IoU of every detection box with every ground-truth box, as pycocotools `mask.iou` on boxes
 * (maskApi `bbIou`): row-major `[detections.length, groundTruth.length]`.
 *
 * For a crowd ground truth (`iscrowd[g]` truthy) the denominator is the detection's own area, so a
 * detection lying inside a crowd region scores 1 however large the region is. The arithmetic follows
 * the C code operation by operation (same rounding), so results are bit-identical.
 */
export function boxIou(
  detections: readonly CocoBox[],
  groundTruth: readonly CocoBox[],
  iscrowd: ArrayLike<number | boolean>,
): Float64Array {
  checkCrowdFlags('boxIou', groundTruth.length, iscrowd);
  const columns = groundTruth.length;
  const out = new Float64Array(detections.length * columns);
  for (let g = 0; g < columns; g++) {
    const gt = groundTruth[g]!;
    const gtArea = gt[2]! * gt[3]!;
    const crowd = Boolean(iscrowd[g]);
    for (let d = 0; d < detections.length; d++) {
      const dt = detections[d]!;
      const dtArea = dt[2]! * dt[3]!;
      const w = Math.min(dt[2]! + dt[0]!, gt[2]! + gt[0]!) - Math.max(dt[0]!, gt[0]!);
      if (w <= 0) continue;
      const h = Math.min(dt[3]! + dt[1]!, gt[3]! + gt[1]!) - Math.max(dt[1]!, gt[1]!);
      if (h <= 0) continue;
      const intersection = w * h;
      const union = crowd ? dtArea : dtArea + gtArea - intersection;
      out[d * columns + g] = intersection / union;
    }
  }
  return out;
}

/**
 * Number of pixels set in both masks, walking the two run lists together (no decoding): the runs of
 * column-major COCO counts alternate 0s and 1s starting with 0s.
 */
export function rleIntersection(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ia = 0;
  let ib = 0;
  // Remaining length of the current run of each mask, and whether that run is of 1s.
  let restA = a.length > 0 ? a[0]! : 0;
  let restB = b.length > 0 ? b[0]! : 0;
  let onA = false;
  let onB = false;
  let intersection = 0;
  for (;;) {
    while (restA === 0 && ia + 1 < a.length) {
      restA = a[++ia]!;
      onA = !onA;
    }
    while (restB === 0 && ib + 1 < b.length) {
      restB = b[++ib]!;
      onB = !onB;
    }
    if (restA === 0 || restB === 0) return intersection;
    const step = Math.min(restA, restB);
    if (onA && onB) intersection += step;
    restA -= step;
    restB -= step;
  }
}

/**
 * IoU of every detection mask with every ground-truth mask, as pycocotools `mask.iou` on RLEs
 * (maskApi `rleIou`): row-major `[detections.length, groundTruth.length]`. Intersection and union are
 * integer pixel counts computed on the runs; for a crowd ground truth the denominator is the
 * detection's area. Masks of different sizes are an error (pycocotools silently writes -1).
 */
export function maskIou(
  detections: readonly UncompressedRle[],
  groundTruth: readonly UncompressedRle[],
  iscrowd: ArrayLike<number | boolean>,
): Float64Array {
  checkCrowdFlags('maskIou', groundTruth.length, iscrowd);
  const columns = groundTruth.length;
  const out = new Float64Array(detections.length * columns);
  const dtAreas = detections.map((rle) => setPixels(rle.counts));
  const gtAreas = groundTruth.map((rle) => setPixels(rle.counts));
  for (let g = 0; g < columns; g++) {
    const gt = groundTruth[g]!;
    const crowd = Boolean(iscrowd[g]);
    for (let d = 0; d < detections.length; d++) {
      const dt = detections[d]!;
      if (dt.size[0] !== gt.size[0] || dt.size[1] !== gt.size[1]) {
        throw new ArgumentError(
          'maskIou',
          'detections',
          `must have the size of the ground truth masks: detection ${d} is [${dt.size}], ground truth ${g} is [${gt.size}]`,
        );
      }
      const intersection = rleIntersection(dt.counts, gt.counts);
      if (intersection === 0) continue;
      const union = crowd ? dtAreas[d]! : dtAreas[d]! + gtAreas[g]! - intersection;
      out[d * columns + g] = intersection / union;
    }
  }
  return out;
}

function setPixels(counts: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) area += counts[i]!;
  return area;
}

function checkCrowdFlags(functionName: string, count: number, iscrowd: ArrayLike<number | boolean>): void {
  if (iscrowd.length !== count) {
    throw new ArgumentError(
      functionName,
      'iscrowd',
      `must have one flag per ground truth (${count}), got ${iscrowd.length}`,
    );
  }
}
