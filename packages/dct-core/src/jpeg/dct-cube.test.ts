import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors.js';
import { boxUpsampleMatrix, dequantizeComponent, jpegToDctCube, triangleUpsampleMatrix } from './dct-cube.js';
import type { JpegCoefficients, JpegComponentCoefficients } from './types.js';

function component(
  id: number,
  sampling: [number, number],
  size: [number, number],
  fill: (k: number) => number,
  quantization = new Uint16Array(64).fill(1),
): JpegComponentCoefficients {
  const [widthInBlocks, heightInBlocks] = size;
  const blocks = new Int16Array(widthInBlocks * heightInBlocks * 64);
  for (let i = 0; i < blocks.length; i++) blocks[i] = fill(i);
  return {
    id,
    horizontalSampling: sampling[0],
    verticalSampling: sampling[1],
    width: widthInBlocks * 8,
    height: heightInBlocks * 8,
    widthInBlocks,
    heightInBlocks,
    quantizationTableIndex: 0,
    quantization,
    blocks,
  };
}

function coefficients(components: JpegComponentCoefficients[], colorSpace: JpegCoefficients['colorSpace']) {
  return {
    width: components[0].width,
    height: components[0].height,
    colorSpace,
    frameType: 'baseline',
    progressive: false,
    maxHorizontalSampling: components[0].horizontalSampling,
    maxVerticalSampling: components[0].verticalSampling,
    components,
    jfif: true,
    adobeTransform: null,
    exifOrientation: null,
    restartInterval: 0,
    scanCount: 1,
    partial: false,
    problems: [],
  } satisfies JpegCoefficients;
}

/** Float reference: inverse DCT of an 8x8 block, box-upsample by 2 in both directions, forward DCT of each quadrant. */
function pixelPathBox2(block: Float64Array): Float64Array[] {
  const c = (k: number) => (k === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8));
  const basis = (k: number, n: number) => c(k) * Math.cos(((2 * n + 1) * k * Math.PI) / 16);
  const samples = new Float64Array(64);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++)
      for (let u = 0; u < 8; u++)
        for (let v = 0; v < 8; v++) samples[y * 8 + x] += basis(u, y) * basis(v, x) * block[u * 8 + v];
  const quadrants: Float64Array[] = [];
  for (let qy = 0; qy < 2; qy++) {
    for (let qx = 0; qx < 2; qx++) {
      const out = new Float64Array(64);
      for (let u = 0; u < 8; u++)
        for (let v = 0; v < 8; v++)
          for (let y = 0; y < 8; y++)
            for (let x = 0; x < 8; x++)
              out[u * 8 + v] +=
                basis(u, y) * basis(v, x) * samples[(qy * 4 + (y >> 1)) * 8 + qx * 4 + (x >> 1)];
      quadrants.push(out);
    }
  }
  return quadrants;
}

describe('dequantizeComponent', () => {
  it('multiplies each coefficient by its natural-order step', () => {
    const steps = Uint16Array.from({ length: 64 }, (_, k) => k + 1);
    const result = dequantizeComponent(component(1, [1, 1], [1, 1], (i) => (i % 2 === 0 ? 2 : -1), steps));
    expect(Array.from(result.subarray(0, 4))).toEqual([2, -2, 6, -4]);
  });
});

describe('boxUpsampleMatrix', () => {
  it('is the identity for factor 1 and keeps a flat block flat', () => {
    const identity = boxUpsampleMatrix(1, 0);
    for (let k = 0; k < 64; k++) expect(identity[k]).toBeCloseTo(k % 9 === 0 ? 1 : 0, 12);
    for (const quadrant of [0, 1]) {
      const map = boxUpsampleMatrix(2, quadrant);
      expect(map[0]).toBeCloseTo(1, 12);
      for (let k = 1; k < 8; k++) expect(map[k * 8]).toBeCloseTo(0, 12);
    }
  });
});

describe('triangleUpsampleMatrix', () => {
  const c = (k: number) => (k === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8));
  const dct = (samples: number[]) =>
    Array.from({ length: 8 }, (_, k) =>
      samples.reduce((sum, value, n) => sum + c(k) * Math.cos(((2 * n + 1) * k * Math.PI) / 16) * value, 0),
    );
  const apply = (matrix: Float64Array, vector: number[]) =>
    Array.from({ length: 8 }, (_, k) => vector.reduce((sum, value, j) => sum + matrix[k * 8 + j] * value, 0));

  it('equals the 3:1 triangle filter in samples followed by the DCT, across block boundaries', () => {
    const signal = Array.from({ length: 24 }, (_, n) => ((n * 37) % 29) - 14 + n);
    const [previous, current, next] = [0, 8, 16].map((start) => dct(signal.slice(start, start + 8)));
    for (const quadrant of [0, 1]) {
      const upsampled: number[] = [];
      for (let r = 0; r < 4; r++) {
        const source = 8 + quadrant * 4 + r;
        upsampled.push(0.75 * signal[source] + 0.25 * signal[source - 1]);
        upsampled.push(0.75 * signal[source] + 0.25 * signal[source + 1]);
      }
      const expected = dct(upsampled);
      const self = apply(triangleUpsampleMatrix(quadrant, 'self'), current);
      const neighbour = apply(
        triangleUpsampleMatrix(quadrant, 'neighbour'),
        quadrant === 0 ? previous : next,
      );
      for (let k = 0; k < 8; k++) expect(self[k] + neighbour[k]).toBeCloseTo(expected[k], 9);
    }
  });

  it('replicates the edge sample at the frame edge, keeping a flat block flat', () => {
    const flat = dct(new Array(8).fill(10));
    for (const quadrant of [0, 1]) {
      const out = apply(triangleUpsampleMatrix(quadrant, 'edge'), flat);
      expect(out[0]).toBeCloseTo(flat[0], 9);
      for (let k = 1; k < 8; k++) expect(out[k]).toBeCloseTo(0, 9);
    }
  });
});

describe('jpegToDctCube', () => {
  it('puts Y, Cb, Cr at channels component * 64 + u * 8 + v for 4:4:4', () => {
    const y = component(1, [1, 1], [2, 1], (i) => i % 64);
    const cb = component(2, [1, 1], [2, 1], (i) => 100 + (i % 64));
    const cr = component(3, [1, 1], [2, 1], () => -3);
    const cube = jpegToDctCube(coefficients([y, cb, cr], 'ycbcr'), { chroma: 'same-grid' });
    expect([cube.height, cube.width, cube.channels]).toEqual([1, 2, 192]);
    expect([cube.data[0], cube.data[9], cube.data[64 + 9], cube.data[128 + 63], cube.data[192 + 1]]).toEqual([
      0, 9, 109, -3, 1,
    ]);
  });

  it('equals box upsampling in pixels followed by the DCT for 4:2:0 chroma', () => {
    let state = 99;
    const random = () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return ((state >>> 16) % 61) - 30;
    };
    const y = component(1, [2, 2], [2, 2], () => 0);
    const cb = component(2, [1, 1], [1, 1], () => random());
    const cr = component(3, [1, 1], [1, 1], () => 0);
    const cube = jpegToDctCube(coefficients([y, cb, cr], 'ycbcr'), {
      chroma: 'box',
      channelIndices: [0, 64, 65, 72, 127],
    });
    expect(Array.from(cube.channelIndices)).toEqual([0, 64, 65, 72, 127]);
    const reference = pixelPathBox2(Float64Array.from(cb.blocks));
    for (let quadrant = 0; quadrant < 4; quadrant++) {
      const got = cube.data.subarray(quadrant * 5, quadrant * 5 + 5);
      expect(got[1]).toBeCloseTo(reference[quadrant][0], 3);
      expect(got[2]).toBeCloseTo(reference[quadrant][1], 3);
      expect(got[3]).toBeCloseTo(reference[quadrant][8], 3);
      expect(got[4]).toBeCloseTo(reference[quadrant][63], 3);
    }
  });

  it('gives grayscale files 64 channels', () => {
    const cube = jpegToDctCube(coefficients([component(1, [1, 1], [1, 1], (i) => i)], 'grayscale'));
    expect([cube.channels, cube.data[63]]).toEqual([64, 63]);
  });

  it('refuses CMYK, non-4:4:4 with same-grid, and bad channel lists', () => {
    const four = [1, 2, 3, 4].map((id) => component(id, [1, 1], [1, 1], () => 0));
    expect(() => jpegToDctCube(coefficients(four, 'cmyk'))).toThrow(
      "jpegToDctCube: argument 'coefficients' must be a YCbCr or grayscale JPEG, got colour space cmyk",
    );
    const subsampled = coefficients(
      [
        component(1, [2, 2], [2, 2], () => 0),
        component(2, [1, 1], [1, 1], () => 0),
        component(3, [1, 1], [1, 1], () => 0),
      ],
      'ycbcr',
    );
    expect(() => jpegToDctCube(subsampled, { chroma: 'same-grid' })).toThrow(/same-grid' needs 4:4:4/);
    expect(() => jpegToDctCube(subsampled, { channelIndices: [5, 3] })).toThrow(ArgumentError);
    expect(() => jpegToDctCube(subsampled, { channelIndices: [192] })).toThrow(/0\.\.191, got 192/);
    expect(() => jpegToDctCube(subsampled, { chroma: 'fancy' as 'box' })).toThrow(
      "jpegToDctCube: argument 'options.chroma' must be 'box', 'triangle', 'decode' or 'same-grid', got fancy",
    );
  });
});
