import { ArgumentError } from './errors.js';
import type { Plane, RgbImage } from './image.js';
import { validatePlane, validateRgbImage } from './image.js';

/** Three planes of the same size: luma and the two chroma components (JFIF full range, chroma centred at 128). */
export interface YcbcrPlanes<T extends Float32Array | Uint8Array = Float32Array> {
  y: T;
  cb: T;
  cr: T;
  width: number;
  height: number;
}

/**
 * RGB -> YCbCr in float32, JFIF full range (BT.601 coefficients):
 * Y = 0.299 R + 0.587 G + 0.114 B, Cb = 128 - 0.168736 R - 0.331264 G + 0.5 B,
 * Cr = 128 + 0.5 R - 0.418688 G - 0.081312 B. No rounding, no clamping.
 */
export function rgbToYcbcrFloat(image: RgbImage): YcbcrPlanes<Float32Array> {
  validateRgbImage('rgbToYcbcrFloat', image);
  const { data, width, height } = image;
  const count = width * height;
  const y = new Float32Array(count);
  const cb = new Float32Array(count);
  const cr = new Float32Array(count);
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const r = data[p];
    const g = data[p + 1];
    const b = data[p + 2];
    y[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    cb[i] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    cr[i] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  return { y, cb, cr, width, height };
}

// libjpeg-turbo's encoder conversion (jccolor.c): constants scaled by 2^16, rounded, with the rounding
// fudge (ONE_HALF, or ONE_HALF - 1 for chroma so 255 never rounds up to 256) folded into one table.
const SCALE_BITS = 16;
const ONE_HALF = 1 << (SCALE_BITS - 1);
const CBCR_OFFSET = 128 << SCALE_BITS;
const fix = (x: number): number => Math.trunc(x * (1 << SCALE_BITS) + 0.5);

function buildLibjpegTables(): Int32Array {
  const table = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    table[i] = fix(0.299) * i;
    table[256 + i] = fix(0.587) * i;
    table[512 + i] = fix(0.114) * i + ONE_HALF;
    table[768 + i] = -fix(0.16874) * i;
    table[1024 + i] = -fix(0.33126) * i;
    // Shared by B->Cb and R->Cr.
    table[1280 + i] = fix(0.5) * i + CBCR_OFFSET + ONE_HALF - 1;
    table[1536 + i] = -fix(0.41869) * i;
    table[1792 + i] = -fix(0.08131) * i;
  }
  return table;
}

const LIBJPEG_TABLE = buildLibjpegTables();

/**
 * RGB -> YCbCr in 8-bit integers, reproducing libjpeg-turbo's encoder conversion (jccolor.c
 * rgb_ycc_convert) bit for bit: fixed point with 16 fractional bits, tables with the rounding offset.
 */
export function rgbToYcbcrUint8(image: RgbImage): YcbcrPlanes<Uint8Array> {
  validateRgbImage('rgbToYcbcrUint8', image);
  const { data, width, height } = image;
  const count = width * height;
  const y = new Uint8Array(count);
  const cb = new Uint8Array(count);
  const cr = new Uint8Array(count);
  const t = LIBJPEG_TABLE;
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const r = data[p];
    const g = data[p + 1];
    const b = data[p + 2];
    y[i] = (t[r] + t[256 + g] + t[512 + b]) >> SCALE_BITS;
    cb[i] = (t[768 + r] + t[1024 + g] + t[1280 + b]) >> SCALE_BITS;
    cr[i] = (t[1280 + r] + t[1536 + g] + t[1792 + b]) >> SCALE_BITS;
  }
  return { y, cb, cr, width, height };
}

function validateYcbcr(functionName: string, planes: YcbcrPlanes<Float32Array | Uint8Array>): void {
  const { width, height } = planes;
  validatePlane(functionName, { data: planes.y, width, height }, 'planes.y');
  validatePlane(functionName, { data: planes.cb, width, height }, 'planes.cb');
  validatePlane(functionName, { data: planes.cr, width, height }, 'planes.cr');
}

/**
 * YCbCr -> RGB in float32 (JFIF inverse: R = Y + 1.402 (Cr - 128), G = Y - 0.344136 (Cb - 128)
 * - 0.714136 (Cr - 128), B = Y + 1.772 (Cb - 128)). Returns interleaved [H, W, 3], unclamped.
 */
export function ycbcrToRgbFloat(planes: YcbcrPlanes<Float32Array | Uint8Array>): Float32Array {
  validateYcbcr('ycbcrToRgbFloat', planes);
  const count = planes.width * planes.height;
  const out = new Float32Array(count * 3);
  const { y, cb, cr } = planes;
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const luma = y[i];
    const blue = cb[i] - 128;
    const red = cr[i] - 128;
    out[p] = luma + 1.402 * red;
    out[p + 1] = luma - 0.344136 * blue - 0.714136 * red;
    out[p + 2] = luma + 1.772 * blue;
  }
  return out;
}

/** YCbCr -> 8-bit RGB image: the float inverse, rounded to nearest and clamped to 0..255. */
export function ycbcrToRgbUint8(planes: YcbcrPlanes<Float32Array | Uint8Array>): RgbImage {
  validateYcbcr('ycbcrToRgbUint8', planes);
  const rgb = ycbcrToRgbFloat(planes);
  const data = new Uint8ClampedArray(rgb.length);
  // Uint8ClampedArray rounds half to even and clamps, which is what we want for display.
  data.set(rgb);
  return { data: new Uint8Array(data.buffer), width: planes.width, height: planes.height };
}

/** The channel of one component of a YcbcrPlanes as a Plane. */
export function componentPlane<T extends Float32Array | Uint8Array>(
  planes: YcbcrPlanes<T>,
  component: number,
): Plane<T> {
  const data = component === 0 ? planes.y : component === 1 ? planes.cb : component === 2 ? planes.cr : null;
  if (data === null)
    throw new ArgumentError('componentPlane', 'component', `must be 0, 1 or 2, got ${component}`);
  return { data, width: planes.width, height: planes.height };
}
