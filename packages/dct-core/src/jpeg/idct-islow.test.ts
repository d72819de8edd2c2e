import { describe, expect, it } from 'vitest';
import { IDCT_RANGE_LIMIT, idctIslow } from './idct-islow.js';

const ones = new Uint16Array(64).fill(1);

function inverse(block: Int16Array, quantization = ones): Uint8Array {
  const output = new Uint8Array(64);
  idctIslow(block, 0, quantization, output, 0, 8, new Int32Array(64));
  return output;
}

/** Orthonormal 2-D inverse DCT in floating point, + 128, for comparison. */
function referenceInverse(block: Int16Array, quantization = ones): number[] {
  const out: number[] = [];
  const c = (k: number) => (k === 0 ? Math.SQRT1_2 : 1);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      let sum = 0;
      for (let u = 0; u < 8; u++) {
        for (let v = 0; v < 8; v++) {
          sum +=
            c(u) *
            c(v) *
            block[u * 8 + v] *
            quantization[u * 8 + v] *
            Math.cos(((2 * y + 1) * u * Math.PI) / 16) *
            Math.cos(((2 * x + 1) * v * Math.PI) / 16);
        }
      }
      out.push(Math.min(255, Math.max(0, Math.round(sum / 4 + 128))));
    }
  }
  return out;
}

describe('idctIslow', () => {
  it('turns a DC-only block into the constant 128 + DC / 8', () => {
    const block = new Int16Array(64);
    block[0] = 576;
    expect(Array.from(inverse(block))).toEqual(new Array(64).fill(200));
    block[0] = -80;
    expect(Array.from(inverse(block, new Uint16Array(64).fill(2)))).toEqual(new Array(64).fill(108));
  });

  it('stays within 1 of the floating-point inverse DCT on a seeded random block', () => {
    const block = new Int16Array(64);
    let state = 12345;
    for (let k = 0; k < 64; k++) {
      state = (state * 1103515245 + 12345) >>> 0;
      block[k] = ((state >>> 16) % 81) - 40;
    }
    block[0] = 100;
    const ours = Array.from(inverse(block));
    const reference = referenceInverse(block);
    expect(Math.max(...ours.map((value, i) => Math.abs(value - reference[i])))).toBeLessThanOrEqual(1);
  });

  it("clamps like libjpeg's range-limit table", () => {
    expect([
      IDCT_RANGE_LIMIT[0],
      IDCT_RANGE_LIMIT[127],
      IDCT_RANGE_LIMIT[128],
      IDCT_RANGE_LIMIT[1023],
    ]).toEqual([128, 255, 255, 127]);
    const block = new Int16Array(64);
    block[0] = 2040;
    expect(inverse(block)[0]).toBe(255);
    block[0] = -2040;
    expect(inverse(block)[0]).toBe(0);
  });
});
