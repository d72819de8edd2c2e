import { ArgumentError } from './errors.js';
import type { RgbImage } from './image.js';
import { validateRgbImage } from './image.js';
import type { PixelRegion } from './resize.js';

/** Copies a rectangle out of an image. The region must lie inside the image. */
export function cropImage(image: RgbImage, region: PixelRegion): RgbImage {
  validateRgbImage('cropImage', image);
  const { x, y, width, height } = region;
  if (
    ![x, y, width, height].every(Number.isInteger) ||
    x < 0 ||
    y < 0 ||
    width < 0 ||
    height < 0 ||
    x + width > image.width ||
    y + height > image.height
  ) {
    throw new ArgumentError(
      'cropImage',
      'region',
      `must lie inside the ${image.width}x${image.height} image, got x=${x} y=${y} ${width}x${height}`,
      {
        region,
        width: image.width,
        height: image.height,
      },
    );
  }
  const out = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * 3;
    out.set(image.data.subarray(from, from + width * 3), row * width * 3);
  }
  return { data: out, width, height };
}

/** Python's round(): halves go to the even neighbour (used by torchvision's centre crop offsets). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The centred region of a `width` x `height` crop: top = round((H - h) / 2), left = round((W - w) / 2)
 * with Python rounding, as torchvision's `center_crop` and the official DCTNet code place it.
 */
export function centerCropRegion(
  imageWidth: number,
  imageHeight: number,
  width: number,
  height: number,
): PixelRegion {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width <= 0 ||
    height <= 0 ||
    width > imageWidth ||
    height > imageHeight
  ) {
    throw new ArgumentError(
      'centerCrop',
      'size',
      `must be positive integers no larger than the ${imageWidth}x${imageHeight} image, got ${width}x${height}`,
    );
  }
  return {
    x: roundHalfToEven((imageWidth - width) / 2),
    y: roundHalfToEven((imageHeight - height) / 2),
    width,
    height,
  };
}

/** Crops the centre `width` x `height` (or `size` x `size`) of an image; see `centerCropRegion`. */
export function centerCrop(image: RgbImage, size: number | { width: number; height: number }): RgbImage {
  validateRgbImage('centerCrop', image);
  const { width, height } = typeof size === 'number' ? { width: size, height: size } : size;
  return cropImage(image, centerCropRegion(image.width, image.height, width, height));
}

/** Mirrors an image left-right. */
export function flipHorizontal(image: RgbImage): RgbImage {
  validateRgbImage('flipHorizontal', image);
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const from = row + x * 3;
      const to = row + (width - 1 - x) * 3;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
    }
  }
  return { data: out, width, height };
}
