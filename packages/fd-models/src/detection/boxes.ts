import { checkBoxes } from './errors.js';

/**
 * Box utilities on TypedArrays with torchvision's float32 arithmetic (`torchvision.ops.boxes`).
 * Boxes are flat `[N, 4]` arrays of `(x1, y1, x2, y2)` in pixels; every intermediate is rounded to
 * float32 with `Math.fround` so that threshold comparisons agree with torch bit for bit.
 */

/** `[N, 4]` boxes `(x1, y1, x2, y2)`, row-major. */
export type Boxes = Float32Array;

const f = Math.fround;

/** Areas `(x2 - x1) * (y2 - y1)` of `[N, 4]` boxes (float32, no +1: torchvision's convention). */
export function boxArea(boxes: Boxes): Float32Array {
  const n = checkBoxes('boxArea', 'boxes', boxes);
  const areas = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    areas[i] = f(f(boxes[4 * i + 2] - boxes[4 * i]) * f(boxes[4 * i + 3] - boxes[4 * i + 1]));
  }
  return areas;
}

/** Pairwise IoU `[N, M]` (row-major) between `[N, 4]` and `[M, 4]` boxes, as `torchvision.ops.box_iou`. */
export function boxIou(first: Boxes, second: Boxes): Float32Array {
  const n = checkBoxes('boxIou', 'first', first);
  const m = checkBoxes('boxIou', 'second', second);
  const areaFirst = boxArea(first);
  const areaSecond = boxArea(second);
  const iou = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const ax1 = first[4 * i];
    const ay1 = first[4 * i + 1];
    const ax2 = first[4 * i + 2];
    const ay2 = first[4 * i + 3];
    for (let j = 0; j < m; j++) {
      const w = Math.max(f(Math.min(ax2, second[4 * j + 2]) - Math.max(ax1, second[4 * j])), 0);
      const h = Math.max(f(Math.min(ay2, second[4 * j + 3]) - Math.max(ay1, second[4 * j + 1])), 0);
      const inter = f(w * h);
      iou[i * m + j] = f(inter / f(f(areaFirst[i] + areaSecond[j]) - inter));
    }
  }
  return iou;
}

/** Clips `[N, 4]` boxes to an image of `height x width` (a new array), as `clip_boxes_to_image`. */
export function clipBoxesToImage(boxes: Boxes, height: number, width: number): Boxes {
  checkBoxes('clipBoxesToImage', 'boxes', boxes);
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = Math.min(Math.max(boxes[i], 0), width);
    out[i + 1] = Math.min(Math.max(boxes[i + 1], 0), height);
    out[i + 2] = Math.min(Math.max(boxes[i + 2], 0), width);
    out[i + 3] = Math.min(Math.max(boxes[i + 3], 0), height);
  }
  return out;
}

/** Indices of boxes whose width and height are both `>= minSize`, as `remove_small_boxes`. */
export function removeSmallBoxes(boxes: Boxes, minSize: number): Int32Array {
  const n = checkBoxes('removeSmallBoxes', 'boxes', boxes);
  const threshold = f(minSize);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = f(boxes[4 * i + 2] - boxes[4 * i]);
    const h = f(boxes[4 * i + 3] - boxes[4 * i + 1]);
    if (w >= threshold && h >= threshold) keep.push(i);
  }
  return Int32Array.from(keep);
}

/** Rows `indices` of a flat array with `width` values per row. */
export function gatherRows<T extends Float32Array | Int32Array>(
  values: T,
  width: number,
  indices: ArrayLike<number>,
): T {
  const out = new (values.constructor as new (length: number) => T)(indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i] * width;
    for (let k = 0; k < width; k++) out[i * width + k] = values[source + k];
  }
  return out;
}

/** Scales `[N, 4]` boxes from an image of `from = [h, w]` to `to = [h, w]`, as `resize_boxes`. */
export function resizeBoxes(
  boxes: Boxes,
  from: readonly [number, number],
  to: readonly [number, number],
): Boxes {
  checkBoxes('resizeBoxes', 'boxes', boxes);
  const ratioHeight = f(f(to[0]) / f(from[0]));
  const ratioWidth = f(f(to[1]) / f(from[1]));
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = f(boxes[i] * ratioWidth);
    out[i + 1] = f(boxes[i + 1] * ratioHeight);
    out[i + 2] = f(boxes[i + 2] * ratioWidth);
    out[i + 3] = f(boxes[i + 3] * ratioHeight);
  }
  return out;
}
