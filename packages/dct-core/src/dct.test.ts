import { describe, expect, it } from 'vitest';
import { DCT_BASIS, forwardDctPlane, inverseDctPlane } from './dct.js';
import { seededRandom } from './testing/random.js';

/** Direct 2-D orthonormal DCT of one block from the definition (slow, for checking). */
function naiveDct(samples: ArrayLike<number>): Float64Array {
  const out = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    for (let v = 0; v < 8; v++) {
      let sum = 0;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++)
          sum += DCT_BASIS[u * 8 + y] * DCT_BASIS[v * 8 + x] * (samples[y * 8 + x] - 128);
      out[u * 8 + v] = sum;
    }
  }
  return out;
}

const planeOf = (data: Float32Array | Uint8Array, width: number, height: number) => ({ data, width, height });

describe('forwardDctPlane', () => {
  it('has an orthonormal basis', () => {
    for (let a = 0; a < 8; a++) {
      for (let b = 0; b < 8; b++) {
        let dot = 0;
        for (let x = 0; x < 8; x++) dot += DCT_BASIS[a * 8 + x] * DCT_BASIS[b * 8 + x];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
  });
  it('gives DC = 8 (c - 128) and zero AC for a constant block', () => {
    for (const c of [0, 77, 128, 255]) {
      const { data } = forwardDctPlane(planeOf(new Uint8Array(64).fill(c), 8, 8));
      expect(data[0]).toBeCloseTo(8 * (c - 128), 4);
      for (let k = 1; k < 64; k++) expect(Math.abs(data[k])).toBeLessThan(1e-4);
    }
  });
  it('lights exactly one coefficient for a single basis pattern', () => {
    for (const [u, v] of [
      [0, 1],
      [3, 5],
      [7, 7],
      [6, 0],
    ]) {
      const block = new Float32Array(64);
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) block[y * 8 + x] = 128 + 50 * DCT_BASIS[u * 8 + y] * DCT_BASIS[v * 8 + x];
      const { data } = forwardDctPlane(planeOf(block, 8, 8));
      for (let k = 0; k < 64; k++) expect(data[k]).toBeCloseTo(k === u * 8 + v ? 50 : 0, 3);
    }
  });
  it('equals the definition on random blocks', () => {
    const random = seededRandom(5);
    const plane = Float32Array.from({ length: 16 * 24 }, () => random() * 255);
    const { data, heightInBlocks, widthInBlocks } = forwardDctPlane(planeOf(plane, 24, 16));
    expect([heightInBlocks, widthInBlocks]).toEqual([2, 3]);
    for (let by = 0; by < 2; by++) {
      for (let bx = 0; bx < 3; bx++) {
        const block = new Float32Array(64);
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[(by * 8 + y) * 24 + bx * 8 + x];
        const expected = naiveDct(block);
        for (let k = 0; k < 64; k++)
          expect(Math.abs(data[(by * 3 + bx) * 64 + k] - expected[k])).toBeLessThan(2e-3);
      }
    }
  });
  it('computes only the requested frequencies, into a strided output', () => {
    const random = seededRandom(9);
    const plane = Float32Array.from({ length: 64 * 4 }, () => random() * 255);
    const full = forwardDctPlane(planeOf(plane, 16, 16));
    const frequencies = [9, 0, 27, 1];
    const output = new Float32Array(4 * 10).fill(-1);
    forwardDctPlane(planeOf(plane, 16, 16), { frequencies, output, outputStride: 10, outputOffset: 3 });
    for (let block = 0; block < 4; block++) {
      for (let i = 0; i < frequencies.length; i++) {
        expect(output[block * 10 + 3 + i]).toBeCloseTo(full.data[block * 64 + frequencies[i]], 4);
      }
      expect(output[block * 10]).toBe(-1);
    }
  });
  it('replicates edges for sizes that are not multiples of 8, or refuses them', () => {
    const random = seededRandom(2);
    const small = Float32Array.from({ length: 5 * 3 }, () => random() * 255);
    const padded = new Float32Array(64);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) padded[y * 8 + x] = small[Math.min(y, 2) * 5 + Math.min(x, 4)];
    const a = forwardDctPlane(planeOf(small, 5, 3));
    const b = forwardDctPlane(planeOf(padded, 8, 8));
    for (let k = 0; k < 64; k++) expect(a.data[k]).toBeCloseTo(b.data[k], 4);
    expect(() => forwardDctPlane(planeOf(small, 5, 3), { edge: 'error' })).toThrow(
      "forwardDctPlane: argument 'plane' must have sizes that are multiples of 8 with edge 'error', got 5x3",
    );
  });
  it('handles 1x1 and empty planes', () => {
    const one = forwardDctPlane(planeOf(Uint8Array.of(200), 1, 1));
    expect(one.data[0]).toBeCloseTo(8 * 72, 4);
    expect(forwardDctPlane(planeOf(new Float32Array(0), 0, 0)).data.length).toBe(0);
  });
  it('reports bad arguments', () => {
    expect(() => forwardDctPlane(planeOf(new Float32Array(10), 4, 4))).toThrow(
      "forwardDctPlane: argument 'plane' data length 10 does not match 4x4 = 16",
    );
    expect(() => forwardDctPlane(planeOf(new Float32Array(64), 8, 8), { frequencies: [64] })).toThrow(
      "forwardDctPlane: argument 'options.frequencies' must hold integers 0..63, got 64",
    );
  });
});

describe('inverseDctPlane', () => {
  it('round trips DCT -> IDCT with max error < 1e-4', () => {
    const random = seededRandom(13);
    const plane = Float32Array.from({ length: 32 * 40 }, () => random() * 255);
    const forward = forwardDctPlane(planeOf(plane, 40, 32));
    const back = inverseDctPlane(forward.data, forward.heightInBlocks, forward.widthInBlocks);
    expect([back.width, back.height]).toEqual([40, 32]);
    let worst = 0;
    for (let i = 0; i < plane.length; i++) worst = Math.max(worst, Math.abs(back.data[i] - plane[i]));
    expect(worst).toBeLessThan(1e-4);
  });
  it('treats missing frequencies as zero', () => {
    const back = inverseDctPlane(Float32Array.of(80), 1, 1, { frequencies: [0] });
    for (const value of back.data) expect(value).toBeCloseTo(138, 5);
    expect(() => inverseDctPlane(new Float32Array(10), 1, 1)).toThrow(
      "inverseDctPlane: argument 'coefficients' must hold [1, 1, 64] values (length 64), got length 10",
    );
  });
});
