import type { RgbImage } from '../image.js';

/**
 * Turns a stored image into its display orientation given an EXIF orientation value (1-8).
 * Pure pixel permutation, no resampling. Orientations 5-8 swap width and height.
 */
export function applyExifOrientation(image: RgbImage, orientation: number): RgbImage {
  if (orientation <= 1 || orientation > 8) return image;
  const { width, height, data } = image;
  const swaps = orientation >= 5;
  const outWidth = swaps ? height : width;
  const outHeight = swaps ? width : height;
  const out = new Uint8Array(outWidth * outHeight * 3);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      // Source pixel (sx, sy) that lands on display pixel (x, y).
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          sx = width - 1 - x;
          sy = y;
          break;
        case 3:
          sx = width - 1 - x;
          sy = height - 1 - y;
          break;
        case 4:
          sx = x;
          sy = height - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = height - 1 - x;
          break;
        case 7:
          sx = width - 1 - y;
          sy = height - 1 - x;
          break;
        default: // 8
          sx = width - 1 - y;
          sy = x;
          break;
      }
      const from = (sy * width + sx) * 3;
      const to = (y * outWidth + x) * 3;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}
