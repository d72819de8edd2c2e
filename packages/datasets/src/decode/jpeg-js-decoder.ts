import jpeg from 'jpeg-js';
import type { RgbImage } from '../image.js';
import type { ImageDecoder } from './image-decoder.js';
import type { ImageFormat } from './image-format.js';

/**
 * Pure-JavaScript JPEG decoding with jpeg-js: baseline and progressive, any chroma sampling,
 * grayscale (expanded to RGB), Adobe CMYK and YCCK (Pillow's formula
 * R = (255 - C)(255 - K) / 255 on the ink values, but jpeg-js truncates where Pillow rounds: up to 1
 * level lower). Chroma is upsampled by pixel
 * replication, not libjpeg's "fancy" triangle filter, so 4:2:0 images differ from libjpeg by a few
 * levels at colour edges.
 *
 * `tolerantDecoding` is off: a truncated or corrupt file throws instead of returning grey rows.
 */
export class JpegJsDecoder implements ImageDecoder {
  readonly name = 'jpeg-js';
  readonly formats: readonly ImageFormat[] = Object.freeze(['jpeg'] as const);

  async decode(bytes: Uint8Array): Promise<RgbImage> {
    return decodeJpegJsSync(bytes);
  }
}

/** Synchronous jpeg-js decode to interleaved RGB. */
export function decodeJpegJsSync(bytes: Uint8Array): RgbImage {
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: false,
    maxResolutionInMP: 400,
    maxMemoryUsageInMB: 4096,
  });
  return { data: decoded.data, width: decoded.width, height: decoded.height };
}
