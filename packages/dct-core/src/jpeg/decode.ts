import { invertedCmykToRgb, ycckToCmyk, yccToRgb } from './color-convert.js';
import { JpegError } from './errors.js';
import { idctIslow } from './idct-islow.js';
import { readJpegCoefficients } from './read-coefficients.js';
import type { JpegCoefficients, JpegColorSpace, JpegReadOptions } from './types.js';
import { upsamplePlane } from './upsample.js';

/** Decoded pixels: `[height, width, 3]` interleaved RGB. */
export interface JpegPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
  /** Colour space of the file the pixels were converted from. */
  readonly sourceColorSpace: JpegColorSpace;
  /** EXIF orientation of the file (reported, never applied). */
  readonly exifOrientation: number | null;
  /** True when decoded in `allowPartial` mode from damaged data. */
  readonly partial: boolean;
}

/**
 * Decodes a JPEG to RGB the way libjpeg-turbo does by default: islow integer IDCT, fancy (triangle)
 * upsampling, JFIF YCbCr -> RGB with libjpeg's fixed-point tables. Grayscale is replicated to RGB; CMYK
 * and YCCK are converted with the naive inverted-CMYK formula (no colour management).
 * @throws JpegError like `readJpegCoefficients`, and `E_JPEG_UNSUPPORTED` for non-integral sampling ratios
 *   or component counts without a colour interpretation.
 */
export function decodeJpeg(bytes: Uint8Array, options: Partial<JpegReadOptions> = {}): JpegPixels {
  return coefficientsToRgb(readJpegCoefficients(bytes, options));
}

/** Sample planes of every component at full image resolution (IDCT + upsampling, no colour conversion). */
export function coefficientsToPlanes(coefficients: JpegCoefficients): Uint8Array[] {
  return coefficients.components.map((_, index) => componentToPlane(coefficients, index));
}

/**
 * One component's samples at full image resolution, `[height, width]` row-major, exactly as libjpeg-turbo
 * reconstructs them (islow IDCT, then its upsampler).
 */
export function componentToPlane(coefficients: JpegCoefficients, index: number): Uint8Array {
  const { width, height, maxHorizontalSampling, maxVerticalSampling } = coefficients;
  const component = coefficients.components[index];
  if (
    maxHorizontalSampling % component.horizontalSampling !== 0 ||
    maxVerticalSampling % component.verticalSampling !== 0
  ) {
    throw new JpegError(
      'E_JPEG_UNSUPPORTED',
      `decodeJpeg: unsupported JPEG feature: non-integral upsampling of component ${component.id} (${component.horizontalSampling}x${component.verticalSampling} within ${maxHorizontalSampling}x${maxVerticalSampling})`,
      { function: 'decodeJpeg', component: component.id },
    );
  }
  const workspace = new Int32Array(64);
  const stride = component.widthInBlocks * 8;
  const samples = new Uint8Array(stride * component.heightInBlocks * 8);
  for (let row = 0; row < component.heightInBlocks; row++) {
    for (let column = 0; column < component.widthInBlocks; column++) {
      idctIslow(
        component.blocks,
        (row * component.widthInBlocks + column) * 64,
        component.quantization,
        samples,
        row * 8 * stride + column * 8,
        stride,
        workspace,
      );
    }
  }
  return upsamplePlane(
    { data: samples, width: component.width, height: component.height, stride },
    maxHorizontalSampling / component.horizontalSampling,
    maxVerticalSampling / component.verticalSampling,
    width,
    height,
  );
}

/** Converts coefficients (from `readJpegCoefficients`) to RGB pixels; see `decodeJpeg`. */
export function coefficientsToRgb(coefficients: JpegCoefficients): JpegPixels {
  const { width, height, colorSpace } = coefficients;
  if (colorSpace === 'unknown') {
    throw new JpegError(
      'E_JPEG_UNSUPPORTED',
      `decodeJpeg: unsupported JPEG feature: ${coefficients.components.length} components without a colour interpretation`,
      { function: 'decodeJpeg', components: coefficients.components.length },
    );
  }
  const planes = coefficientsToPlanes(coefficients);
  const data = new Uint8Array(width * height * 3);
  if (colorSpace === 'grayscale') {
    const [luma] = planes;
    for (let i = 0, o = 0; i < luma.length; i++, o += 3) data[o] = data[o + 1] = data[o + 2] = luma[i];
  } else if (colorSpace === 'ycbcr') {
    yccToRgb(planes[0], planes[1], planes[2], data);
  } else if (colorSpace === 'rgb') {
    for (let i = 0, o = 0; i < planes[0].length; i++, o += 3) {
      data[o] = planes[0][i];
      data[o + 1] = planes[1][i];
      data[o + 2] = planes[2][i];
    }
  } else if (colorSpace === 'cmyk') {
    invertedCmykToRgb(planes[0], planes[1], planes[2], planes[3], data);
  } else {
    const { cyan, magenta, yellow } = ycckToCmyk(planes[0], planes[1], planes[2]);
    invertedCmykToRgb(cyan, magenta, yellow, planes[3], data);
  }
  return {
    data,
    width,
    height,
    channels: 3,
    sourceColorSpace: colorSpace,
    exifOrientation: coefficients.exifOrientation,
    partial: coefficients.partial,
  };
}
