/** How the samples of a JPEG are to be interpreted, following libjpeg's rules (JFIF, Adobe APP14, ids). */
export type JpegColorSpace = 'grayscale' | 'ycbcr' | 'rgb' | 'cmyk' | 'ycck' | 'unknown';

/** SOF0 baseline, SOF1 extended sequential Huffman, SOF2 progressive Huffman. */
export type JpegFrameType = 'baseline' | 'extended' | 'progressive';

/** One colour component of a JPEG frame with its quantized DCT coefficients. */
export interface JpegComponentCoefficients {
  /** Component identifier from the SOF marker (1, 2, 3 for JFIF; 'R','G','B' for some RGB files). */
  readonly id: number;
  readonly horizontalSampling: number;
  readonly verticalSampling: number;
  /** Sample width of this component: ceil(imageWidth * horizontalSampling / maxHorizontalSampling). */
  readonly width: number;
  /** Sample height of this component: ceil(imageHeight * verticalSampling / maxVerticalSampling). */
  readonly height: number;
  /** ceil(width / 8): blocks that cover the image (MCU padding blocks are not included). */
  readonly widthInBlocks: number;
  /** ceil(height / 8). */
  readonly heightInBlocks: number;
  /** Quantization table selector (0..3) from the SOF marker. */
  readonly quantizationTableIndex: number;
  /** Quantization steps in natural (row-major) order, as latched at the component's first scan. */
  readonly quantization: Uint16Array;
  /** [heightInBlocks, widthInBlocks, 64] quantized coefficients, natural order (index u * 8 + v). */
  readonly blocks: Int16Array;
}

/** Everything `readJpegCoefficients` reads from a JPEG, without decoding pixels. */
export interface JpegCoefficients {
  readonly width: number;
  readonly height: number;
  readonly colorSpace: JpegColorSpace;
  readonly frameType: JpegFrameType;
  readonly progressive: boolean;
  readonly maxHorizontalSampling: number;
  readonly maxVerticalSampling: number;
  /** Components in frame order (Y, Cb, Cr for JFIF). */
  readonly components: readonly JpegComponentCoefficients[];
  /** True when a JFIF APP0 marker was present. */
  readonly jfif: boolean;
  /** Adobe APP14 colour transform flag (0 none/RGB/CMYK, 1 YCbCr, 2 YCCK), or null without that marker. */
  readonly adobeTransform: number | null;
  /** EXIF orientation tag (1..8), reported and never applied; null without EXIF orientation. */
  readonly exifOrientation: number | null;
  /** Restart interval in MCUs from the last DRI marker (0 when none). */
  readonly restartInterval: number;
  /** Number of scans (SOS markers) decoded. */
  readonly scanCount: number;
  /**
   * True only in `allowPartial` mode when the data was truncated or corrupt: the blocks that could not be
   * decoded are left as zeros (libjpeg's behaviour), and `problems` lists what was found.
   */
  readonly partial: boolean;
  readonly problems: readonly string[];
}

/** Options of `readJpegCoefficients` and `decodeJpeg`. */
export interface JpegReadOptions {
  /** Largest accepted width * height (decompression-bomb guard). */
  readonly maxPixels: number;
  /** Largest accepted width or height. */
  readonly maxDimension: number;
  /** Largest accepted size of the coefficient buffers in bytes (including MCU padding). */
  readonly maxCoefficientBytes: number;
  /**
   * Largest accepted number of scans. Encoders write about 10 for progressive files; each scan may sweep
   * the whole frame, so this bounds the work a small crafted file can cause.
   */
  readonly maxScans: number;
  /**
   * false (default): corrupt or truncated entropy data throws `E_JPEG_CORRUPT` with the byte offset.
   * true: decode what is there like libjpeg (zero-filled blocks after the damage) and set `partial`.
   */
  readonly allowPartial: boolean;
}

export const DEFAULT_JPEG_READ_OPTIONS: Readonly<JpegReadOptions> = Object.freeze({
  maxPixels: 1 << 26,
  maxDimension: 65535,
  maxCoefficientBytes: 1 << 28,
  maxScans: 256,
  allowPartial: false,
});
