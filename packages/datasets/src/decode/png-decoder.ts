import { PNG } from 'pngjs';
import type { RgbImage } from '../image.js';
import type { ImageDecoder } from './image-decoder.js';
import type { ImageFormat } from './image-format.js';

/**
 * PNG decoding with pngjs: palette, grayscale and 16-bit images come back as 8-bit RGB; the alpha
 * channel is dropped (not composited), as Pillow's `convert('RGB')` does for ImageFolder.
 */
export class PngDecoder implements ImageDecoder {
  readonly name = 'pngjs';
  readonly formats: readonly ImageFormat[] = Object.freeze(['png'] as const);

  async decode(bytes: Uint8Array): Promise<RgbImage> {
    return decodePngSync(bytes);
  }
}

/** Synchronous PNG decode to interleaved RGB. */
export function decodePngSync(bytes: Uint8Array): RgbImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = png;
  const rgba = png.data;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i]!;
    data[j + 1] = rgba[i + 1]!;
    data[j + 2] = rgba[i + 2]!;
  }
  return { data, width, height };
}

/**
 * A single-channel 8-bit PNG's raw sample values (e.g. COCO-style instance id masks), without
 * any colour conversion. Throws if the PNG is not 8-bit grayscale.
 */
export function decodeGrayPngSync(bytes: Uint8Array): { data: Uint8Array; width: number; height: number } {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    skipRescale: true,
  });
  const { width, height } = png;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]!;
  return { data, width, height };
}
