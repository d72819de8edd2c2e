import type { DctCube } from '../cube.js';
import { forwardDctPlane } from '../dct.js';
import { ArgumentError } from '../errors.js';
import { channelIndex } from '../layout.js';
import { componentToPlane } from './decode.js';
import type { JpegCoefficients, JpegComponentCoefficients } from './types.js';

/**
 * Dequantized coefficients of one component: `[heightInBlocks, widthInBlocks, 64]`, natural order,
 * coefficient * quantization step. This is the orthonormal 8x8 DCT-II of (sample - 128) that the encoder
 * computed, up to quantization error: the same scale as dct-core's `forwardDctPlane`.
 */
export function dequantizeComponent(component: JpegComponentCoefficients): Float32Array {
  const { blocks, quantization } = component;
  const output = new Float32Array(blocks.length);
  for (let offset = 0; offset < blocks.length; offset += 64) {
    for (let k = 0; k < 64; k++) output[offset + k] = blocks[offset + k] * quantization[k];
  }
  return output;
}

/**
 * How chroma stored at a lower resolution reaches the luma block grid:
 * - `box`: exact DCT-domain equivalent of nearest-neighbour (box) upsampling of the chroma samples
 *   followed by the 8x8 DCT on luma's grid. Each luma-grid block is a fixed linear map of the one chroma
 *   block it falls in (separable 8x8 matrices per quadrant), so no pixels are reconstructed.
 * - `decode`: subsampled chroma is decoded exactly as libjpeg does (islow IDCT, triangle "fancy"
 *   upsampling) and transformed again with `forwardDctPlane`, so chroma equals the pixel path while luma
 *   (and chroma already on luma's grid) still comes straight from the coefficients.
 * - `same-grid`: refuse (ArgumentError) unless every component already has luma's grid (4:4:4).
 */
export type ChromaToLumaGrid = 'box' | 'decode' | 'same-grid';

export interface DctCubeFromJpegOptions {
  chroma: ChromaToLumaGrid;
  /** Global channels to keep (component * 64 + u * 8 + v), ascending; default all of the file's. */
  channelIndices?: readonly number[];
}

export const DEFAULT_DCT_CUBE_FROM_JPEG_OPTIONS: Readonly<DctCubeFromJpegOptions> = Object.freeze({
  chroma: 'box',
});

const NAME = 'jpegToDctCube';

/** Orthonormal DCT-II matrix: C[k][n] = c(k) cos((2n + 1) k pi / 16). */
const DCT_MATRIX: Float64Array = (() => {
  const matrix = new Float64Array(64);
  for (let k = 0; k < 8; k++) {
    for (let n = 0; n < 8; n++) {
      matrix[k * 8 + n] =
        (k === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8)) * Math.cos(((2 * n + 1) * k * Math.PI) / 16);
    }
  }
  return matrix;
})();

/**
 * 1-D map from the 8 DCT coefficients of a chroma block to the 8 coefficients of part `quadrant` of it,
 * box-upsampled by `factor`: A = C * U * C^T with U[n][m] = 1 when m = quadrant * 8 / factor + floor(n / factor).
 */
export function boxUpsampleMatrix(factor: number, quadrant: number): Float64Array {
  const matrix = new Float64Array(64);
  const first = (quadrant * 8) / factor;
  for (let k = 0; k < 8; k++) {
    for (let j = 0; j < 8; j++) {
      let sum = 0;
      for (let n = 0; n < 8; n++)
        sum += DCT_MATRIX[k * 8 + n] * DCT_MATRIX[j * 8 + first + Math.floor(n / factor)];
      matrix[k * 8 + j] = sum;
    }
  }
  return matrix;
}

/**
 * Assembles a dct-core `DctCube` ([H/8, W/8, C], channel = component * 64 + u * 8 + v) directly from a
 * JPEG's dequantized coefficients, on the luma block grid. Accepts YCbCr (3 components) and grayscale
 * (1 component, channels 0..63) files. See `ChromaToLumaGrid` for the chroma geometry.
 */
export function jpegToDctCube(
  coefficients: JpegCoefficients,
  options: Partial<DctCubeFromJpegOptions> = {},
): DctCube {
  const { chroma } = { ...DEFAULT_DCT_CUBE_FROM_JPEG_OPTIONS, ...options };
  const { colorSpace, components } = coefficients;
  if (colorSpace !== 'ycbcr' && colorSpace !== 'grayscale') {
    throw new ArgumentError(
      NAME,
      'coefficients',
      `must be a YCbCr or grayscale JPEG, got colour space ${colorSpace}`,
    );
  }
  if (chroma !== 'box' && chroma !== 'decode' && chroma !== 'same-grid') {
    throw new ArgumentError(
      NAME,
      'options.chroma',
      `must be 'box', 'decode' or 'same-grid', got ${String(chroma)}`,
    );
  }
  const available = components.length * 64;
  const channels = options.channelIndices ?? Array.from({ length: available }, (_, channel) => channel);
  channels.forEach((channel, i) => {
    if (
      !Number.isInteger(channel) ||
      channel < 0 ||
      channel >= available ||
      (i > 0 && channel <= channels[i - 1])
    ) {
      throw new ArgumentError(
        NAME,
        'options.channelIndices',
        `must be ascending integers in 0..${available - 1}, got ${channel} at position ${i}`,
      );
    }
  });
  const luma = components[0];
  const { widthInBlocks: width, heightInBlocks: height } = luma;
  const factors = components.map((component) => {
    const horizontal = luma.horizontalSampling / component.horizontalSampling;
    const vertical = luma.verticalSampling / component.verticalSampling;
    const valid = [1, 2, 4].includes(horizontal) && [1, 2, 4].includes(vertical);
    if (!valid || (chroma === 'same-grid' && (horizontal !== 1 || vertical !== 1))) {
      throw new ArgumentError(
        NAME,
        'coefficients',
        `component ${component.id} has sampling ${component.horizontalSampling}x${component.verticalSampling} against luma ${luma.horizontalSampling}x${luma.verticalSampling}; ${chroma === 'same-grid' ? "chroma 'same-grid' needs 4:4:4" : 'box upsampling needs luma ratios of 1, 2 or 4'}`,
      );
    }
    return { horizontal, vertical };
  });
  const count = channels.length;
  const data = new Float32Array(width * height * count);
  const channelIndices = Int32Array.from(channels);
  // Which channels of each component are requested, and where they go.
  for (let c = 0; c < components.length; c++) {
    const wanted: { frequency: number; slot: number }[] = [];
    for (let slot = 0; slot < count; slot++) {
      for (let frequency = 0; frequency < 64; frequency++) {
        if (channelIndex(c, frequency >> 3, frequency & 7) === channels[slot])
          wanted.push({ frequency, slot });
      }
    }
    if (wanted.length === 0) continue;
    const component = components[c];
    const dequantized = dequantizeComponent(component);
    const { horizontal, vertical } = factors[c];
    if (horizontal === 1 && vertical === 1) {
      for (let by = 0; by < height; by++) {
        for (let bx = 0; bx < width; bx++) {
          const from = (by * component.widthInBlocks + bx) * 64;
          const to = (by * width + bx) * count;
          for (const { frequency, slot } of wanted) data[to + slot] = dequantized[from + frequency];
        }
      }
      continue;
    }
    if (chroma === 'decode') {
      const plane = componentToPlane(coefficients, c);
      const transformed = forwardDctPlane(
        { data: plane, width: coefficients.width, height: coefficients.height },
        { frequencies: wanted.map(({ frequency }) => frequency) },
      );
      const per = wanted.length;
      for (let by = 0; by < height; by++) {
        for (let bx = 0; bx < width; bx++) {
          const from = (by * transformed.widthInBlocks + bx) * per;
          const to = (by * width + bx) * count;
          for (let i = 0; i < per; i++) data[to + wanted[i].slot] = transformed.data[from + i];
        }
      }
      continue;
    }
    const verticalMaps = Array.from({ length: vertical }, (_, q) => boxUpsampleMatrix(vertical, q));
    const horizontalMaps = Array.from({ length: horizontal }, (_, q) => boxUpsampleMatrix(horizontal, q));
    const temporary = new Float64Array(64);
    for (let by = 0; by < height; by++) {
      const sourceRow = Math.min(Math.floor(by / vertical), component.heightInBlocks - 1);
      const rowMap = verticalMaps[by % vertical];
      for (let bx = 0; bx < width; bx++) {
        const sourceColumn = Math.min(Math.floor(bx / horizontal), component.widthInBlocks - 1);
        const columnMap = horizontalMaps[bx % horizontal];
        const from = (sourceRow * component.widthInBlocks + sourceColumn) * 64;
        // temporary = rowMap * X (rows), then result = temporary * columnMap^T.
        for (let u = 0; u < 8; u++) {
          for (let j = 0; j < 8; j++) {
            let sum = 0;
            for (let i = 0; i < 8; i++) sum += rowMap[u * 8 + i] * dequantized[from + i * 8 + j];
            temporary[u * 8 + j] = sum;
          }
        }
        const to = (by * width + bx) * count;
        for (const { frequency, slot } of wanted) {
          const u = frequency >> 3;
          const v = frequency & 7;
          let sum = 0;
          for (let j = 0; j < 8; j++) sum += temporary[u * 8 + j] * columnMap[v * 8 + j];
          data[to + slot] = sum;
        }
      }
    }
  }
  return { data, height, width, channels: count, channelIndices };
}
