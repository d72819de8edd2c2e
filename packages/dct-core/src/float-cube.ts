import { upscaledChromaFilter } from './chroma.js';
import { DCT_BASIS, forwardDctPlane } from './dct.js';
import type { RgbImage } from './image.js';
import { computeTaps, type ResizePlan, type Taps } from './resize-plan.js';
import { resizeRgbRows } from './resize-rows.js';

/**
 * Float-colour coefficients of the `plain` and `upscaled` geometries for a window of an image resized
 * in float (the identity plan gives the image as is). Nothing is rounded to 8 bits: colour conversion
 * and the bilinear/triangle resize are linear, so they may run in either order; colour is converted at
 * the smaller of input and output resolution (input window when upscaling, RGB resampled first along
 * an axis that shrinks), and the resized RGB image at 8 bits is never built.
 *
 * Y is resized to a plane and transformed (AAN, any frequencies). Cb and Cr usually need only a few low
 * frequencies, and every step after colour conversion is linear, so their coefficients are computed
 * straight from the input window: a coefficient is separable, X[u, v] = sum over rows of B'_u(row) *
 * (sum over columns of B'_v(col) * chroma[row, col]), where B' is the DCT basis pulled back through the
 * resize taps (and, for `upscaled`, through the chroma filter: 2x bilinear upsampling then the 2x2 mean
 * of 4:2:0 is [1, 6, 1] / 8 per axis with clamped edges, see `upscaledChromaFilter`). Each input row is
 * projected once per needed horizontal frequency v, then each block sums a few projected rows.
 */

/** Per-axis kernel of the upscaled chroma filter: weights of samples t - 1, t, t + 1. */
const UPSCALED_KERNEL = [0.125, 0.75, 0.125] as const;

/** Chroma is folded through the resize when each component needs at most this many distinct v (and u). */
const MAX_FOLDED_FREQUENCIES_PER_AXIS = 4;

/** Reused scratch: the transform is synchronous and never returns these buffers. */
const scratch: Record<string, Float32Array> = {};
function scratchArray(name: string, size: number): Float32Array {
  let array = scratch[name];
  if (array === undefined || array.length < size) {
    array = new Float32Array(size);
    scratch[name] = array;
  }
  return array.subarray(0, size);
}

/** The Y, Cb and Cr scratch planes of `size` samples. */
function colourPlanes(size: number): [Float32Array, Float32Array, Float32Array] {
  return [scratchArray('y', size), scratchArray('cb', size), scratchArray('cr', size)];
}

/** Input window columns the horizontal taps touch. */
function touchedColumns(taps: Taps): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (let i = 0; i < taps.start.length; i++) {
    first = Math.min(first, taps.start[i]);
    last = Math.max(last, taps.start[i] + taps.count[i] - 1, taps.next[i]);
  }
  return { first, last };
}

/**
 * Writes the selected coefficients: block (by, bx) value k of component c goes to
 * `output[(by * gridWidth + bx) * stride + offset_c + k]`, the components' values following each other
 * (Y, then Cb, then Cr; `frequencies[c]` natural indices u * 8 + v in output order). The output window
 * is `plan.region`; sizes that are not multiples of 8 replicate edges as `forwardDctPlane` does.
 */
export function floatCubeCoefficients(
  image: RgbImage,
  plan: ResizePlan,
  geometry: 'plain' | 'upscaled',
  frequencies: readonly (readonly number[])[],
  output: Float32Array,
  stride: number,
): void {
  const { region, inputRegion, firstRow, lastRow, rowUsed } = plan;
  const windowHeight = lastRow - firstRow + 1;
  const columns = touchedColumns(plan.horizontal);
  let usedRows = 0;
  for (let row = 0; row < windowHeight; row++) usedRows += rowUsed[row];
  // Colour is converted at the smaller of input and output resolution. Downscaling across: the RGB rows
  // are resampled to the output columns first; downscaling both ways: the whole resize runs in RGB
  // (float, unrounded). What is left of the plan then has identity taps there, and no flip.
  const acrossFirst = columns.last - columns.first + 1 > region.width;
  const bothFirst = acrossFirst && usedRows > region.height;
  let window: Window;
  let rest: ResizePlan;
  let planes: [Float32Array, Float32Array, Float32Array];
  if (acrossFirst) {
    const width = region.width;
    const rows = scratchArray('rgbRows', windowHeight * width * 3);
    resizeRgbRows(image, plan, rows);
    const identityColumns = computeTaps(width, width, 0, width, 'bilinear', false);
    if (bothFirst) {
      const height = region.height;
      const resized = scratchArray('rgbResized', height * width * 3);
      resampleRows(
        rows,
        { width: width * 3, height: windowHeight, firstColumn: 0, firstRow },
        plan,
        resized,
        width * 3,
      );
      planes = colourPlanes(width * height);
      const allRows = new Uint8Array(height).fill(1);
      convertRows(resized, 0, width * 3, width, height, allRows, ...planes);
      window = { width, height, firstColumn: 0, firstRow: 0 };
      const identityRows = computeTaps(height, height, 0, height, 'bilinear', false);
      rest = {
        ...plan,
        flip: false,
        horizontal: identityColumns,
        vertical: identityRows,
        firstRow: 0,
        lastRow: height - 1,
        rowUsed: allRows,
      };
    } else {
      planes = colourPlanes(width * windowHeight);
      convertRows(rows, 0, width * 3, width, windowHeight, rowUsed, ...planes);
      window = { width, height: windowHeight, firstColumn: 0, firstRow };
      rest = { ...plan, flip: false, horizontal: identityColumns };
    }
  } else {
    const width = columns.last - columns.first + 1;
    planes = colourPlanes(width * windowHeight);
    const first = ((inputRegion.y + firstRow) * image.width + inputRegion.x + columns.first) * 3;
    convertRows(image.data, first, image.width * 3, width, windowHeight, rowUsed, ...planes);
    window = { width, height: windowHeight, firstColumn: columns.first, firstRow };
    rest = plan;
  }
  const [y, cb, cr] = planes;
  const [lumaFrequencies, cbFrequencies, crFrequencies] = frequencies as [number[], number[], number[]];
  if (lumaFrequencies.length > 0) {
    const luma = resizePlane(y, window, rest, 'resizedLuma');
    forwardDctPlane(
      { data: luma, width: region.width, height: region.height },
      { frequencies: lumaFrequencies, output, outputStride: stride, outputOffset: 0 },
    );
  }
  const halo = geometry === 'upscaled' ? 1 : 0;
  const chroma = [
    { plane: cb, frequencies: cbFrequencies, offset: lumaFrequencies.length },
    { plane: cr, frequencies: crFrequencies, offset: lumaFrequencies.length + cbFrequencies.length },
  ];
  // Cb and Cr usually keep the same frequencies: their bases are built once.
  const bases = new Map<string, FoldedBases>();
  for (const { plane, frequencies: list, offset } of chroma) {
    if (list.length === 0) continue;
    if (canFold(list, region.width, region.height)) {
      const key = list.join(',');
      let shared = bases.get(key);
      if (shared === undefined) {
        shared = foldedBases(window, rest, halo, list);
        bases.set(key, shared);
      }
      foldedCoefficients(plane, window, rest, shared, list, output, stride, offset);
      continue;
    }
    let resized = resizePlane(plane, window, rest, 'resizedChroma');
    if (halo === 1) resized = upscaledChromaFilter(resized, region.width, region.height);
    forwardDctPlane(
      { data: resized, width: region.width, height: region.height },
      { frequencies: list, output, outputStride: stride, outputOffset: offset },
    );
  }
}

/** Folding needs whole blocks (no edge padding after the filter) and few frequencies per axis. */
function canFold(frequencies: readonly number[], width: number, height: number): boolean {
  return (
    width % 8 === 0 &&
    height % 8 === 0 &&
    new Set(frequencies.map((k) => k & 7)).size <= MAX_FOLDED_FREQUENCIES_PER_AXIS &&
    new Set(frequencies.map((k) => k >> 3)).size <= MAX_FOLDED_FREQUENCIES_PER_AXIS
  );
}

/**
 * Float JFIF colour of interleaved RGB rows (8-bit image or float resampled rows) into three
 * [height, width] planes; row `row` starts at `source[first + row * rowStride]`. Rows not in use are
 * skipped.
 */
function convertRows(
  source: ArrayLike<number>,
  first: number,
  rowStride: number,
  width: number,
  height: number,
  rowUsed: Uint8Array,
  y: Float32Array,
  cb: Float32Array,
  cr: Float32Array,
): void {
  for (let row = 0; row < height; row++) {
    if (rowUsed[row] === 0) continue;
    for (let x = 0, i = row * width, p = first + row * rowStride; x < width; x++, p += 3, i++) {
      const r = source[p];
      const g = source[p + 1];
      const b = source[p + 2];
      y[i] = 0.299 * r + 0.587 * g + 0.114 * b;
      cb[i] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
      cr[i] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }
}

interface Window {
  width: number;
  height: number;
  /** Position of the window's first column and row within the plan's input window. */
  firstColumn: number;
  firstRow: number;
}

/** True when output i reads exactly input `first + i`. */
function isIdentityTaps(taps: Taps, first: number): boolean {
  for (let i = 0; i < taps.start.length; i++)
    if (taps.count[i] !== 1 || taps.start[i] !== first + i) return false;
  return true;
}

/** True when the plan leaves the window as it is (no resampling, crop or flip). */
function isIdentity(plan: ResizePlan, window: Window): boolean {
  const { horizontal, vertical, region, flip } = plan;
  if (flip || window.width !== region.width || window.height !== region.height) return false;
  return isIdentityTaps(horizontal, window.firstColumn) && isIdentityTaps(vertical, window.firstRow);
}

/** Resizes a float plane of the window by the plan (separable, float32, unrounded; flip mirrors). */
function resizePlane(plane: Float32Array, window: Window, plan: ResizePlan, name: string): Float32Array {
  if (isIdentity(plan, window)) return plane;
  const { horizontal, region, flip } = plan;
  // Columns already at the output's (resampled with the RGB rows): only the vertical pass is left.
  const acrossDone = !flip && window.width === region.width && isIdentityTaps(horizontal, window.firstColumn);
  const rows = acrossDone ? plane : resampleColumns(plane, window, plan, `${name}Rows`);
  const out = scratchArray(name, region.height * region.width);
  resampleRows(rows, window, plan, out);
  return out;
}

/** The horizontal pass: every used window row to the output columns, [window.height, region.width]. */
function resampleColumns(plane: Float32Array, window: Window, plan: ResizePlan, name: string): Float32Array {
  const { horizontal, region, flip } = plan;
  const outWidth = region.width;
  const rows = scratchArray(name, window.height * outWidth);
  for (let row = 0; row < window.height; row++) {
    if (plan.rowUsed[row] === 0) continue;
    const source = row * window.width - window.firstColumn;
    const first = flip ? row * outWidth + outWidth - 1 : row * outWidth;
    const step = flip ? -1 : 1;
    if (horizontal.maxTaps <= 2) {
      for (let x = 0, t = first; x < outWidth; x++, t += step) {
        const a = plane[source + horizontal.start[x]];
        rows[t] = a + (plane[source + horizontal.next[x]] - a) * horizontal.fraction[x];
      }
      continue;
    }
    for (let x = 0, t = first; x < outWidth; x++, t += step) {
      let sum = 0;
      for (let j = 0, p = source + horizontal.start[x]; j < horizontal.count[x]; j++, p++)
        sum += horizontal.weights[x * horizontal.maxTaps + j] * plane[p];
      rows[t] = sum;
    }
  }
  return rows;
}

/**
 * The vertical pass: window rows of `rowLength` values (the output width, or 3x it for interleaved RGB)
 * to the output rows, into `out`.
 */
function resampleRows(
  rows: Float32Array,
  window: Window,
  plan: ResizePlan,
  out: Float32Array,
  rowLength = plan.region.width,
): void {
  const { vertical, region } = plan;
  const outWidth = rowLength;
  for (let y = 0; y < region.height; y++) {
    const outRow = y * outWidth;
    const top = (vertical.start[y] - window.firstRow) * outWidth;
    if (vertical.maxTaps <= 2) {
      const bottom = (vertical.next[y] - window.firstRow) * outWidth;
      const f = vertical.fraction[y];
      for (let x = 0; x < outWidth; x++) {
        const a = rows[top + x];
        out[outRow + x] = a + (rows[bottom + x] - a) * f;
      }
    } else {
      out.fill(0, outRow, outRow + outWidth);
      for (let j = 0; j < vertical.count[y]; j++) {
        const w = vertical.weights[y * vertical.maxTaps + j];
        const row = top + j * outWidth;
        for (let x = 0; x < outWidth; x++) out[outRow + x] += w * rows[row + x];
      }
    }
  }
}

/**
 * The pulled-back basis along one axis: for each block and each needed frequency, weights over a run of
 * input samples (`start[block]`, `span` long, window coordinates) such that the coefficient's factor
 * along this axis is the dot product with the input. Built from the DCT basis, the chroma filter
 * (`halo` 1: one output sample beyond the block each side, clamped to the output) and the taps.
 */
interface AxisWeights {
  start: Int32Array;
  span: number;
  /** [blocks, frequencies, span]. */
  weights: Float64Array;
}

function axisWeights(
  taps: Taps,
  outputs: number,
  flip: boolean,
  halo: 0 | 1,
  windowFirst: number,
  windowLength: number,
  frequencies: readonly number[],
): AxisWeights {
  const blocks = outputs / 8;
  // Basis of each frequency pulled back through the chroma filter: weight of output t = -halo .. 7 + halo.
  const reach = 8 + 2 * halo;
  const filtered = frequencies.map((u) => {
    const weights = new Float64Array(reach);
    for (let t = -halo; t < 8 + halo; t++) {
      if (halo === 0) {
        weights[t] = DCT_BASIS[u * 8 + t];
        continue;
      }
      for (let j = 0; j < 8; j++) {
        const offset = t - j;
        if (offset >= -1 && offset <= 1)
          weights[t + halo] += DCT_BASIS[u * 8 + j] * UPSCALED_KERNEL[offset + 1];
      }
    }
    return weights;
  });
  // Input taps of output sample x (flipped outputs read the mirrored taps).
  const inputTaps = (x: number, visit: (input: number, weight: number) => void) => {
    const i = flip ? outputs - 1 - x : x;
    if (taps.maxTaps <= 2) {
      visit(taps.start[i], 1 - taps.fraction[i]);
      if (taps.fraction[i] !== 0) visit(taps.next[i], taps.fraction[i]);
      return;
    }
    for (let j = 0; j < taps.count[i]; j++) visit(taps.start[i] + j, taps.weights[i * taps.maxTaps + j]);
  };
  const start = new Int32Array(blocks);
  const end = new Int32Array(blocks);
  for (let block = 0; block < blocks; block++) {
    let first = Number.POSITIVE_INFINITY;
    let last = -1;
    for (let t = -halo; t < 8 + halo; t++) {
      const x = Math.min(Math.max(block * 8 + t, 0), outputs - 1);
      inputTaps(x, (input) => {
        first = Math.min(first, input);
        last = Math.max(last, input);
      });
    }
    start[block] = first - windowFirst;
    end[block] = last - windowFirst;
  }
  let span = 0;
  for (let block = 0; block < blocks; block++) span = Math.max(span, end[block] - start[block] + 1);
  // Every run is `span` long; runs near the window's far edge start earlier so they stay inside it.
  for (let block = 0; block < blocks; block++) start[block] = Math.min(start[block], windowLength - span);
  const weights = new Float64Array(blocks * frequencies.length * span);
  for (let block = 0; block < blocks; block++) {
    for (let t = -halo; t < 8 + halo; t++) {
      const x = Math.min(Math.max(block * 8 + t, 0), outputs - 1);
      inputTaps(x, (input, weight) => {
        const position = input - windowFirst - start[block];
        for (let f = 0; f < frequencies.length; f++)
          weights[(block * frequencies.length + f) * span + position] += filtered[f][t + halo] * weight;
      });
    }
  }
  return { start, span, weights };
}

/** The pulled-back bases of one chroma frequency list, along both axes. */
interface FoldedBases {
  columnsNeeded: number[];
  rowsNeeded: number[];
  horizontal: AxisWeights;
  vertical: AxisWeights;
}

function foldedBases(
  window: Window,
  plan: ResizePlan,
  halo: 0 | 1,
  frequencies: readonly number[],
): FoldedBases {
  const { region, flip } = plan;
  const columnsNeeded = [...new Set(frequencies.map((k) => k & 7))];
  const rowsNeeded = [...new Set(frequencies.map((k) => k >> 3))];
  return {
    columnsNeeded,
    rowsNeeded,
    horizontal: axisWeights(
      plan.horizontal,
      region.width,
      flip,
      halo,
      window.firstColumn,
      window.width,
      columnsNeeded,
    ),
    vertical: axisWeights(
      plan.vertical,
      region.height,
      false,
      halo,
      window.firstRow,
      window.height,
      rowsNeeded,
    ),
  };
}

/** Chroma coefficients through the pulled-back bases (see the file comment). */
function foldedCoefficients(
  plane: Float32Array,
  window: Window,
  plan: ResizePlan,
  bases: FoldedBases,
  frequencies: readonly number[],
  output: Float32Array,
  stride: number,
  outputOffset: number,
): void {
  const { region } = plan;
  const { columnsNeeded, rowsNeeded, horizontal, vertical } = bases;
  const widthInBlocks = region.width / 8;
  const heightInBlocks = region.height / 8;
  const columnCount = columnsNeeded.length;
  // Row projections: [window row, block column, needed v].
  const projections = new Float64Array(window.height * widthInBlocks * columnCount);
  const hSpan = horizontal.span;
  const hWeights = horizontal.weights;
  for (let row = 0; row < window.height; row++) {
    // Rows no tap reads keep zero projections (their weights are zero too).
    if (plan.rowUsed[row] === 0) continue;
    const rowStart = row * window.width;
    let out = row * widthInBlocks * columnCount;
    for (let bx = 0; bx < widthInBlocks; bx++) {
      const from = rowStart + horizontal.start[bx];
      for (let c = 0; c < columnCount; c++, out++) {
        let sum = 0;
        for (let j = 0, w = (bx * columnCount + c) * hSpan; j < hSpan; j++, w++)
          sum += hWeights[w] * plane[from + j];
        projections[out] = sum;
      }
    }
  }
  const columnOf = Int32Array.from(frequencies, (k) => columnsNeeded.indexOf(k & 7));
  const rowOf = Int32Array.from(frequencies, (k) => rowsNeeded.indexOf(k >> 3));
  const dc = frequencies.indexOf(0);
  const vSpan = vertical.span;
  const vWeights = vertical.weights;
  const rowStride = widthInBlocks * columnCount;
  for (let by = 0; by < heightInBlocks; by++) {
    const firstProjection = vertical.start[by] * rowStride;
    for (let bx = 0; bx < widthInBlocks; bx++) {
      const base = (by * widthInBlocks + bx) * stride + outputOffset;
      for (let k = 0; k < frequencies.length; k++) {
        let sum = 0;
        let p = firstProjection + bx * columnCount + columnOf[k];
        for (let j = 0, w = (by * rowsNeeded.length + rowOf[k]) * vSpan; j < vSpan; j++, w++, p += rowStride)
          sum += vWeights[w] * projections[p];
        // The level shift (sample - 128) only moves DC, by 8 * 128.
        output[base + k] = k === dc ? sum - 1024 : sum;
      }
    }
  }
}
