import { describe, expect, it } from 'vitest';
import { rgbToYcbcrFloat } from './color.js';
import { selectCubeChannels } from './cube.js';
import { forwardDctPlane } from './dct.js';
import { channelIndex } from './layout.js';
import { normalizeCube } from './normalization.js';
import { imageToDctCube } from './sample.js';
import { presetSelection } from './selection.js';
import { randomRgbImage, smoothRgbImage } from './testing/random.js';

const solid = (width: number, height: number, rgb: [number, number, number]) => ({
  data: Uint8Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3]),
  width,
  height,
});

describe('imageToDctCube', () => {
  it('plain geometry is the per-component DCT laid out by channelIndex', () => {
    const image = randomRgbImage(24, 16, 8);
    const cube = imageToDctCube(image);
    expect([cube.height, cube.width, cube.channels]).toEqual([2, 3, 192]);
    const planes = rgbToYcbcrFloat(image);
    const cr = forwardDctPlane({ data: planes.cr, width: 24, height: 16 });
    // Block (1, 2), Cr(3, 4).
    expect(cube.data[(1 * 3 + 2) * 192 + channelIndex(2, 3, 4)]).toBeCloseTo(
      cr.data[(1 * 3 + 2) * 64 + 3 * 8 + 4],
      4,
    );
    expect(Array.from(cube.channelIndices)).toEqual(Array.from({ length: 192 }, (_, i) => i));
  });
  it('gives DC = 8 (value - 128) and zero AC for a solid colour in every geometry', () => {
    for (const geometry of ['plain', 'upscaled', 'detection'] as const) {
      const cube = imageToDctCube(solid(16, 16, [200, 100, 50]), { geometry });
      const y = 0.299 * 200 + 0.587 * 100 + 0.114 * 50;
      const cb = 128 - 0.168736 * 200 - 0.331264 * 100 + 0.5 * 50;
      expect(cube.height).toBe(geometry === 'detection' ? 4 : 2);
      expect(cube.data[0]).toBeCloseTo(8 * (y - 128), 3);
      expect(cube.data[64]).toBeCloseTo(8 * (cb - 128), 3);
      for (let k = 1; k < 64; k++) expect(Math.abs(cube.data[k])).toBeLessThan(1e-3);
    }
  });
  it('computes only the selected channels, equal to the full cube', () => {
    const image = smoothRgbImage(40, 32, 5);
    for (const geometry of ['plain', 'upscaled', 'detection'] as const) {
      const full = imageToDctCube(image, { geometry });
      const part = imageToDctCube(image, { geometry, selection: 'DCT-24' });
      expect(part.channels).toBe(24);
      expect(Array.from(part.channelIndices)).toEqual([...presetSelection(24).indices]);
      const expected = selectCubeChannels(full, presetSelection(24).indices);
      for (let i = 0; i < part.data.length; i++) expect(part.data[i]).toBeCloseTo(expected.data[i], 3);
    }
  });
  it('libjpeg colour path stays close to the float path (8-bit rounding only)', () => {
    const image = smoothRgbImage(64, 48, 2);
    for (const geometry of ['plain', 'upscaled', 'detection'] as const) {
      const float = imageToDctCube(image, { geometry, selection: 'DCT-64' });
      const fixed = imageToDctCube(image, { geometry, selection: 'DCT-64', colorPath: 'libjpeg' });
      expect([fixed.height, fixed.width]).toEqual([float.height, float.width]);
      let sum = 0;
      let worst = 0;
      for (let i = 0; i < float.data.length; i++) {
        const d = Math.abs(float.data[i] - fixed.data[i]);
        sum += d;
        worst = Math.max(worst, d);
      }
      expect(sum / float.data.length, geometry).toBeLessThan(0.5);
      expect(worst, geometry).toBeLessThan(8);
    }
  });
  it('normalizes with the given statistics', () => {
    const image = smoothRgbImage(16, 16, 1);
    const stats = {
      mode: 'pooled' as const,
      channelIndices: [0, 64, 128],
      mean: [-100, 3, -2],
      std: [50, 4, 2],
      count: 1,
    };
    const raw = imageToDctCube(image, { selection: [0, 64, 128] });
    const normalized = imageToDctCube(image, { selection: [0, 64, 128], normalization: stats });
    expect(Array.from(normalized.data)).toEqual(Array.from(normalizeCube(raw, stats).data));
  });
  it('handles odd, 1x1 and empty images', () => {
    const odd = imageToDctCube(randomRgbImage(17, 9, 1), { geometry: 'upscaled' });
    expect([odd.height, odd.width]).toEqual([2, 3]);
    const one = imageToDctCube(solid(1, 1, [128, 128, 128]), { geometry: 'detection' });
    expect([one.height, one.width]).toEqual([1, 1]);
    expect(Math.abs(one.data[0])).toBeLessThan(1e-3);
    const empty = imageToDctCube({ data: new Uint8Array(0), width: 0, height: 0 }, { selection: 'DCT-6' });
    expect([empty.height, empty.width, empty.channels, empty.data.length]).toEqual([0, 0, 6, 0]);
  });
  it('reports bad options', () => {
    const image = randomRgbImage(12, 8, 1);
    expect(() => imageToDctCube(image, { edge: 'error' })).toThrow(
      "imageToDctCube: argument 'image' must give planes whose sizes are multiples of 8 with edge 'error' (geometry 'plain'), got 12x8",
    );
    expect(imageToDctCube(randomRgbImage(12, 8, 1), { edge: 'error', geometry: 'detection' }).height).toBe(2);
    // @ts-expect-error: checking the runtime message
    expect(() => imageToDctCube(image, { geometry: 'square' })).toThrow(
      "imageToDctCube: argument 'options.geometry' must be 'plain', 'upscaled' or 'detection', got square",
    );
  });
});
