import { ArgumentError } from './errors.js';

function check(functionName: string, plane: Float32Array, width: number, height: number): void {
  if (!(plane instanceof Float32Array) || plane.length !== width * height) {
    throw new ArgumentError(
      functionName,
      'plane',
      `must be a Float32Array of ${width}x${height} = ${width * height} samples, got length ${plane?.length}`,
    );
  }
}

/**
 * Bilinear 2x upsampling with half-pixel centres and clamped edges (what OpenCV INTER_LINEAR and
 * torch `align_corners=False` do for an exact 2x): output 2i = 0.25 x[i-1] + 0.75 x[i], 2i+1 = 0.75 x[i]
 * + 0.25 x[i+1] per axis. Returns [2H, 2W] float32, unrounded.
 */
export function upsamplePlane2x(plane: Float32Array, width: number, height: number): Float32Array {
  check('upsamplePlane2x', plane, width, height);
  const outWidth = width * 2;
  const temp = new Float32Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const outRow = y * outWidth;
    for (let x = 0; x < width; x++) {
      const center = plane[row + x];
      const left = plane[row + (x > 0 ? x - 1 : 0)];
      const right = plane[row + (x < width - 1 ? x + 1 : x)];
      temp[outRow + 2 * x] = 0.25 * left + 0.75 * center;
      temp[outRow + 2 * x + 1] = 0.75 * center + 0.25 * right;
    }
  }
  const out = new Float32Array(outWidth * height * 2);
  for (let y = 0; y < height; y++) {
    const center = y * outWidth;
    const up = (y > 0 ? y - 1 : 0) * outWidth;
    const down = (y < height - 1 ? y + 1 : y) * outWidth;
    const even = 2 * y * outWidth;
    const odd = even + outWidth;
    for (let x = 0; x < outWidth; x++) {
      out[even + x] = 0.25 * temp[up + x] + 0.75 * temp[center + x];
      out[odd + x] = 0.75 * temp[center + x] + 0.25 * temp[down + x];
    }
  }
  return out;
}

/**
 * The paper's "upscaled" chroma in one step: a 2x bilinear upsampling followed by a 2x2 mean (4:2:0
 * without rounding) is, per axis, the 3-tap filter [1, 6, 1] / 8 with clamped edges. Same size out.
 * Equal (to float rounding) to `upsamplePlane2x` then 2x2 averaging, at a quarter of the work.
 */
export function upscaledChromaFilter(plane: Float32Array, width: number, height: number): Float32Array {
  check('upscaledChromaFilter', plane, width, height);
  const out = new Float32Array(width * height);
  if (width === 0 || height === 0) return out;
  // Horizontal pass into `out`, edges clamped; the interior loop has no branches.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (width === 1) {
      out[row] = plane[row];
      continue;
    }
    out[row] = 0.875 * plane[row] + 0.125 * plane[row + 1];
    for (let x = row + 1, end = row + width - 1; x < end; x++)
      out[x] = 0.125 * (plane[x - 1] + plane[x + 1]) + 0.75 * plane[x];
    const last = row + width - 1;
    out[last] = 0.875 * plane[last] + 0.125 * plane[last - 1];
  }
  // Vertical pass in place, keeping the previous unfiltered row.
  let previous = out.slice(0, width);
  let current = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    current.set(out.subarray(row, row + width));
    const below = y < height - 1 ? row + width : row;
    for (let x = 0; x < width; x++) out[row + x] = 0.125 * (previous[x] + out[below + x]) + 0.75 * current[x];
    const swap = previous;
    previous = current;
    current = swap;
  }
  return out;
}

/**
 * Plain 2x2 mean (4:2:0 in float, no rounding). Like libjpeg, the full-size plane is edge-replicated to
 * `outputWidth * 2` columns and an even row count first. Returns [ceil(H/2), outputWidth].
 */
export function downsamplePlane2x2(
  plane: Float32Array,
  width: number,
  height: number,
  outputWidth = Math.ceil(width / 2),
): Float32Array {
  check('downsamplePlane2x2', plane, width, height);
  if (!Number.isInteger(outputWidth) || outputWidth * 2 < width) {
    throw new ArgumentError(
      'downsamplePlane2x2',
      'outputWidth',
      `must be an integer >= ceil(width / 2) = ${Math.ceil(width / 2)}, got ${outputWidth}`,
    );
  }
  const outWidth = outputWidth;
  const outHeight = Math.ceil(height / 2);
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const row0 = 2 * y * width;
    const row1 = Math.min(2 * y + 1, height - 1) * width;
    for (let x = 0; x < outWidth; x++) {
      const x0 = Math.min(2 * x, width - 1);
      const x1 = Math.min(2 * x + 1, width - 1);
      out[y * outWidth + x] =
        0.25 * (plane[row0 + x0] + plane[row0 + x1] + plane[row1 + x0] + plane[row1 + x1]);
    }
  }
  return out;
}
