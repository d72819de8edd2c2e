import { ArgumentError } from '@fdl/dct-core';
import { DatasetError, errorMessage } from '../errors.js';
import type { RgbImage } from '../image.js';
import { applyExifOrientation } from './apply-orientation.js';
import { readExifOrientation } from './exif-orientation.js';
import { FdlJpegDecoder, loadFdlJpegDecoder } from './fdl-decoder.js';
import type { DecoderName, ImageDecoder, OrientationPolicy } from './image-decoder.js';
import { type ImageFormat, sniffImageFormat } from './image-format.js';
import { JpegJsDecoder } from './jpeg-js-decoder.js';
import { PngDecoder } from './png-decoder.js';
import { loadSharp, SharpDecoder } from './sharp-decoder.js';

/**
 * The decoders chosen for one run: a primary one for JPEG (`decoder.name` is what logs and
 * benchmarks print) and fallbacks for other formats found under image extensions.
 */
export interface DecoderSet {
  /** The JPEG decoder, named in logs. */
  readonly primary: ImageDecoder;
  /** Every available decoder, primary first; the first that reads a format is used for it. */
  readonly all: readonly ImageDecoder[];
}

/**
 * Resolves a decoder name to the decoders of this process. `auto` = sharp when installed, else the
 * fdl decoder when @fdl/dct-core/jpeg provides it (libjpeg-exact, about 2x faster than jpeg-js), else
 * jpeg-js. `sharp` and `fdl` throw an `ArgumentError` when not available (never a silent swap).
 * PNG always has pngjs as a fallback; GIF/WebP/TIFF need sharp.
 */
export async function createDecoderSet(name: DecoderName = 'auto'): Promise<DecoderSet> {
  const sharp = await loadSharp();
  const sharpDecoder = sharp ? new SharpDecoder(sharp) : null;
  const jpegJs = new JpegJsDecoder();
  const png = new PngDecoder();
  let primary: ImageDecoder;
  if (name === 'auto') {
    const decodeJpeg = sharpDecoder ? null : await loadFdlJpegDecoder();
    primary = sharpDecoder ?? (decodeJpeg ? new FdlJpegDecoder(decodeJpeg) : jpegJs);
  } else if (name === 'jpeg-js') primary = jpegJs;
  else if (name === 'sharp') {
    if (!sharpDecoder) {
      throw new ArgumentError(
        'createDecoderSet',
        'name',
        "is 'sharp' but the optional package sharp is not installed",
      );
    }
    primary = sharpDecoder;
  } else if (name === 'fdl') {
    const decodeJpeg = await loadFdlJpegDecoder();
    if (!decodeJpeg) {
      throw new ArgumentError(
        'createDecoderSet',
        'name',
        "is 'fdl' but @fdl/dct-core/jpeg exports no decodeJpeg",
      );
    }
    primary = new FdlJpegDecoder(decodeJpeg);
  } else {
    throw new ArgumentError(
      'createDecoderSet',
      'name',
      `must be auto, sharp, jpeg-js or fdl, got ${JSON.stringify(name)}`,
    );
  }
  const candidates: (ImageDecoder | null)[] = [sharpDecoder, png, jpegJs];
  const all: ImageDecoder[] = [primary];
  for (const candidate of candidates) if (candidate && candidate !== primary) all.push(candidate);
  return { primary, all };
}

/** Options of `decodeImage`. */
export interface DecodeImageOptions {
  /** EXIF orientation policy; default `apply`. */
  orientation?: OrientationPolicy;
}

export const DEFAULT_DECODE_IMAGE_OPTIONS: Readonly<Required<DecodeImageOptions>> = Object.freeze({
  orientation: 'apply',
});

/**
 * Decodes an image file's bytes to RGB whatever its extension says: the format is sniffed from the
 * magic bytes (a PNG named .JPEG decodes as PNG). Every failure becomes a `DatasetError` naming
 * `path`: `unsupported` when no decoder reads the format, `corrupt` when decoding fails.
 */
export async function decodeImage(
  bytes: Uint8Array,
  path: string,
  decoders: DecoderSet,
  options: DecodeImageOptions = {},
): Promise<{ image: RgbImage; format: ImageFormat; decoder: string }> {
  const orientation = options.orientation ?? DEFAULT_DECODE_IMAGE_OPTIONS.orientation;
  const format = sniffImageFormat(bytes);
  if (format === 'unknown') {
    throw new DatasetError('unsupported', path, 'decodeImage: not a recognised image format', {
      firstBytes: Array.from(bytes.subarray(0, 8)),
      size: bytes.length,
    });
  }
  const decoder = decoders.all.find((candidate) => candidate.formats.includes(format));
  if (!decoder) {
    throw new DatasetError(
      'unsupported',
      path,
      `decodeImage: the file is ${format.toUpperCase()} and no installed decoder reads ${format} (install sharp)`,
      { format, decoders: decoders.all.map((d) => d.name) },
    );
  }
  let image: RgbImage;
  try {
    image = await decoder.decode(bytes, format);
  } catch (error) {
    throw new DatasetError(
      'corrupt',
      path,
      `decodeImage: ${decoder.name} cannot decode ${format}: ${errorMessage(error)}`,
      {
        format,
        decoder: decoder.name,
      },
      { cause: error },
    );
  }
  if (image.width <= 0 || image.height <= 0) {
    throw new DatasetError(
      'corrupt',
      path,
      `decodeImage: decoded to an empty ${image.width}x${image.height} image`,
    );
  }
  if (orientation === 'apply' && format === 'jpeg')
    image = applyExifOrientation(image, readExifOrientation(bytes));
  return { image, format, decoder: decoder.name };
}
