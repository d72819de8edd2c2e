import type { CocoEvaluation } from './coco-evaluation.js';

/** Names of the 12 `stats` slots, in pycocotools order. */
export const COCO_STAT_NAMES: readonly string[] = Object.freeze([
  'AP',
  'AP50',
  'AP75',
  'APs',
  'APm',
  'APl',
  'AR1',
  'AR10',
  'AR100',
  'ARs',
  'ARm',
  'ARl',
]);

/** What each slot averages: AP or AR, IoU threshold (null = all), area label, index into maxDetections. */
const SLOTS: readonly { ap: boolean; iou: number | null; area: string; maxIndex: number }[] = [
  { ap: true, iou: null, area: 'all', maxIndex: 2 },
  { ap: true, iou: 0.5, area: 'all', maxIndex: 2 },
  { ap: true, iou: 0.75, area: 'all', maxIndex: 2 },
  { ap: true, iou: null, area: 'small', maxIndex: 2 },
  { ap: true, iou: null, area: 'medium', maxIndex: 2 },
  { ap: true, iou: null, area: 'large', maxIndex: 2 },
  { ap: false, iou: null, area: 'all', maxIndex: 0 },
  { ap: false, iou: null, area: 'all', maxIndex: 1 },
  { ap: false, iou: null, area: 'all', maxIndex: 2 },
  { ap: false, iou: null, area: 'small', maxIndex: 2 },
  { ap: false, iou: null, area: 'medium', maxIndex: 2 },
  { ap: false, iou: null, area: 'large', maxIndex: 2 },
];

type SummaryInput = Pick<
  CocoEvaluation,
  'iouThresholds' | 'areaRanges' | 'maxDetections' | 'precision' | 'precisionShape' | 'recall' | 'recallShape'
>;

/**
 * The 12 COCO summary numbers (pycocotools `summarize`) of an evaluation, or of one category index
 * `k` alone. Each is the mean of the precision (AP) or recall (AR) entries > -1 of its slice, -1 when
 * there is none; the mean is numpy's (pairwise summation), so the numbers equal pycocotools' bit for bit.
 *
 * Slices: AP50 / AP75 use the IoU threshold equal to 0.5 / 0.75 (-1 when it is not among the
 * thresholds), area slots use the range labelled all / small / medium / large (-1 when absent), and
 * AR1 / AR10 / the others use maxDetections[0] / [1] / [2]. pycocotools fixes the first slot (AP) at
 * 100 detections and fails with fewer than 3 maxDetections; here every slot uses the position, clamped
 * to the last entry, which is the same for the default [1, 10, 100].
 */
export function summarizeCoco(evaluation: SummaryInput, categoryIndex?: number): number[] {
  const [, R, K, A, M] = evaluation.precisionShape;
  const kFrom = categoryIndex ?? 0;
  const kTo = categoryIndex === undefined ? K : categoryIndex + 1;
  return SLOTS.map(({ ap, iou, area, maxIndex }) => {
    const a = evaluation.areaRanges.findIndex((range) => range.label === area);
    const m = Math.min(maxIndex, M - 1);
    const thresholds = [...evaluation.iouThresholds.keys()].filter(
      (t) => iou === null || evaluation.iouThresholds[t] === iou,
    );
    if (a < 0) return -1;
    // Gathered in numpy's C order of the sliced array: T, then R (AP only), then K.
    const values: number[] = [];
    for (const t of thresholds) {
      if (ap) {
        for (let r = 0; r < R; r++) {
          for (let k = kFrom; k < kTo; k++) {
            const v = evaluation.precision[(((t * R + r) * K + k) * A + a) * M + m]!;
            if (v > -1) values.push(v);
          }
        }
      } else {
        for (let k = kFrom; k < kTo; k++) {
          const v = evaluation.recall[((t * K + k) * A + a) * M + m]!;
          if (v > -1) values.push(v);
        }
      }
    }
    return values.length === 0 ? -1 : numpySum(values) / values.length;
  });
}

/**
 * numpy's float64 `add.reduce` of a contiguous array: blocks of 8192 (its buffer size) accumulated in
 * order, each summed pairwise with 8 accumulators below 128 elements.
 */
export function numpySum(values: readonly number[]): number {
  let total = 0;
  for (let start = 0; start < values.length; start += 8192) {
    total += pairwiseSum(values, start, Math.min(values.length - start, 8192));
  }
  return total;
}

function pairwiseSum(values: readonly number[], start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i]!;
    return sum;
  }
  if (n <= 128) {
    const r = values.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += values[start + i + j];
    }
    let sum = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) sum += values[start + i]!;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/**
 * The 12 summary lines in pycocotools' layout, e.g.
 * ` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.372`.
 */
export function formatCocoSummary(
  evaluation: Pick<CocoEvaluation, 'stats' | 'iouThresholds' | 'maxDetections'>,
): string {
  const { iouThresholds, maxDetections, stats } = evaluation;
  const allIous = `${iouThresholds[0]!.toFixed(2)}:${iouThresholds[iouThresholds.length - 1]!.toFixed(2)}`;
  return SLOTS.map(({ ap, iou, area, maxIndex }, index) => {
    const title = ap ? 'Average Precision  (AP)' : 'Average Recall     (AR)';
    const iouText = (iou === null ? allIous : iou.toFixed(2)).padEnd(9);
    const maxDets = String(maxDetections[Math.min(maxIndex, maxDetections.length - 1)]).padStart(3);
    const value = stats[index]!.toFixed(3);
    return ` ${title} @[ IoU=${iouText} | area=${area.padStart(6)} | maxDets=${maxDets} ] = ${value}`;
  }).join('\n');
}
