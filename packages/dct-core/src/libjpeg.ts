import { rgbToYcbcrUint8 } from './color.js';
import { ArgumentError } from './errors.js';
import type { RgbImage } from './image.js';
import { validateRgbImage } from './image.js';

// libjpeg's accurate integer forward DCT (jfdctint.c, "islow"): 13-bit constants, PASS1_BITS = 2 extra
// bits kept between the passes. Output is 8x the orthonormal DCT; quantization divides by 8q.
const CONST_BITS = 13;
const PASS1_BITS = 2;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

// DESCALE(x, n) = (x + 2^(n-1)) >> n, computed as floor((x + 2^(n-1)) * 2^-n): exact in float64 and safe
// beyond 32 bits (libjpeg uses 64-bit JLONG here).
const PASS1_SHIFT = CONST_BITS - PASS1_BITS;
const PASS2_SHIFT = CONST_BITS + PASS1_BITS;
const PASS1_ROUND = 2 ** (PASS1_SHIFT - 1);
const PASS1_SCALE = 2 ** -PASS1_SHIFT;
const PASS2_ROUND = 2 ** (PASS2_SHIFT - 1);
const PASS2_SCALE = 2 ** -PASS2_SHIFT;
const DC_ROUND = 2 ** (PASS1_BITS - 1);
const DC_SCALE = 2 ** -PASS1_BITS;

/** One 1-D islow pass over w[base + i * step]; the last (column) pass descales the DC/4 terms too. */
function islowPass(w: Float64Array, base: number, step: number, last: boolean): void {
  const i1 = base + step;
  const i2 = i1 + step;
  const i3 = i2 + step;
  const i4 = i3 + step;
  const i5 = i4 + step;
  const i6 = i5 + step;
  const i7 = i6 + step;
  const tmp0 = w[base] + w[i7];
  const tmp7 = w[base] - w[i7];
  const tmp1 = w[i1] + w[i6];
  const tmp6 = w[i1] - w[i6];
  const tmp2 = w[i2] + w[i5];
  const tmp5 = w[i2] - w[i5];
  const tmp3 = w[i3] + w[i4];
  const tmp4 = w[i3] - w[i4];
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  const round = last ? PASS2_ROUND : PASS1_ROUND;
  const scale = last ? PASS2_SCALE : PASS1_SCALE;
  if (last) {
    w[base] = Math.floor((tmp10 + tmp11 + DC_ROUND) * DC_SCALE);
    w[i4] = Math.floor((tmp10 - tmp11 + DC_ROUND) * DC_SCALE);
  } else {
    w[base] = (tmp10 + tmp11) * (1 << PASS1_BITS);
    w[i4] = (tmp10 - tmp11) * (1 << PASS1_BITS);
  }
  const z1 = (tmp12 + tmp13) * FIX_0_541196100;
  w[i2] = Math.floor((z1 + tmp13 * FIX_0_765366865 + round) * scale);
  w[i6] = Math.floor((z1 - tmp12 * FIX_1_847759065 + round) * scale);
  // Odd part.
  const y1 = tmp4 + tmp7;
  const y2 = tmp5 + tmp6;
  const y3 = tmp4 + tmp6;
  const y4 = tmp5 + tmp7;
  const z5 = (y3 + y4) * FIX_1_175875602;
  const b1 = -y1 * FIX_0_899976223;
  const b2 = -y2 * FIX_2_562915447;
  const b3 = -y3 * FIX_1_961570560 + z5;
  const b4 = -y4 * FIX_0_390180644 + z5;
  w[i7] = Math.floor((tmp4 * FIX_0_298631336 + b1 + b3 + round) * scale);
  w[i5] = Math.floor((tmp5 * FIX_2_053119869 + b2 + b4 + round) * scale);
  w[i3] = Math.floor((tmp6 * FIX_3_072711026 + b2 + b3 + round) * scale);
  w[i1] = Math.floor((tmp7 * FIX_1_501321110 + b1 + b4 + round) * scale);
}

/**
 * libjpeg's integer "islow" forward DCT (jfdctint.c) of one block, in place: `block` holds 64 centred
 * samples (sample - 128) in natural order and receives the coefficients scaled by 8.
 */
export function libjpegForwardDctIslow(block: Float64Array): Float64Array {
  if (!(block instanceof Float64Array) || block.length !== 64) {
    throw new ArgumentError(
      'libjpegForwardDctIslow',
      'block',
      'must be a Float64Array of 64 centred samples',
    );
  }
  for (let r = 0; r < 8; r++) islowPass(block, r * 8, 1, false);
  for (let c = 0; c < 8; c++) islowPass(block, c, 8, true);
  return block;
}

/** libjpeg's quantization of an islow output: divide by 8 q, rounding half away from zero. */
export function libjpegQuantize(value: number, quantizationStep: number): number {
  const divisor = quantizationStep * 8;
  const magnitude = Math.floor((Math.abs(value) + (divisor >> 1)) / divisor);
  return value < 0 ? -magnitude : magnitude;
}

/**
 * libjpeg's default 2x2 chroma downsampling (jcsample.c h2v2_downsample) with its padding: the full-size
 * plane is first edge-replicated to `outputWidth * 2` columns and an even number of rows; each output
 * sample is (sum of 2x2 + bias) >> 2 with the bias alternating 1, 2, 1, 2 along a row (so rounding does
 * not drift). Returns ceil(H/2) rows of `outputWidth` samples.
 */
export function libjpegDownsampleH2V2(
  plane: Uint8Array,
  width: number,
  height: number,
  outputWidth = Math.ceil(width / 2),
): Uint8Array {
  if (plane.length !== width * height) {
    throw new ArgumentError(
      'libjpegDownsampleH2V2',
      'plane',
      `must have ${width}x${height} = ${width * height} samples, got ${plane.length}`,
    );
  }
  if (!Number.isInteger(outputWidth) || outputWidth * 2 < width) {
    throw new ArgumentError(
      'libjpegDownsampleH2V2',
      'outputWidth',
      `must be an integer >= ceil(width / 2) = ${Math.ceil(width / 2)}, got ${outputWidth}`,
    );
  }
  const outputHeight = Math.ceil(height / 2);
  const out = new Uint8Array(outputWidth * outputHeight);
  if (width === 0) return out;
  for (let oy = 0; oy < outputHeight; oy++) {
    const row0 = 2 * oy * width;
    const row1 = Math.min(2 * oy + 1, height - 1) * width;
    let bias = 1;
    for (let ox = 0; ox < outputWidth; ox++) {
      const x0 = Math.min(2 * ox, width - 1);
      const x1 = Math.min(2 * ox + 1, width - 1);
      out[oy * outputWidth + ox] =
        (plane[row0 + x0] + plane[row0 + x1] + plane[row1 + x0] + plane[row1 + x1] + bias) >> 2;
      bias ^= 3;
    }
  }
  return out;
}

/** Chroma subsampling of the libjpeg-parity encoder. */
export type JpegSampling = '444' | '420';

export interface JpegCoefficientOptions {
  sampling: JpegSampling;
  /** Quantization table in natural order (64 steps, 1..255) for every component; default all 1 (quality 100). */
  quantization?: ArrayLike<number>;
  /** Per-component tables [Y, Cb, Cr] (e.g. libjpeg's luma and chroma tables); overrides `quantization`. */
  componentQuantization?: readonly ArrayLike<number>[];
}

export const DEFAULT_JPEG_COEFFICIENT_OPTIONS: Readonly<JpegCoefficientOptions> = Object.freeze({
  sampling: '420',
});

/** One component's quantized coefficients: `blocks` is [heightInBlocks, widthInBlocks, 64], natural order. */
export interface JpegComponentCoefficients {
  widthInBlocks: number;
  heightInBlocks: number;
  blocks: Int16Array;
}

/**
 * The quantized DCT coefficients libjpeg-turbo's baseline encoder writes for this image (colour
 * conversion jccolor.c, downsampling jcsample.c with its edge expansion, islow DCT jfdctint.c,
 * quantization jcdctmgr.c): Y, Cb, Cr, each with libjpeg's `width_in_blocks` x `height_in_blocks`.
 * Bit-exact against libjpeg at any quality given its quantization table.
 */
export function computeJpegCoefficients(
  image: RgbImage,
  options: Partial<JpegCoefficientOptions> = {},
): JpegComponentCoefficients[] {
  validateRgbImage('computeJpegCoefficients', image);
  const sampling = options.sampling ?? DEFAULT_JPEG_COEFFICIENT_OPTIONS.sampling;
  if (sampling !== '444' && sampling !== '420') {
    throw new ArgumentError(
      'computeJpegCoefficients',
      'options.sampling',
      `must be '444' or '420', got ${String(sampling)}`,
    );
  }
  const single = options.quantization ?? new Array<number>(64).fill(1);
  const tables = options.componentQuantization ?? [single, single, single];
  const tableName = (index: number) =>
    options.componentQuantization ? `options.componentQuantization[${index}]` : 'options.quantization';
  if (tables.length !== 3) {
    throw new ArgumentError(
      'computeJpegCoefficients',
      'options.componentQuantization',
      `must have 3 tables, got ${tables.length}`,
    );
  }
  tables.forEach((table, index) => {
    if (table.length !== 64 || !Array.from(table).every((step) => Number.isInteger(step) && step >= 1)) {
      throw new ArgumentError(
        'computeJpegCoefficients',
        tableName(index),
        `must have 64 integer steps >= 1, got length ${table.length}`,
      );
    }
  });
  const { width, height } = image;
  const planes = rgbToYcbcrUint8(image);
  const components = [planes.y, planes.cb, planes.cr].map((plane, component) => {
    if (component === 0 || sampling === '444') {
      return quantizePlane(
        plane,
        width,
        height,
        Math.ceil(width / 8),
        Math.ceil(height / 8),
        tables[component],
      );
    }
    const widthInBlocks = Math.ceil(width / 16);
    const heightInBlocks = Math.ceil(height / 16);
    const small = libjpegDownsampleH2V2(plane, width, height, widthInBlocks * 8);
    return quantizePlane(
      small,
      widthInBlocks * 8,
      Math.ceil(height / 2),
      widthInBlocks,
      heightInBlocks,
      tables[component],
    );
  });
  return components;
}

/** islow DCT + quantization of a plane, edge-replicated to the block grid as libjpeg pads it. */
function quantizePlane(
  plane: Uint8Array,
  width: number,
  height: number,
  widthInBlocks: number,
  heightInBlocks: number,
  quantization: ArrayLike<number>,
): JpegComponentCoefficients {
  const blocks = new Int16Array(widthInBlocks * heightInBlocks * 64);
  const w = new Float64Array(64);
  for (let by = 0; by < heightInBlocks; by++) {
    for (let bx = 0; bx < widthInBlocks; bx++) {
      for (let r = 0; r < 8; r++) {
        const row = Math.min(by * 8 + r, height - 1) * width;
        for (let c = 0; c < 8; c++) w[r * 8 + c] = plane[row + Math.min(bx * 8 + c, width - 1)] - 128;
      }
      libjpegForwardDctIslow(w);
      const base = (by * widthInBlocks + bx) * 64;
      for (let k = 0; k < 64; k++) blocks[base + k] = libjpegQuantize(w[k], quantization[k]);
    }
  }
  return { widthInBlocks, heightInBlocks, blocks };
}
