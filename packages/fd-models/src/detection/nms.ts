import { ArgumentError } from '@fdl/dct-core';
import { boxArea } from './boxes.js';
import { checkBoxes } from './errors.js';

const f = Math.fround;

/** Indices sorted by descending score, ties in index order (torchvision sorts stably). */
export function sortByScoreDescending(scores: ArrayLike<number>, indices?: ArrayLike<number>): Int32Array {
  const order = indices ? Int32Array.from(indices) : Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * Non-maximum suppression with the semantics of `torchvision.ops.nms` (CPU kernel): boxes visited in
 * descending score order (stable), a box is suppressed when its float32 IoU with a kept box is strictly
 * greater than `iouThreshold`. Returns kept indices in descending score order.
 *
 * @param boxes `[N, 4]` boxes `(x1, y1, x2, y2)`
 * @param scores `[N]`
 */
export function nms(boxes: Float32Array, scores: ArrayLike<number>, iouThreshold: number): Int32Array {
  const n = checkBoxes('nms', 'boxes', boxes);
  if (scores.length !== n) {
    throw new ArgumentError('nms', 'scores', `must have one score per box (${n}), got ${scores.length}`);
  }
  const areas = boxArea(boxes);
  const order = sortByScoreDescending(scores);
  const suppressed = new Uint8Array(n);
  const keep: number[] = [];
  for (let a = 0; a < n; a++) {
    const i = order[a];
    if (suppressed[i]) continue;
    keep.push(i);
    const ix1 = boxes[4 * i];
    const iy1 = boxes[4 * i + 1];
    const ix2 = boxes[4 * i + 2];
    const iy2 = boxes[4 * i + 3];
    const iarea = areas[i];
    for (let b = a + 1; b < n; b++) {
      const j = order[b];
      if (suppressed[j]) continue;
      const w = Math.max(0, f(Math.min(ix2, boxes[4 * j + 2]) - Math.max(ix1, boxes[4 * j])));
      const h = Math.max(0, f(Math.min(iy2, boxes[4 * j + 3]) - Math.max(iy1, boxes[4 * j + 1])));
      const inter = f(w * h);
      const overlap = f(inter / f(f(iarea + areas[j]) - inter));
      if (overlap > iouThreshold) suppressed[j] = 1;
    }
  }
  return Int32Array.from(keep);
}

/**
 * NMS independently per category (`idxs`), as `torchvision.ops.batched_nms`, including its choice of
 * algorithm: up to 1000 boxes it offsets each category by `idx * (max coordinate + 1)` in float32 and runs
 * one NMS (the offsets round coordinates exactly as torch does); above that it runs NMS per category and
 * merges by descending score. Returns kept indices in descending score order.
 *
 * @param boxes `[N, 4]`
 * @param scores `[N]`
 * @param idxs `[N]` category of each box (integers)
 */
export function batchedNms(
  boxes: Float32Array,
  scores: ArrayLike<number>,
  idxs: ArrayLike<number>,
  iouThreshold: number,
): Int32Array {
  const n = checkBoxes('batchedNms', 'boxes', boxes);
  if (scores.length !== n || idxs.length !== n) {
    throw new ArgumentError(
      'batchedNms',
      'scores/idxs',
      `must have ${n} entries, got ${scores.length}/${idxs.length}`,
    );
  }
  if (n === 0) return new Int32Array(0);
  if (boxes.length <= 4000) {
    let maxCoordinate = -Infinity;
    for (let i = 0; i < boxes.length; i++) maxCoordinate = Math.max(maxCoordinate, boxes[i]);
    const step = f(maxCoordinate + 1);
    const shifted = new Float32Array(boxes.length);
    for (let i = 0; i < n; i++) {
      const offset = f(idxs[i] * step);
      for (let k = 0; k < 4; k++) shifted[4 * i + k] = f(boxes[4 * i + k] + offset);
    }
    return nms(shifted, scores, iouThreshold);
  }
  const byCategory = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byCategory.get(idxs[i]);
    if (list) list.push(i);
    else byCategory.set(idxs[i], [i]);
  }
  const kept: number[] = [];
  for (const members of byCategory.values()) {
    const memberBoxes = new Float32Array(members.length * 4);
    const memberScores = new Float32Array(members.length);
    members.forEach((index, k) => {
      memberBoxes.set(boxes.subarray(4 * index, 4 * index + 4), 4 * k);
      memberScores[k] = scores[index];
    });
    for (const k of nms(memberBoxes, memberScores, iouThreshold)) kept.push(members[k]);
  }
  kept.sort((a, b) => a - b);
  return sortByScoreDescending(scores, kept);
}
