import { describe, expect, it } from 'vitest';
import { coefficientsToRgb, decodeJpeg } from './decode.js';
import { JpegError } from './errors.js';
import { readJpegCoefficients } from './read-coefficients.js';
import { decodeBase64, TWO_BLOCKS, TWO_BLOCKS_PROGRESSIVE } from './test-fixtures.js';

describe('decodeJpeg', () => {
  it('decodes the two constant grey blocks exactly (200 left, 50 right), replicated to RGB', () => {
    for (const fixture of [TWO_BLOCKS, TWO_BLOCKS_PROGRESSIVE]) {
      const pixels = decodeJpeg(decodeBase64(fixture));
      expect([pixels.width, pixels.height, pixels.channels, pixels.sourceColorSpace]).toEqual([
        16,
        8,
        3,
        'grayscale',
      ]);
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 16; x++) {
          const at = (y * 16 + x) * 3;
          const expected = x < 8 ? 200 : 50;
          expect([pixels.data[at], pixels.data[at + 1], pixels.data[at + 2]]).toEqual([
            expected,
            expected,
            expected,
          ]);
        }
      }
    }
  });

  it('refuses component counts without a colour interpretation', () => {
    const coefficients = readJpegCoefficients(decodeBase64(TWO_BLOCKS));
    const twoComponents = {
      ...coefficients,
      colorSpace: 'unknown' as const,
      components: [coefficients.components[0], coefficients.components[0]],
    };
    let caught: unknown;
    try {
      coefficientsToRgb(twoComponents);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JpegError);
    expect((caught as JpegError).code).toBe('E_JPEG_UNSUPPORTED');
    expect((caught as JpegError).message).toBe(
      'decodeJpeg: unsupported JPEG feature: 2 components without a colour interpretation',
    );
  });
});
