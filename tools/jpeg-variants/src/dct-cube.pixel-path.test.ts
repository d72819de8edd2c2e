import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardDctPlane } from '@fdl/dct-core';
import { coefficientsToPlanes, jpegToDctCube, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJpegVariants, JPEG_TOOLS_MISSING, jpegToolsAvailable } from './variants.js';

const tools = jpegToolsAvailable();

/** Max and mean |coefficient path - pixel path| per component over the blocks fully inside the image. */
function compare(path: string) {
  const coefficients = readJpegCoefficients(new Uint8Array(readFileSync(path)));
  const cube = jpegToDctCube(coefficients);
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

    it('differs for 4:2:0 chroma only by box versus triangle upsampling', () => {
      const [, cb, cr] = compare(path('420-q100-333x251'));
      for (const { max, mean } of [cb, cr]) {
        expect(mean).toBeGreaterThan(0.5);
        expect(mean).toBeLessThan(4);
        expect(max).toBeLessThan(64);
      }
    });
  },
);
