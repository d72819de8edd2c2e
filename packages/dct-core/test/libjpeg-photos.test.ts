import { basename } from 'node:path';
import type { ReferenceCoefficients } from '@fdl/test-utils';
import {
  LIBJPEG_MISSING,
  libjpegDecode,
  libjpegEncodeCoefficients,
  libjpegReferenceBinary,
  listFilesRecursive,
  SHARED_DATA_MISSING,
  sharedDataPath,
} from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../src/image.js';
import { computeJpegCoefficients } from '../src/libjpeg.js';
import { jpeg420Coefficients } from '../src/sample.js';

const root = sharedDataPath('hymenoptera');
const photos = root === null ? [] : listFilesRecursive(root).filter((path) => /\.jpe?g$/i.test(path));

interface Comparison {
  exactMismatches: number;
  integerColourWorst: number;
  /**
   * Float colour path. libjpeg rounds Y/Cb/Cr to 8 bits (error up to 0.5 per sample); in flat or two-tone
   * blocks these errors are coherent and add up through the DCT: at most 0.5 * L1(basis) = 4 for DC
   * (8 * 0.5) and about 3.3 for low AC, plus the final roundings. So +-2 cannot hold everywhere; we bound
   * the worst case (5) and require differences beyond +-2 to be rare (measured on the 397 photos: worst 4,
   * 7013 of 124.8M coefficients beyond +-2, at most 0.13% in one image, a mostly flat one).
   */
  floatColourWorst: number;
  floatColourBeyond2: number;
  coefficients: number;
}

/** Compares our three paths with libjpeg's q100 4:2:0 islow coefficients of the same RGB pixels. */
function compare(image: RgbImage, reference: ReferenceCoefficients): Comparison {
  const exact = computeJpegCoefficients(image, { sampling: '420' });
  const integerColour = jpeg420Coefficients(image, 'libjpeg');
  const floatColour = jpeg420Coefficients(image, 'float');
  const result: Comparison = {
    exactMismatches: 0,
    integerColourWorst: 0,
    floatColourWorst: 0,
    floatColourBeyond2: 0,
    coefficients: 0,
  };
  for (let c = 0; c < 3; c++) {
    const expected = reference.components[c];
    expect([exact[c].heightInBlocks, exact[c].widthInBlocks]).toEqual([
      expected.heightInBlocks,
      expected.widthInBlocks,
    ]);
    expect([floatColour[c].heightInBlocks, floatColour[c].widthInBlocks]).toEqual([
      expected.heightInBlocks,
      expected.widthInBlocks,
    ]);
    const blocks = expected.blocks;
    result.coefficients += blocks.length;
    for (let k = 0; k < blocks.length; k++) {
      if (exact[c].blocks[k] !== blocks[k]) result.exactMismatches++;
      result.integerColourWorst = Math.max(
        result.integerColourWorst,
        Math.abs(Math.round(integerColour[c].data[k]) - blocks[k]),
      );
      const floatDifference = Math.abs(Math.round(floatColour[c].data[k]) - blocks[k]);
      result.floatColourWorst = Math.max(result.floatColourWorst, floatDifference);
      if (floatDifference > 2) result.floatColourBeyond2++;
    }
  }
  return result;
}

function decode(path: string): RgbImage & { data: Uint8Array } {
  const pixels = libjpegDecode(path);
  if (pixels.channels !== 3) throw new Error(`${path}: expected RGB, got ${pixels.channels} channels`);
  return { data: pixels.data, width: pixels.width, height: pixels.height };
}

const libjpegAvailable = libjpegReferenceBinary() !== null;
const skipReason = root === null ? SHARED_DATA_MISSING : !libjpegAvailable ? LIBJPEG_MISSING : null;

describe.skipIf(skipReason !== null)(
  `libjpeg parity on real photos${skipReason === null ? '' : ` (${skipReason})`}`,
  () => {
    it.each(photos.filter((_, i) => i % 97 === 0).map((path) => [basename(path), path]))(
      '%s: libjpeg mode bit-exact; float DCT within +-1 (integer colour), +-5 and rarely beyond +-2 (float colour)',
      (_, path) => {
        const image = decode(path);
        const result = compare(image, libjpegEncodeCoefficients(image.data, image.width, image.height));
        expect(result.exactMismatches).toBe(0);
        expect(result.integerColourWorst).toBeLessThanOrEqual(1);
        expect(result.floatColourWorst).toBeLessThanOrEqual(5);
        expect(result.floatColourBeyond2 / result.coefficients).toBeLessThan(5e-3);
      },
    );

    it(`all ${photos.length} hymenoptera photos`, { timeout: 120_000 }, () => {
      const failures: string[] = [];
      let coefficients = 0;
      let beyond2 = 0;
      let worst = 0;
      for (const path of photos) {
        const image = decode(path);
        const result = compare(image, libjpegEncodeCoefficients(image.data, image.width, image.height));
        coefficients += result.coefficients;
        beyond2 += result.floatColourBeyond2;
        worst = Math.max(worst, result.floatColourWorst);
        if (
          result.exactMismatches > 0 ||
          result.integerColourWorst > 1 ||
          result.floatColourWorst > 5 ||
          result.floatColourBeyond2 / result.coefficients >= 5e-3
        ) {
          failures.push(`${basename(path)} ${image.width}x${image.height}: ${JSON.stringify(result)}`);
        }
      }
      expect(failures).toEqual([]);
      expect(coefficients).toBeGreaterThan(0);
      console.info(
        `float colour path: worst ${worst}, beyond +-2: ${beyond2} of ${coefficients} coefficients`,
      );
    });
  },
);
