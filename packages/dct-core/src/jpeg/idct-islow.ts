/**
 * libjpeg's accurate integer inverse DCT ("islow", jidctint.c), written out so that pixels match
 * libjpeg-turbo bit for bit: 13-bit fixed-point constants, two extra bits of precision between the
 * column and the row pass, and libjpeg's post-IDCT range-limit table (values wrap modulo 1024 before
 * clamping, exactly like `range_limit[x & RANGE_MASK]`).
 *
 * Intermediate values are JavaScript doubles, descaled with Math.floor, which reproduces C's 64-bit
 * arithmetic for any input (including corrupt coefficients) instead of overflowing at 32 bits.
 */

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

const SCALE_CONST = 1 << CONST_BITS;
// Descaling multiplies by exact power-of-two reciprocals (faster than division, same result).
const PASS1_ROUND = 2 ** (CONST_BITS - PASS1_BITS - 1);
const PASS1_SCALE = 2 ** -(CONST_BITS - PASS1_BITS);
const PASS2_ROUND = 2 ** (CONST_BITS + PASS1_BITS + 3 - 1);
const PASS2_SCALE = 2 ** -(CONST_BITS + PASS1_BITS + 3);
const DC_ROUND = 2 ** (PASS1_BITS + 3 - 1);
const DC_SCALE = 2 ** -(PASS1_BITS + 3);

/** libjpeg's post-IDCT range limit: index (value & 1023) -> sample, with value 0 meaning 128. */
export const IDCT_RANGE_LIMIT: Uint8Array = (() => {
  const table = new Uint8Array(1024);
  for (let i = 0; i < 1024; i++) {
    if (i < 128) table[i] = i + 128;
    else if (i < 512) table[i] = 255;
    else if (i < 896) table[i] = 0;
    else table[i] = i - 896;
  }
  return table;
})();

/**
 * Inverse-transforms one quantized block into 8x8 samples.
 * @param coefficients quantized coefficients, natural order, read at `coefficientOffset`.
 * @param quantization 64 steps in natural order.
 * @param output samples written at `outputOffset + row * stride + column`.
 * @param workspace scratch of 64 entries.
 */
export function idctIslow(
  coefficients: Int16Array,
  coefficientOffset: number,
  quantization: Uint16Array,
  output: Uint8Array,
  outputOffset: number,
  stride: number,
  workspace: Int32Array,
): void {
  const limit = IDCT_RANGE_LIMIT;
  // Pass 1: columns, results scaled up by 2^PASS1_BITS.
  for (let column = 0; column < 8; column++) {
    const c = coefficientOffset + column;
    const c1 = coefficients[c + 8];
    const c2 = coefficients[c + 16];
    const c3 = coefficients[c + 24];
    const c4 = coefficients[c + 32];
    const c5 = coefficients[c + 40];
    const c6 = coefficients[c + 48];
    const c7 = coefficients[c + 56];
    if ((c1 | c2 | c3 | c4 | c5 | c6 | c7) === 0) {
      const dc = coefficients[c] * quantization[column] * (1 << PASS1_BITS);
      for (let row = 0; row < 8; row++) workspace[row * 8 + column] = dc;
      continue;
    }
    let z2 = c2 * quantization[16 + column];
    let z3 = c6 * quantization[48 + column];
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 - z3 * FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    z2 = coefficients[c] * quantization[column];
    z3 = c4 * quantization[32 + column];
    let tmp0 = (z2 + z3) * SCALE_CONST;
    let tmp1 = (z2 - z3) * SCALE_CONST;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;

    tmp0 = c7 * quantization[56 + column];
    tmp1 = c5 * quantization[40 + column];
    tmp2 = c3 * quantization[24 + column];
    tmp3 = c1 * quantization[8 + column];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;

    workspace[column] = Math.floor((tmp10 + tmp3 + PASS1_ROUND) * PASS1_SCALE);
    workspace[56 + column] = Math.floor((tmp10 - tmp3 + PASS1_ROUND) * PASS1_SCALE);
    workspace[8 + column] = Math.floor((tmp11 + tmp2 + PASS1_ROUND) * PASS1_SCALE);
    workspace[48 + column] = Math.floor((tmp11 - tmp2 + PASS1_ROUND) * PASS1_SCALE);
    workspace[16 + column] = Math.floor((tmp12 + tmp1 + PASS1_ROUND) * PASS1_SCALE);
    workspace[40 + column] = Math.floor((tmp12 - tmp1 + PASS1_ROUND) * PASS1_SCALE);
    workspace[24 + column] = Math.floor((tmp13 + tmp0 + PASS1_ROUND) * PASS1_SCALE);
    workspace[32 + column] = Math.floor((tmp13 - tmp0 + PASS1_ROUND) * PASS1_SCALE);
  }
  // Pass 2: rows, descaled by 2^(CONST_BITS + PASS1_BITS + 3) and range-limited.
  for (let row = 0; row < 8; row++) {
    const w = row * 8;
    const out = outputOffset + row * stride;
    const w1 = workspace[w + 1];
    const w2 = workspace[w + 2];
    const w3 = workspace[w + 3];
    const w4 = workspace[w + 4];
    const w5 = workspace[w + 5];
    const w6 = workspace[w + 6];
    const w7 = workspace[w + 7];
    if ((w1 | w2 | w3 | w4 | w5 | w6 | w7) === 0) {
      const value = limit[Math.floor((workspace[w] + DC_ROUND) * DC_SCALE) & 1023];
      for (let column = 0; column < 8; column++) output[out + column] = value;
      continue;
    }
    let z1 = (w2 + w6) * FIX_0_541196100;
    let tmp2 = z1 - w6 * FIX_1_847759065;
    let tmp3 = z1 + w2 * FIX_0_765366865;
    let tmp0 = (workspace[w] + w4) * SCALE_CONST;
    let tmp1 = (workspace[w] - w4) * SCALE_CONST;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;

    tmp0 = w7;
    tmp1 = w5;
    tmp2 = w3;
    tmp3 = w1;
    z1 = tmp0 + tmp3;
    let z2 = tmp1 + tmp2;
    let z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;

    output[out] = limit[Math.floor((tmp10 + tmp3 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 7] = limit[Math.floor((tmp10 - tmp3 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 1] = limit[Math.floor((tmp11 + tmp2 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 6] = limit[Math.floor((tmp11 - tmp2 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 2] = limit[Math.floor((tmp12 + tmp1 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 5] = limit[Math.floor((tmp12 - tmp1 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 3] = limit[Math.floor((tmp13 + tmp0 + PASS2_ROUND) * PASS2_SCALE) & 1023];
    output[out + 4] = limit[Math.floor((tmp13 - tmp0 + PASS2_ROUND) * PASS2_SCALE) & 1023];
  }
}
