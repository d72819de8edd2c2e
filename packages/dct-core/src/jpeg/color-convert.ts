/**
 * YCbCr -> RGB as libjpeg's jdcolor.c computes it: 16-bit fixed-point tables of the JFIF (BT.601 full
 * range) coefficients, rounding folded into the Cr->R, Cb->B and Cb->G tables, results clamped to 0..255.
 */
const SCALE_BITS = 16;
const ONE_HALF = 1 << (SCALE_BITS - 1);
const fix = (value: number) => Math.floor(value * (1 << SCALE_BITS) + 0.5);

const CR_TO_R = new Int32Array(256);
const CB_TO_B = new Int32Array(256);
const CR_TO_G = new Int32Array(256);
const CB_TO_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_TO_R[i] = (fix(1.402) * x + ONE_HALF) >> SCALE_BITS;
  CB_TO_B[i] = (fix(1.772) * x + ONE_HALF) >> SCALE_BITS;
  CR_TO_G[i] = -fix(0.71414) * x;
  CB_TO_G[i] = -fix(0.34414) * x + ONE_HALF;
}

const clamp = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : value);

/** Converts full-resolution Y, Cb, Cr planes to interleaved RGB. */
export function yccToRgb(y: Uint8Array, cb: Uint8Array, cr: Uint8Array, output: Uint8Array): void {
  // A clamped view of the output does libjpeg's range limiting on store.
  const clamped = new Uint8ClampedArray(output.buffer, output.byteOffset, output.length);
  for (let i = 0, o = 0; i < y.length; i++, o += 3) {
    const luma = y[i];
    const blue = cb[i];
    const red = cr[i];
    clamped[o] = luma + CR_TO_R[red];
    clamped[o + 1] = luma + ((CB_TO_G[blue] + CR_TO_G[red]) >> SCALE_BITS);
    clamped[o + 2] = luma + CB_TO_B[blue];
  }
}

/** libjpeg's YCCK -> CMYK: the YCbCr part converted to RGB and inverted, K passed through. */
export function ycckToCmyk(
  y: Uint8Array,
  cb: Uint8Array,
  cr: Uint8Array,
): { cyan: Uint8Array; magenta: Uint8Array; yellow: Uint8Array } {
  const count = y.length;
  const cyan = new Uint8Array(count);
  const magenta = new Uint8Array(count);
  const yellow = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const luma = y[i];
    cyan[i] = clamp(255 - (luma + CR_TO_R[cr[i]]));
    magenta[i] = clamp(255 - (luma + ((CB_TO_G[cb[i]] + CR_TO_G[cr[i]]) >> SCALE_BITS)));
    yellow[i] = clamp(255 - (luma + CB_TO_B[cb[i]]));
  }
  return { cyan, magenta, yellow };
}

/**
 * CMYK as stored by Adobe applications (inverted: 255 = no ink) to RGB by the naive formula
 * R = C * K / 255 (no colour management; printing profiles are ignored).
 */
export function invertedCmykToRgb(
  cyan: Uint8Array,
  magenta: Uint8Array,
  yellow: Uint8Array,
  black: Uint8Array,
  output: Uint8Array,
): void {
  for (let i = 0, o = 0; i < cyan.length; i++, o += 3) {
    const k = black[i];
    output[o] = Math.round((cyan[i] * k) / 255);
    output[o + 1] = Math.round((magenta[i] * k) / 255);
    output[o + 2] = Math.round((yellow[i] * k) / 255);
  }
}
