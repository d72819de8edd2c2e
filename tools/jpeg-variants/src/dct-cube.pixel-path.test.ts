import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardDctPlane } from '@fdl/dct-core';
import type { ChromaToLumaGrid } from '@fdl/dct-core/jpeg';
import { coefficientsToPlanes, jpegToDctCube, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJpegVariants, JPEG_TOOLS_MISSING, jpegToolsAvailable } from './variants.js';

const tools = jpegToolsAvailable();

/** Max and mean |coefficient path - pixel path| per component over the blocks fully inside the image. */
function compare(path: string, chroma: ChromaToLumaGrid = 'triangle') {
  const coefficients = readJpegCoefficients(new Uint8Array(readFileSync(path)));
  const cube = jpegToDctCube(coefficients, { chroma });
  const planes = coefficientsToPlanes(coefficients);
  return planes.map((plane, component) => {
    const pixels = forwardDctPlane({ data: plane, width: coefficients.width, height: coefficients.height });
    let max = 0;
    let sum = 0;
    let count = 0;
    for (let by = 0; by < Math.floor(coefficients.height / 8); by++) {
      for (let bx = 0; bx < Math.floor(coefficients.width / 8); bx++) {
        for (let k = 0; k < 64; k++) {
          const ours = cube.data[(by * cube.width + bx) * cube.channels + component * 64 + k];
          const difference = Math.abs(ours - pixels.data[(by * pixels.widthInBlocks + bx) * 64 + k]);
          max = Math.max(max, difference);
          sum += difference;
          count++;
        }
      }
    }
    return { max, mean: sum / count };
  });
}

describe.skipIf(!tools)(
  `jpegToDctCube against the pixel path (decode, then forwardDctPlane) (${tools ? 'tools found' : JPEG_TOOLS_MISSING})`,
  () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-jpeg-cube-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const variants = tools ? generateJpegVariants(folder) : [];
    const path = (name: string) => variants.find((variant) => variant.name === name)!.path;

    it('matches to within sample rounding on the native grid (luma, and 4:4:4 chroma)', () => {
      for (const { max, mean } of compare(path('444-q90-64x48'))) {
        expect(max).toBeLessThan(2.5);
        expect(mean).toBeLessThan(0.5);
      }
      const [luma] = compare(path('420-q75-333x251'));
      expect(luma.max).toBeLessThan(2.5);
    });

    it("matches 4:2:0, 4:2:2 and 4:4:0 chroma to within rounding with the default 'triangle' chroma", () => {
      for (const name of ['420-q100-333x251', '422-q85-333x251', '440-q85-333x251']) {
        const [, cb, cr] = compare(path(name));
        for (const { max, mean } of [cb, cr]) {
          expect(max).toBeLessThan(8);
          expect(mean).toBeLessThan(0.5);
        }
      }
    });

    it("differs for 4:2:0 chroma with 'box' by box versus triangle upsampling", () => {
      const [, cb, cr] = compare(path('420-q100-333x251'), 'box');
      for (const { max, mean } of [cb, cr]) {
        expect(mean).toBeGreaterThan(0.5);
        expect(mean).toBeLessThan(4);
        expect(max).toBeLessThan(64);
      }
    });

    it("with chroma 'decode' equals the pixel path exactly for chroma, on a channel subset", () => {
      const coefficients = readJpegCoefficients(new Uint8Array(readFileSync(path('420-q75-333x251'))));
      const channels = [0, 1, 8, 9, 64, 65, 72, 73, 128, 129, 136, 137];
      const cube = jpegToDctCube(coefficients, { chroma: 'decode', channelIndices: channels });
      expect([cube.height, cube.width, cube.channels]).toEqual([32, 42, 12]);
      const planes = coefficientsToPlanes(coefficients);
      for (const component of [1, 2]) {
        const pixels = forwardDctPlane({ data: planes[component], width: 333, height: 251 });
        for (let block = 0; block < 32 * 42; block++) {
          for (const [slot, frequency] of [
            [0, 0],
            [1, 1],
            [2, 8],
            [3, 9],
          ]) {
            expect(cube.data[block * 12 + component * 4 + slot]).toBe(pixels.data[block * 64 + frequency]);
          }
        }
      }
      const luma = coefficients.components[0];
      expect(cube.data[12 * 5 + 3]).toBe(luma.blocks[5 * 64 + 9] * luma.quantization[9]);
    });
  },
);
