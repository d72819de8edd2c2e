import type { JpegPixels } from '@fdl/dct-core/jpeg';
import type { ReferencePixels } from '@fdl/test-utils';

/**
 * Largest absolute difference between our RGB and libjpeg's output. libjpeg gives grayscale as one
 * channel (replicated here) and CMYK as four (converted with the same inverted-CMYK formula).
 */
export function maxPixelDifference(ours: JpegPixels, reference: ReferencePixels): number {
  if (ours.width !== reference.width || ours.height !== reference.height) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < ours.width * ours.height; i++) {
    for (let c = 0; c < 3; c++) {
      let expected: number;
      if (reference.channels === 1) expected = reference.data[i];
      else if (reference.channels === 3) expected = reference.data[i * 3 + c];
      else expected = Math.round((reference.data[i * 4 + c] * reference.data[i * 4 + 3]) / 255);
      const difference = Math.abs(ours.data[i * 3 + c] - expected);
      if (difference > max) max = difference;
    }
  }
  return max;
}
