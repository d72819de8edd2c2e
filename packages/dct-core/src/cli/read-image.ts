import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { FdlError } from '../errors.js';
import type { RgbImage } from '../image.js';
import { decodeNpy } from '../npy.js';

/** A CLI input that cannot be read or decoded. */
export class InputError extends FdlError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('E_INPUT', message, details);
  }
}

/**
 * Reads an RGB image from a JPEG (jpeg-js), PNG (pngjs; alpha dropped, 16-bit scaled to 8) or a uint8
 * .npy of shape [H, W, 3]. The format is recognised by its magic bytes, not the file name.
 */
export function readImageFile(path: string): RgbImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(
      `cannot read '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { path },
    );
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    try {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048 });
      if (decoded.data.length !== decoded.width * decoded.height * 3) {
        throw new Error(
          `decoder returned ${decoded.data.length} bytes for ${decoded.width}x${decoded.height} RGB`,
        );
      }
      return { data: decoded.data, width: decoded.width, height: decoded.height };
    } catch (error) {
      throw new InputError(`cannot decode JPEG '${path}': ${(error as Error).message}`, { path });
    }
  }
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    let png: PNG;
    try {
      png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      throw new InputError(`cannot decode PNG '${path}': ${(error as Error).message}`, { path });
    }
    const { width, height } = png;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < width * height; i++, j += 4) {
      data[i * 3] = png.data[j];
      data[i * 3 + 1] = png.data[j + 1];
      data[i * 3 + 2] = png.data[j + 2];
    }
    return { data, width, height };
  }
  if (bytes[0] === 0x93 && bytes[1] === 0x4e) {
    const array = decodeNpy(bytes);
    if (array.dtype !== 'uint8' || array.shape.length !== 3 || array.shape[2] !== 3) {
      throw new InputError(
        `'${path}' must be a uint8 .npy of shape [H, W, 3], got ${array.dtype} [${array.shape.join(', ')}]`,
        {
          path,
          shape: array.shape,
        },
      );
    }
    return { data: array.data as Uint8Array, width: array.shape[1], height: array.shape[0] };
  }
  throw new InputError(`'${path}' is not a JPEG, PNG or .npy file`, { path });
}

/** Writes an RGB image as an 8-bit PNG. */
export function encodePng(image: RgbImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.width * image.height; i++) {
    png.data[i * 4] = image.data[i * 3];
    png.data[i * 4 + 1] = image.data[i * 3 + 1];
    png.data[i * 4 + 2] = image.data[i * 3 + 2];
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
