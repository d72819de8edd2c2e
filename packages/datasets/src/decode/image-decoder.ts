import type { RgbImage } from '../image.js';
import type { ImageFormat } from './image-format.js';

/**
 * One way of turning encoded bytes into RGB pixels. Implementations: `jpeg-js` (pure JS, always
 * present), `sharp` (libvips + libjpeg-turbo, optional), `fdl` (@fdl/dct-core's JPEG decoder) and
 * `pngjs` (PNG only). Every implementation returns 3-channel RGB: grayscale is expanded, alpha is
 * dropped (not composited, as Pillow's `convert('RGB')` does), CMYK/YCCK is converted with one formula.
 */
export interface ImageDecoder {
  /** Name shown in logs, benchmark tables and skip reports, e.g. `sharp` or `jpeg-js`. */
  readonly name: string;
  /** Formats this decoder reads. */
  readonly formats: readonly ImageFormat[];
  /** Decodes; throws (any error type) on corrupt input. Callers wrap errors in `DatasetError`. */
  decode(bytes: Uint8Array, format: ImageFormat): Promise<RgbImage>;
}

/** Stored pixels to display orientation: `apply` (default, as browsers do) or `ignore` (as Pillow). */
export type OrientationPolicy = 'apply' | 'ignore';

/** Which decoder to use for JPEG: `auto` picks sharp when installed, else fdl when available, else jpeg-js. */
export type DecoderName = 'auto' | 'sharp' | 'jpeg-js' | 'fdl';

/** Every accepted `DecoderName`. */
export const DECODER_NAMES: readonly DecoderName[] = Object.freeze(['auto', 'sharp', 'jpeg-js', 'fdl']);
