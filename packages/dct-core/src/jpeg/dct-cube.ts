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
 * - `triangle`: the DCT-domain equivalent of libjpeg's triangle ("fancy") upsampling by 2 (box for other
 *   factors, as libjpeg): each luma-grid block combines its chroma block with the neighbouring chroma
 *   block above/below and left/right. Matches the pixel path up to libjpeg's integer rounding, except at
 *   the bottom/right edge blocks where libjpeg replicates the last real sample row/column.
 * - `decode`: subsampled chroma is decoded exactly as libjpeg does (islow IDCT, triangle "fancy"
 *   upsampling) and transformed again with `forwardDctPlane`, so chroma equals the pixel path while luma
 *   (and chroma already on luma's grid) still comes straight from the coefficients.
 * - `same-grid`: refuse (ArgumentError) unless every component already has luma's grid (4:4:4).
 */
export type ChromaToLumaGrid = 'box' | 'triangle' | 'decode' | 'same-grid';

export interface DctCubeFromJpegOptions {
  chroma: ChromaToLumaGrid;
  /** Global channels to keep (component * 64 + u * 8 + v), ascending; default all of the file's. */
  channelIndices?: readonly number[];
}

export const DEFAULT_DCT_CUBE_FROM_JPEG_OPTIONS: Readonly<DctCubeFromJpegOptions> = Object.freeze({
  chroma: 'triangle',
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
  if (chroma !== 'box' && chroma !== 'triangle' && chroma !== 'decode' && chroma !== 'same-grid') {
    throw new ArgumentError(
      NAME,
      'options.chroma',
      `must be 'box', 'triangle', 'decode' or 'same-grid', got ${String(chroma)}`,
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
    const { horizontal, vertical } = factors[c];
    if (horizontal === 1 && vertical === 1) {
      // Same grid: dequantize only the wanted coefficients, straight into the cube.
      const frequencies = Int32Array.from(wanted, ({ frequency }) => frequency);
      const slots = Int32Array.from(wanted, ({ slot }) => slot);
      const steps = Float32Array.from(frequencies, (frequency) => component.quantization[frequency]);
      const { blocks } = component;
      const per = frequencies.length;
      for (let by = 0; by < height; by++) {
        for (let bx = 0; bx < width; bx++) {
          const from = (by * component.widthInBlocks + bx) * 64;
          const to = (by * width + bx) * count;
          for (let i = 0; i < per; i++) data[to + slots[i]] = blocks[from + frequencies[i]] * steps[i];
        }
      }
      continue;
    }
    const dequantized = chroma === 'decode' ? new Float32Array(0) : dequantizeComponent(component);
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
    const verticalAxis = axisMaps(
      chroma,
      vertical,
      vertical === 2 && horizontal === 2 && component.width <= 2,
    );
    const horizontalAxis = axisMaps(chroma, horizontal, component.width <= 2);
    // Only the vertical frequencies (rows u) of the wanted channels need the row pass.
    const neededRows = Int32Array.from(new Set(wanted.map(({ frequency }) => frequency >> 3)));
    const rowsTemporary = new Float64Array(64);
    const neighbourTemporary = new Float64Array(64);
    const lastRow = component.heightInBlocks - 1;
    const lastColumn = component.widthInBlocks - 1;
    // rows = V_self * X(row, column) + V_neighbour * X(neighbourRow, column), for one source column.
    const applyRows = (
      target: Float64Array,
      selfMap: Float64Array,
      neighbourMap: Float64Array | null,
      row: number,
      neighbourRow: number,
      column: number,
    ) => {
      const from = (row * component.widthInBlocks + column) * 64;
      const fromNeighbour = (neighbourRow * component.widthInBlocks + column) * 64;
      for (const u of neededRows) {
        for (let j = 0; j < 8; j++) {
          let sum = 0;
          for (let i = 0; i < 8; i++) sum += selfMap[u * 8 + i] * dequantized[from + i * 8 + j];
          if (neighbourMap !== null) {
            for (let i = 0; i < 8; i++)
              sum += neighbourMap[u * 8 + i] * dequantized[fromNeighbour + i * 8 + j];
          }
          target[u * 8 + j] = sum;
        }
      }
    };
    for (let by = 0; by < height; by++) {
      const row = Math.min(Math.floor(by / vertical), lastRow);
      const [rowSelf, rowNeighbour, neighbourRow] = pick(verticalAxis, by % vertical, row, lastRow);
      for (let bx = 0; bx < width; bx++) {
        const column = Math.min(Math.floor(bx / horizontal), lastColumn);
        const [columnSelf, columnNeighbour, neighbourColumn] = pick(
          horizontalAxis,
          bx % horizontal,
          column,
          lastColumn,
        );
        applyRows(rowsTemporary, rowSelf, rowNeighbour, row, neighbourRow, column);
        if (columnNeighbour !== null) {
          applyRows(neighbourTemporary, rowSelf, rowNeighbour, row, neighbourRow, neighbourColumn);
        }
        const to = (by * width + bx) * count;
        for (const { frequency, slot } of wanted) {
          const u = frequency >> 3;
          const v = frequency & 7;
          let sum = 0;
          for (let j = 0; j < 8; j++) sum += rowsTemporary[u * 8 + j] * columnSelf[v * 8 + j];
          if (columnNeighbour !== null) {
            for (let j = 0; j < 8; j++) sum += neighbourTemporary[u * 8 + j] * columnNeighbour[v * 8 + j];
          }
          data[to + slot] = sum;
        }
      }
    }
  }
  return { data, height, width, channels: count, channelIndices };
}

/** Per-axis DCT-domain maps: for each quadrant, the map of the block itself and of its neighbour. */
interface AxisMaps {
  /** Map of the source block when the neighbour exists (or when there is no neighbour term). */
  readonly self: Float64Array[];
  /** Map of the neighbouring block (above/left for quadrant 0, below/right for quadrant 1), or null. */
  readonly neighbour: (Float64Array | null)[];
  /** Map of the source block at the frame edge, where the neighbour is the edge sample itself. */
  readonly edge: Float64Array[];
}

/**
 * Maps for one axis: box replication (any factor), or libjpeg's triangle filter for factor 2 in
 * `triangle` mode (libjpeg replicates instead when the plane is at most 2 samples wide: `forceBox`).
 */
function axisMaps(chroma: ChromaToLumaGrid, factor: number, forceBox: boolean): AxisMaps {
  if (chroma !== 'triangle' || factor !== 2 || forceBox) {
    const self = Array.from({ length: factor }, (_, q) => boxUpsampleMatrix(factor, q));
    return { self, neighbour: self.map(() => null), edge: self };
  }
  const self = [0, 1].map((q) => triangleUpsampleMatrix(q, 'self'));
  return {
    self,
    neighbour: [0, 1].map((q) => triangleUpsampleMatrix(q, 'neighbour')),
    edge: [0, 1].map((q) => triangleUpsampleMatrix(q, 'edge')),
  };
}

/** The maps and the neighbouring block index for quadrant `quadrant` of source block `index`. */
function pick(
  axis: AxisMaps,
  quadrant: number,
  index: number,
  last: number,
): [Float64Array, Float64Array | null, number] {
  const neighbour = axis.neighbour[quadrant];
  if (neighbour === null) return [axis.self[quadrant], null, index];
  const other = quadrant === 0 ? index - 1 : index + 1;
  if (other < 0 || other > last) return [axis.edge[quadrant], null, index];
  return [axis.self[quadrant], neighbour, other];
}

/**
 * 1-D DCT-domain map of libjpeg's triangle ("fancy") upsampling by 2 (without its integer rounding):
 * output sample 2r takes 3/4 of chroma sample r and 1/4 of r - 1, sample 2r + 1 takes 3/4 of r and 1/4
 * of r + 1. Quadrant 0 covers chroma samples 0..3 and reaches into the block before (its sample 7);
 * quadrant 1 covers 4..7 and reaches into the block after (its sample 0). `part` selects the map of the
 * block itself, of that neighbour, or of the block itself at the frame edge (neighbour = edge sample).
 */
export function triangleUpsampleMatrix(quadrant: number, part: 'self' | 'neighbour' | 'edge'): Float64Array {
  const samples = new Float64Array(64); // [output sample][input sample]
  const first = quadrant * 4;
  for (let r = 0; r < 4; r++) {
    const source = first + r;
    for (const [output, near] of [
      [2 * r, source - 1],
      [2 * r + 1, source + 1],
    ]) {
      if (part !== 'neighbour') samples[output * 8 + source] += 0.75;
      const inside = near >= 0 && near <= 7;
      if (inside) {
        if (part !== 'neighbour') samples[output * 8 + near] += 0.25;
      } else if (part === 'neighbour') {
        samples[output * 8 + (near < 0 ? 7 : 0)] += 0.25;
      } else if (part === 'edge') {
        samples[output * 8 + source] += 0.25;
      }
    }
  }
  const matrix = new Float64Array(64);
  for (let k = 0; k < 8; k++) {
    for (let j = 0; j < 8; j++) {
      let sum = 0;
      for (let n = 0; n < 8; n++) {
        let sample = 0;
        for (let m = 0; m < 8; m++) sample += samples[n * 8 + m] * DCT_MATRIX[j * 8 + m];
        sum += DCT_MATRIX[k * 8 + n] * sample;
      }
      matrix[k * 8 + j] = sum;
    }
  }
  return matrix;
}
