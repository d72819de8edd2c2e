import { ArgumentError } from './errors.js';
import type { Plane } from './image.js';
import { validatePlane } from './image.js';

/** What to do with a plane whose sizes are not multiples of 8. */
export type EdgeMode = 'replicate' | 'error';

export interface ForwardDctOptions {
  /**
   * `replicate`: pad the right and bottom edges by repeating the last column/row up to a multiple of 8, as
   * libjpeg pads a component; `error`: throw an ArgumentError for sizes that are not multiples of 8.
   */
  edge: EdgeMode;
  /**
   * Natural coefficient indices (u * 8 + v, 0..63) to compute, in the order they are written per block.
   * Default: all 64 in natural order. Fewer frequencies are faster (only the needed columns are transformed).
   */
  frequencies?: readonly number[];
  /** Write into this buffer instead of allocating: block (by, bx), k-th frequency goes to
   * `output[(by * widthInBlocks + bx) * outputStride + outputOffset + k]`. */
  output?: Float32Array;
  outputStride?: number;
  outputOffset?: number;
}

export const DEFAULT_FORWARD_DCT_OPTIONS: Readonly<ForwardDctOptions> = Object.freeze({ edge: 'replicate' });

/** Coefficients of a plane: `data` is [heightInBlocks, widthInBlocks, frequencies.length] (or the given output). */
export interface DctPlane {
  data: Float32Array;
  heightInBlocks: number;
  widthInBlocks: number;
  /** Natural indices of the coefficients stored per block, in storage order. */
  frequencies: readonly number[];
}

const ALL_FREQUENCIES: readonly number[] = Object.freeze(Array.from({ length: 64 }, (_, k) => k));

// AAN (Arai-Agui-Nakajima) scaled DCT, as in libjpeg's jfdctflt.c: 5 multiplications per 1-D transform;
// the per-coefficient scale is folded into one table applied when a coefficient is written.
const AAN_SCALE = [
  1,
  ...Array.from({ length: 7 }, (_, k) => Math.cos(((k + 1) * Math.PI) / 16) * Math.SQRT2),
];
/** Multiplier turning the AAN output into the orthonormal coefficient: 1 / (8 s(u) s(v)). */
const OUTPUT_SCALE = new Float64Array(64);
for (let u = 0; u < 8; u++)
  for (let v = 0; v < 8; v++) OUTPUT_SCALE[u * 8 + v] = 1 / (8 * AAN_SCALE[u] * AAN_SCALE[v]);

const C0_707 = Math.SQRT1_2;
const C0_382 = 0.3826834323650898;
const C0_541 = 0.5411961001461969;
const C1_306 = 1.3065629648763766;

/** In-place 1-D AAN forward transform of w[base], w[base + step], ..., w[base + 7 step]. */
function aanForward(w: Float64Array, base: number, step: number): void {
  const d0 = w[base];
  const d1 = w[base + step];
  const d2 = w[base + 2 * step];
  const d3 = w[base + 3 * step];
  const d4 = w[base + 4 * step];
  const d5 = w[base + 5 * step];
  const d6 = w[base + 6 * step];
  const d7 = w[base + 7 * step];
  const tmp0 = d0 + d7;
  const tmp7 = d0 - d7;
  const tmp1 = d1 + d6;
  const tmp6 = d1 - d6;
  const tmp2 = d2 + d5;
  const tmp5 = d2 - d5;
  const tmp3 = d3 + d4;
  const tmp4 = d3 - d4;
  // Even part.
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  w[base] = tmp10 + tmp11;
  w[base + 4 * step] = tmp10 - tmp11;
  const z1 = (tmp12 + tmp13) * C0_707;
  w[base + 2 * step] = tmp13 + z1;
  w[base + 6 * step] = tmp13 - z1;
  // Odd part.
  const o10 = tmp4 + tmp5;
  const o11 = tmp5 + tmp6;
  const o12 = tmp6 + tmp7;
  const z5 = (o10 - o12) * C0_382;
  const z2 = C0_541 * o10 + z5;
  const z4 = C1_306 * o12 + z5;
  const z3 = o11 * C0_707;
  const z11 = tmp7 + z3;
  const z13 = tmp7 - z3;
  w[base + 5 * step] = z13 + z2;
  w[base + 3 * step] = z13 - z2;
  w[base + step] = z11 + z4;
  w[base + 7 * step] = z11 - z4;
}

function validateFrequencies(functionName: string, frequencies: readonly number[]): void {
  if (!Array.isArray(frequencies) && !ArrayBuffer.isView(frequencies)) {
    throw new ArgumentError(functionName, 'options.frequencies', 'must be an array of natural indices 0..63');
  }
  const seen = new Set<number>();
  for (const k of frequencies) {
    if (!Number.isInteger(k) || k < 0 || k > 63) {
      throw new ArgumentError(functionName, 'options.frequencies', `must hold integers 0..63, got ${k}`);
    }
    if (seen.has(k))
      throw new ArgumentError(
        functionName,
        'options.frequencies',
        `must not repeat a frequency, got ${k} twice`,
      );
    seen.add(k);
  }
}

/**
 * Orthonormal 8x8 DCT-II of (sample - 128) over a whole plane. Samples are 0..255 (float or uint8).
 * Returns [ceil(H/8), ceil(W/8), K] coefficients (K = frequencies, default 64 in natural order, u
 * vertical). A constant block c gives DC = 8 (c - 128). Equals a JPEG encoder's coefficients before
 * quantization.
 */
export function forwardDctPlane(plane: Plane, options: Partial<ForwardDctOptions> = {}): DctPlane {
  validatePlane('forwardDctPlane', plane);
  const edge = options.edge ?? DEFAULT_FORWARD_DCT_OPTIONS.edge;
  if (edge !== 'replicate' && edge !== 'error') {
    throw new ArgumentError(
      'forwardDctPlane',
      'options.edge',
      `must be 'replicate' or 'error', got ${String(edge)}`,
    );
  }
  const { width, height, data } = plane;
  if (edge === 'error' && (width % 8 !== 0 || height % 8 !== 0)) {
    throw new ArgumentError(
      'forwardDctPlane',
      'plane',
      `must have sizes that are multiples of 8 with edge 'error', got ${width}x${height}`,
      {
        width,
        height,
      },
    );
  }
  const frequencies = options.frequencies ?? ALL_FREQUENCIES;
  validateFrequencies('forwardDctPlane', frequencies);
  const heightInBlocks = Math.ceil(height / 8);
  const widthInBlocks = Math.ceil(width / 8);
  const count = frequencies.length;
  const stride = options.outputStride ?? count;
  const offset = options.outputOffset ?? 0;
  const blocks = heightInBlocks * widthInBlocks;
  let output = options.output;
  if (output === undefined) {
    output = new Float32Array(blocks * stride);
  } else if (!(output instanceof Float32Array) || output.length < (blocks - 1) * stride + offset + count) {
    throw new ArgumentError(
      'forwardDctPlane',
      'options.output',
      `must be a Float32Array of at least ${(blocks - 1) * stride + offset + count} values for ${heightInBlocks}x${widthInBlocks} blocks`,
    );
  }
  if (blocks > 0)
    dctPlaneKernel(data, width, height, heightInBlocks, widthInBlocks, frequencies, output, stride, offset);
  return { data: output, heightInBlocks, widthInBlocks, frequencies };
}

/** The AAN row transform of 8 samples read straight from the plane, written to w[b .. b + 7]. */
function aanRowFromSource(source: Float32Array | Uint8Array, s: number, w: Float64Array, b: number): void {
  const d0 = source[s];
  const d1 = source[s + 1];
  const d2 = source[s + 2];
  const d3 = source[s + 3];
  const d4 = source[s + 4];
  const d5 = source[s + 5];
  const d6 = source[s + 6];
  const d7 = source[s + 7];
  const tmp0 = d0 + d7;
  const tmp7 = d0 - d7;
  const tmp1 = d1 + d6;
  const tmp6 = d1 - d6;
  const tmp2 = d2 + d5;
  const tmp5 = d2 - d5;
  const tmp3 = d3 + d4;
  const tmp4 = d3 - d4;
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  w[b] = tmp10 + tmp11;
  w[b + 4] = tmp10 - tmp11;
  const z1 = (tmp12 + tmp13) * C0_707;
  w[b + 2] = tmp13 + z1;
  w[b + 6] = tmp13 - z1;
  const o10 = tmp4 + tmp5;
  const o11 = tmp5 + tmp6;
  const o12 = tmp6 + tmp7;
  const z5 = (o10 - o12) * C0_382;
  const z2 = C0_541 * o10 + z5;
  const z4 = C1_306 * o12 + z5;
  const z3 = o11 * C0_707;
  const z11 = tmp7 + z3;
  const z13 = tmp7 - z3;
  w[b + 5] = z13 + z2;
  w[b + 3] = z13 - z2;
  w[b + 1] = z11 + z4;
  w[b + 7] = z11 - z4;
}

/**
 * The AAN column transform of column v of w, scaled and written straight to the output slots that want
 * it (`slots[u * 8 + v]` = position in the block's output, or -1). Column 0 also removes the level shift.
 */
function aanColumnToOutput(
  w: Float64Array,
  v: number,
  output: Float32Array,
  base: number,
  slots: Int32Array,
  scales: Float64Array,
): void {
  const d0 = w[v];
  const d1 = w[v + 8];
  const d2 = w[v + 16];
  const d3 = w[v + 24];
  const d4 = w[v + 32];
  const d5 = w[v + 40];
  const d6 = w[v + 48];
  const d7 = w[v + 56];
  const tmp0 = d0 + d7;
  const tmp7 = d0 - d7;
  const tmp1 = d1 + d6;
  const tmp6 = d1 - d6;
  const tmp2 = d2 + d5;
  const tmp5 = d2 - d5;
  const tmp3 = d3 + d4;
  const tmp4 = d3 - d4;
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  // The level shift (sample - 128) only moves DC: 64 * 128 in AAN units (8 * 128 orthonormal).
  const o0 = tmp10 + tmp11 - (v === 0 ? 8192 : 0);
  const o4 = tmp10 - tmp11;
  const z1 = (tmp12 + tmp13) * C0_707;
  const o2 = tmp13 + z1;
  const o6 = tmp13 - z1;
  const o10 = tmp4 + tmp5;
  const o11 = tmp5 + tmp6;
  const o12 = tmp6 + tmp7;
  const z5 = (o10 - o12) * C0_382;
  const z2 = C0_541 * o10 + z5;
  const z4 = C1_306 * o12 + z5;
  const z3 = o11 * C0_707;
  const z11 = tmp7 + z3;
  const z13 = tmp7 - z3;
  let slot = slots[v];
  if (slot >= 0) output[base + slot] = o0 * scales[v];
  slot = slots[8 + v];
  if (slot >= 0) output[base + slot] = (z11 + z4) * scales[8 + v];
  slot = slots[16 + v];
  if (slot >= 0) output[base + slot] = o2 * scales[16 + v];
  slot = slots[24 + v];
  if (slot >= 0) output[base + slot] = (z13 - z2) * scales[24 + v];
  slot = slots[32 + v];
  if (slot >= 0) output[base + slot] = o4 * scales[32 + v];
  slot = slots[40 + v];
  if (slot >= 0) output[base + slot] = (z13 + z2) * scales[40 + v];
  slot = slots[48 + v];
  if (slot >= 0) output[base + slot] = o6 * scales[48 + v];
  slot = slots[56 + v];
  if (slot >= 0) output[base + slot] = (z11 - z4) * scales[56 + v];
}

function dctPlaneKernel(
  data: Float32Array | Uint8Array,
  width: number,
  height: number,
  heightInBlocks: number,
  widthInBlocks: number,
  frequencies: readonly number[],
  output: Float32Array,
  stride: number,
  offset: number,
): void {
  const slots = new Int32Array(64).fill(-1);
  frequencies.forEach((k, position) => {
    slots[k] = position;
  });
  // Only the columns v that some requested coefficient uses need the second (vertical) pass.
  const columnNeeded = new Uint8Array(8);
  for (const k of frequencies) columnNeeded[k & 7] = 1;
  const columns = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7].filter((v) => columnNeeded[v]));
  const w = new Float64Array(64);
  const rowStart = new Int32Array(8);
  const columnIndex = new Int32Array(8);
  for (let by = 0; by < heightInBlocks; by++) {
    for (let r = 0; r < 8; r++) rowStart[r] = Math.min(by * 8 + r, height - 1) * width;
    for (let bx = 0; bx < widthInBlocks; bx++) {
      const x0 = bx * 8;
      if (x0 + 8 <= width) {
        for (let r = 0; r < 8; r++) aanRowFromSource(data, rowStart[r] + x0, w, r * 8);
      } else {
        for (let c = 0; c < 8; c++) columnIndex[c] = Math.min(x0 + c, width - 1);
        for (let r = 0; r < 8; r++)
          for (let c = 0; c < 8; c++) w[r * 8 + c] = data[rowStart[r] + columnIndex[c]];
        for (let r = 0; r < 8; r++) aanForward(w, r * 8, 1);
      }
      const base = (by * widthInBlocks + bx) * stride + offset;
      for (let i = 0; i < columns.length; i++)
        aanColumnToOutput(w, columns[i], output, base, slots, OUTPUT_SCALE);
    }
  }
}

/** Orthonormal 1-D DCT-II basis, BASIS[u * 8 + x] = c(u) cos((2x + 1) u pi / 16). */
export const DCT_BASIS: Float64Array = (() => {
  const basis = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    const c = u === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8);
    for (let x = 0; x < 8; x++) basis[u * 8 + x] = c * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return basis;
})();

export interface InverseDctOptions {
  /** Natural indices stored per block, in storage order (missing frequencies are zero). Default all 64. */
  frequencies?: readonly number[];
  /** Values per block in `coefficients` (default frequencies.length) and where this component starts. */
  stride?: number;
  offset?: number;
}

/**
 * Inverse of `forwardDctPlane`: coefficients [Hb, Wb, K] -> samples [Hb * 8, Wb * 8] (float32, + 128
 * restored, not rounded or clamped). Separable orthonormal DCT-III.
 */
export function inverseDctPlane(
  coefficients: Float32Array,
  heightInBlocks: number,
  widthInBlocks: number,
  options: InverseDctOptions = {},
): Plane<Float32Array> {
  if (!(coefficients instanceof Float32Array)) {
    throw new ArgumentError('inverseDctPlane', 'coefficients', 'must be a Float32Array [Hb, Wb, K]');
  }
  if (
    !Number.isInteger(heightInBlocks) ||
    !Number.isInteger(widthInBlocks) ||
    heightInBlocks < 0 ||
    widthInBlocks < 0
  ) {
    throw new ArgumentError(
      'inverseDctPlane',
      'heightInBlocks',
      `and widthInBlocks must be non-negative integers, got ${heightInBlocks}x${widthInBlocks}`,
    );
  }
  const frequencies = options.frequencies ?? ALL_FREQUENCIES;
  validateFrequencies('inverseDctPlane', frequencies);
  const stride = options.stride ?? frequencies.length;
  const offset = options.offset ?? 0;
  const blocks = heightInBlocks * widthInBlocks;
  if (blocks > 0 && coefficients.length < (blocks - 1) * stride + offset + frequencies.length) {
    throw new ArgumentError(
      'inverseDctPlane',
      'coefficients',
      `must hold [${heightInBlocks}, ${widthInBlocks}, ${stride}] values (length ${blocks * stride}), got length ${coefficients.length}`,
    );
  }
  const width = widthInBlocks * 8;
  const out = new Float32Array(blocks * 64);
  const block = new Float64Array(64);
  const temp = new Float64Array(64);
  const B = DCT_BASIS;
  for (let by = 0; by < heightInBlocks; by++) {
    for (let bx = 0; bx < widthInBlocks; bx++) {
      block.fill(0);
      const base = (by * widthInBlocks + bx) * stride + offset;
      for (let k = 0; k < frequencies.length; k++) block[frequencies[k]] = coefficients[base + k];
      // Rows: temp[u][x] = sum_v F[u][v] B[v][x].
      for (let u = 0; u < 8; u++) {
        for (let x = 0; x < 8; x++) {
          let sum = 0;
          for (let v = 0; v < 8; v++) sum += block[u * 8 + v] * B[v * 8 + x];
          temp[u * 8 + x] = sum;
        }
      }
      // Columns: f[y][x] = sum_u B[u][y] temp[u][x].
      for (let y = 0; y < 8; y++) {
        const row = (by * 8 + y) * width + bx * 8;
        for (let x = 0; x < 8; x++) {
          let sum = 0;
          for (let u = 0; u < 8; u++) sum += B[u * 8 + y] * temp[u * 8 + x];
          out[row + x] = sum + 128;
        }
      }
    }
  }
  return { data: out, width, height: heightInBlocks * 8 };
}
