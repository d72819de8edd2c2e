import type { RgbImage } from './image.js';
import type { ResizePlan, Taps } from './resize-plan.js';

/**
 * The horizontal pass of a planned resize: every input window row that the vertical taps use, resampled
 * to the output window's columns (mirrored when the plan flips), as interleaved float RGB into
 * `out[(row - plan.firstRow) * region.width * 3 ...]`. Rows nothing reads are left as they are.
 */
export function resizeRgbRows(image: RgbImage, plan: ResizePlan, out: Float32Array): void {
  const { inputRegion, region, flip, horizontal, firstRow, lastRow, rowUsed } = plan;
  const rowLength = region.width * 3;
  const sourceOffset = inputRegion.x * 3;
  for (let y = firstRow; y <= lastRow; y++) {
    if (rowUsed[y - firstRow] === 0) continue;
    const sourceRow = (inputRegion.y + y) * image.width * 3 + sourceOffset;
    const offset = (y - firstRow) * rowLength;
    // Flipped: output x is written to column width - 1 - x of the row.
    const first = flip ? offset + rowLength - 3 : offset;
    const step = flip ? -3 : 3;
    if (horizontal.maxTaps <= 2) horizontalTwoTaps(image.data, sourceRow, horizontal, out, first, step);
    else horizontalGeneral(image.data, sourceRow, horizontal, out, first, step);
  }
}

/**
 * One source row through two-tap horizontal taps into `temp` (interleaved RGB, float): output x goes to
 * `temp[first + x * step]` (step 3, or -3 to mirror the row).
 */
function horizontalTwoTaps(
  source: RgbImage['data'],
  sourceRow: number,
  taps: Taps,
  temp: Float32Array,
  first: number,
  step: number,
): void {
  const { start, next, fraction } = taps;
  const outputs = start.length;
  // a + (b - a) * fraction; a single tap has b = a and fraction 0, which gives a exactly.
  for (let x = 0, t = first; x < outputs; x++, t += step) {
    const p = sourceRow + start[x] * 3;
    const q = sourceRow + next[x] * 3;
    const f = fraction[x];
    const r = source[p];
    const g = source[p + 1];
    const b = source[p + 2];
    temp[t] = r + (source[q] - r) * f;
    temp[t + 1] = g + (source[q + 1] - g) * f;
    temp[t + 2] = b + (source[q + 2] - b) * f;
  }
}

/** One source row through general (antialiased) horizontal taps, written as in `horizontalTwoTaps`. */
function horizontalGeneral(
  source: RgbImage['data'],
  sourceRow: number,
  taps: Taps,
  temp: Float32Array,
  first: number,
  step: number,
): void {
  const { start, count, weights, maxTaps } = taps;
  const outputs = start.length;
  for (let x = 0, t = first; x < outputs; x++, t += step) {
    let r = 0;
    let g = 0;
    let b = 0;
    let p = sourceRow + start[x] * 3;
    const w0 = x * maxTaps;
    const n = count[x];
    for (let j = 0; j < n; j++, p += 3) {
      const w = weights[w0 + j];
      r += w * source[p];
      g += w * source[p + 1];
      b += w * source[p + 2];
    }
    temp[t] = r;
    temp[t + 1] = g;
    temp[t + 2] = b;
  }
}
