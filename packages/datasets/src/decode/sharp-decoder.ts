import type { RgbImage } from '../image.js';
import { cmykToRgb } from './cmyk.js';
import type { ImageDecoder } from './image-decoder.js';
import type { ImageFormat } from './image-format.js';

/** The part of sharp's API this decoder uses (sharp is an optional dependency, typed loosely). */
type SharpModule = (
  input: Uint8Array,
  options?: Record<string, unknown>,
) => {
  metadata(): Promise<{ space?: string; channels?: number; format?: string }>;
  removeAlpha(): ReturnType<SharpModule>;
  pipelineColourspace(space: string): ReturnType<SharpModule>;
  toColourspace(space: string): ReturnType<SharpModule>;
  raw(): ReturnType<SharpModule>;
  toBuffer(options: { resolveWithObject: true }): Promise<{
    data: Buffer;
    info: { width: number; height: number; channels: number };
  }>;
};

let sharpModule: Promise<SharpModule | null> | undefined;

/** sharp's default export, or null when the optional dependency is not installed. */
export function loadSharp(): Promise<SharpModule | null> {
  sharpModule ??= import('sharp').then(
    (module) => ((module as { default?: unknown }).default ?? module) as SharpModule,
    () => null,
  );
  return sharpModule;
}

/**
 * Decoding with sharp (libvips + libjpeg-turbo): JPEG (libjpeg "fancy" chroma upsampling, as Pillow),
 * PNG, GIF (first frame), WebP and TIFF. Embedded ICC profiles are ignored (pixels are taken as stored,
 * as Pillow and jpeg-js do) so decoders agree. CMYK/YCCK JPEGs are read as ink values (libjpeg
 * un-inverts Adobe files) and converted with Pillow's formula (`cmykToRgb`), not libvips' ICC path. Corrupt data throws (`failOn: 'error'`).
 */
export class SharpDecoder implements ImageDecoder {
  readonly name = 'sharp';
  readonly formats: readonly ImageFormat[] = Object.freeze(['jpeg', 'png', 'gif', 'webp', 'tiff'] as const);
  private readonly sharp: SharpModule;

  constructor(sharp: SharpModule) {
    this.sharp = sharp;
  }

  async decode(bytes: Uint8Array, format: ImageFormat): Promise<RgbImage> {
    const options = { failOn: 'error', limitInputPixels: 400_000_000, ignoreIcc: true };
    if (format === 'jpeg') {
      const metadata = await this.sharp(bytes, options).metadata();
      if (metadata.space === 'cmyk') {
        const { data, info } = await this.sharp(bytes, options)
          .pipelineColourspace('cmyk')
          .toColourspace('cmyk')
          .raw()
          .toBuffer({ resolveWithObject: true });
        if (info.channels !== 4)
          throw new Error(`sharp returned ${info.channels} channels for CMYK, expected 4`);
        return { data: cmykToRgb(data), width: info.width, height: info.height };
      }
    }
    const { data, info } = await this.sharp(bytes, options)
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`sharp returned ${info.channels} channels, expected 3`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  }
}
