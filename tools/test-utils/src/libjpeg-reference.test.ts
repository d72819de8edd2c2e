import { describe, expect, it } from 'vitest';
import {
  LIBJPEG_MISSING,
  libjpegDecode,
  libjpegEncodeCoefficients,
  libjpegReferenceBinary,
} from './libjpeg-reference.js';

const available = libjpegReferenceBinary() !== null;

describe.skipIf(!available)(`libjpeg oracle (${available ? 'cc + libjpeg found' : LIBJPEG_MISSING})`, () => {
  it('encodes a constant image to DC = 8 * (value - 128) at quality 100 and no AC', () => {
    const width = 16;
    const height = 16;
    const rgb = new Uint8Array(width * height * 3).fill(200);
    const result = libjpegEncodeCoefficients(rgb, width, height, { sampling: '444' });
    expect(result.components).toHaveLength(3);
    const luma = result.components[0]!;
    expect(luma.widthInBlocks).toBe(2);
    expect(Array.from(luma.quantization)).toEqual(new Array(64).fill(1));
    expect(luma.blocks[0]).toBe(8 * (200 - 128));
    expect(luma.blocks.subarray(1, 64).every((value) => value === 0)).toBe(true);
    // Grey has no chroma: Cb = Cr = 128, DC 0.
    expect(result.components[1]!.blocks[0]).toBe(0);
  });

  it("refuses a truncated JPEG with libjpeg's own message", () => {
    expect(() => libjpegDecode(new Uint8Array([0xff, 0xd8, 0x00]))).toThrow(/libjpeg/);
  });
});
