import type { RgbImage } from '../image.js';
import type { ImageDecoder } from './image-decoder.js';
import type { ImageFormat } from './image-format.js';

type DecodeJpeg = (bytes: Uint8Array) => { data: Uint8Array; width: number; height: number };

let fdlDecodeJpeg: Promise<DecodeJpeg | null> | undefined;

/** @fdl/dct-core's `decodeJpeg`, or null while that subpath does not provide it. */
export function loadFdlJpegDecoder(): Promise<DecodeJpeg | null> {
  fdlDecodeJpeg ??= import('@fdl/dct-core/jpeg').then(
    (module) => {
      const candidate = (module as Record<string, unknown>).decodeJpeg;
      return typeof candidate === 'function' ? (candidate as DecodeJpeg) : null;
    },
    () => null,
  );
  return fdlDecodeJpeg;
}

/** The pure-TypeScript JPEG decoder of @fdl/dct-core (`@fdl/dct-core/jpeg`). */
export class FdlJpegDecoder implements ImageDecoder {
  readonly name = 'fdl';
  readonly formats: readonly ImageFormat[] = Object.freeze(['jpeg'] as const);
  private readonly decodeJpeg: DecodeJpeg;

  constructor(decodeJpeg: DecodeJpeg) {
    this.decodeJpeg = decodeJpeg;
  }

  async decode(bytes: Uint8Array): Promise<RgbImage> {
    const { data, width, height } = this.decodeJpeg(bytes);
    if (data.length !== width * height * 3) {
      throw new Error(`decodeJpeg returned ${data.length} bytes for ${width}x${height}, expected RGB`);
    }
    return { data, width, height };
  }
}
