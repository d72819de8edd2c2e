import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('docs/examples/jpeg-coefficients.ts', () => {
  it('reads the generated quality-100 JPEG: unit quantization, hand-checkable DC, pixel path within 4', async () => {
    const { stdout, result } = await runExample('jpeg-coefficients');
    expect(stdout).toContain('40 x 24, ycbcr, baseline, sampling 1x1 1x1 1x1');
    expect(result.lumaBlocks).toEqual([3, 5]);
    expect(result.cubeShape).toEqual([3, 5, 192]);
    expect(result.lumaQuantization).toEqual(new Array(64).fill(1));
    // Block (0, 0) is grey ramp columns round(255 x / 39), x = 0..7: mean 23, DC = 8 * (23 - 128).
    const ramp = Array.from({ length: 8 }, (_, x) => Math.round((255 * x) / 39));
    const expectedDc = 8 * (ramp.reduce((a, b) => a + b, 0) / 8 - 128);
    expect(expectedDc).toBe(-840);
    expect(result.firstBlockDc).toBe(expectedDc);
    expect(result.firstBlockCubeDc).toBe(expectedDc);
    // The decode rounds every sample to 8 bits: at most 0.5 per sample, 8 * 0.5 = 4 on a DC.
    expect(result.largestDifference as number).toBeGreaterThan(0);
    expect(result.largestDifference as number).toBeLessThanOrEqual(4);
  });

  it('reads a JPEG file given on the command line, with real quantization steps', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fdl-docs-jpeg-'));
    try {
      const width = 17;
      const height = 9;
      const rgba = new Uint8Array(width * height * 4).fill(200);
      const path = join(directory, 'grey.jpg');
      writeFileSync(path, jpeg.encode({ data: rgba, width, height }, 50).data);
      const { stdout, result } = await runExample('jpeg-coefficients', [path]);
      expect(stdout).toContain(path);
      expect(result.width).toBe(17);
      expect(result.height).toBe(9);
      // ceil(17 / 8) x ceil(9 / 8) blocks.
      expect(result.lumaBlocks).toEqual([2, 3]);
      const quantization = result.lumaQuantization as number[];
      expect(quantization[0]).toBeGreaterThan(1);
      // Flat grey 200 (alpha ignored): DC = 8 * (200 - 128) = 576, stored as a multiple of the step.
      expect(Math.abs((result.firstBlockDc as number) - 576)).toBeLessThanOrEqual(quantization[0] / 2);
      expect((result.firstBlockDc as number) % quantization[0]).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
