import { ArgumentError } from './errors.js';

/** Number of colour components in a DCT cube (Y, Cb, Cr). */
export const COMPONENT_COUNT = 3;
/** Coefficients per 8x8 block. */
export const BLOCK_COEFFICIENTS = 64;
/** Channels of a full cube: component * 64 + u * 8 + v. */
export const FULL_CHANNEL_COUNT = COMPONENT_COUNT * BLOCK_COEFFICIENTS;
/** Component names in channel order. */
export const COMPONENT_NAMES = Object.freeze(['Y', 'Cb', 'Cr'] as const);
export type ComponentName = (typeof COMPONENT_NAMES)[number];

/**
 * The one place that knows the channel layout: channel = component * 64 + u * 8 + v, with u the vertical
 * frequency (block row) and v the horizontal frequency (block column), natural (row-major) order as
 * libjpeg stores a JBLOCK. Component 0 = Y, 1 = Cb, 2 = Cr.
 */
export function channelIndex(component: number, u: number, v: number): number {
  if (!Number.isInteger(component) || component < 0 || component >= COMPONENT_COUNT) {
    throw new ArgumentError('channelIndex', 'component', `must be 0, 1 or 2, got ${component}`);
  }
  if (!Number.isInteger(u) || u < 0 || u > 7)
    throw new ArgumentError('channelIndex', 'u', `must be 0..7, got ${u}`);
  if (!Number.isInteger(v) || v < 0 || v > 7)
    throw new ArgumentError('channelIndex', 'v', `must be 0..7, got ${v}`);
  return component * BLOCK_COEFFICIENTS + u * 8 + v;
}

/** Inverse of `channelIndex`: which component and frequency a channel (0..191) holds. */
export function channelFrequency(channel: number): {
  component: number;
  u: number;
  v: number;
  frequency: number;
} {
  if (!Number.isInteger(channel) || channel < 0 || channel >= FULL_CHANNEL_COUNT) {
    throw new ArgumentError('channelFrequency', 'channel', `must be an integer in 0..191, got ${channel}`);
  }
  const frequency = channel % BLOCK_COEFFICIENTS;
  return {
    component: (channel - frequency) / BLOCK_COEFFICIENTS,
    u: frequency >> 3,
    v: frequency & 7,
    frequency,
  };
}

/** A readable name for a channel, e.g. `Cb(1,0)` = component Cb, u = 1 (vertical), v = 0. */
export function channelName(channel: number): string {
  const { component, u, v } = channelFrequency(channel);
  return `${COMPONENT_NAMES[component]}(${u},${v})`;
}

function buildZigzag(): readonly number[] {
  const order: number[] = [];
  for (let diagonal = 0; diagonal < 15; diagonal++) {
    const cells: number[] = [];
    for (let u = Math.max(0, diagonal - 7); u <= Math.min(7, diagonal); u++)
      cells.push(u * 8 + (diagonal - u));
    // Even diagonals run bottom-left to top-right (u decreasing), as in the JPEG zig-zag scan.
    if (diagonal % 2 === 0) cells.reverse();
    order.push(...cells);
  }
  return Object.freeze(order);
}

/** `ZIGZAG_TO_NATURAL[k]` = natural index (u * 8 + v) of the k-th coefficient in JPEG zig-zag order. */
export const ZIGZAG_TO_NATURAL: readonly number[] = buildZigzag();
/** `NATURAL_TO_ZIGZAG[u * 8 + v]` = zig-zag position of that coefficient. */
export const NATURAL_TO_ZIGZAG: readonly number[] = Object.freeze(
  ZIGZAG_TO_NATURAL.reduce<number[]>((inverse, natural, position) => {
    inverse[natural] = position;
    return inverse;
  }, new Array(64).fill(0)),
);

/** Reorders 64 coefficients from zig-zag to natural order (display/helper only). */
export function zigzagToNatural(zigzag: ArrayLike<number>): Float32Array {
  if (zigzag.length !== 64)
    throw new ArgumentError('zigzagToNatural', 'zigzag', `must have 64 values, got ${zigzag.length}`);
  const natural = new Float32Array(64);
  for (let k = 0; k < 64; k++) natural[ZIGZAG_TO_NATURAL[k]] = zigzag[k];
  return natural;
}

/** Reorders 64 coefficients from natural to zig-zag order (display/helper only). */
export function naturalToZigzag(natural: ArrayLike<number>): Float32Array {
  if (natural.length !== 64)
    throw new ArgumentError('naturalToZigzag', 'natural', `must have 64 values, got ${natural.length}`);
  const zigzag = new Float32Array(64);
  for (let k = 0; k < 64; k++) zigzag[k] = natural[ZIGZAG_TO_NATURAL[k]];
  return zigzag;
}

/**
 * Plane [H, W] -> blocks [H/8, W/8, 64]: each 8x8 pixel block becomes 64 values in natural order
 * (pixel (r, c) of the block at index r * 8 + c). A pure rearrangement, exact and invertible.
 * H and W must be multiples of 8.
 */
export function planeToBlocks(plane: Float32Array, height: number, width: number): Float32Array {
  if (height % 8 !== 0 || width % 8 !== 0 || plane.length !== height * width) {
    throw new ArgumentError(
      'planeToBlocks',
      'plane',
      `must be [H, W] with H, W multiples of 8 and length H*W, got ${height}x${width} with length ${plane.length}`,
    );
  }
  const out = new Float32Array(plane.length);
  const blocksWide = width / 8;
  for (let y = 0; y < height; y++) {
    const blockRow = y >> 3;
    const r = y & 7;
    for (let x = 0; x < width; x++) {
      out[((blockRow * blocksWide + (x >> 3)) << 6) + r * 8 + (x & 7)] = plane[y * width + x];
    }
  }
  return out;
}

/** Blocks [H/8, W/8, 64] -> plane [H, W]; the inverse of `planeToBlocks`. */
export function blocksToPlane(
  blocks: Float32Array,
  heightInBlocks: number,
  widthInBlocks: number,
): Float32Array {
  if (blocks.length !== heightInBlocks * widthInBlocks * 64) {
    throw new ArgumentError(
      'blocksToPlane',
      'blocks',
      `must be [${heightInBlocks}, ${widthInBlocks}, 64] (length ${heightInBlocks * widthInBlocks * 64}), got length ${blocks.length}`,
    );
  }
  const width = widthInBlocks * 8;
  const out = new Float32Array(blocks.length);
  for (let y = 0; y < heightInBlocks * 8; y++) {
    const blockRow = y >> 3;
    const r = y & 7;
    for (let x = 0; x < width; x++) {
      out[y * width + x] = blocks[((blockRow * widthInBlocks + (x >> 3)) << 6) + r * 8 + (x & 7)];
    }
  }
  return out;
}

/**
 * Concatenates per-component coefficient grids [h, w, 64] (same h, w) into [h, w, 64 * n], channel
 * `channelIndex(component, u, v)`. Exact.
 */
export function concatenateComponents(
  components: readonly Float32Array[],
  height: number,
  width: number,
): Float32Array {
  const count = components.length;
  components.forEach((component, index) => {
    if (component.length !== height * width * 64) {
      throw new ArgumentError(
        'concatenateComponents',
        `components[${index}]`,
        `must be [${height}, ${width}, 64] (length ${height * width * 64}), got length ${component.length}`,
      );
    }
  });
  const out = new Float32Array(height * width * 64 * count);
  const cells = height * width;
  for (let cell = 0; cell < cells; cell++) {
    for (let c = 0; c < count; c++) {
      out.set(components[c].subarray(cell * 64, cell * 64 + 64), cell * 64 * count + c * 64);
    }
  }
  return out;
}

/** Splits [h, w, 64 * n] into n grids [h, w, 64]; the inverse of `concatenateComponents`. */
export function splitComponents(
  cube: Float32Array,
  height: number,
  width: number,
  count = COMPONENT_COUNT,
): Float32Array[] {
  if (cube.length !== height * width * 64 * count) {
    throw new ArgumentError(
      'splitComponents',
      'cube',
      `must be [${height}, ${width}, ${64 * count}] (length ${height * width * 64 * count}), got length ${cube.length}`,
    );
  }
  const cells = height * width;
  const out = Array.from({ length: count }, () => new Float32Array(cells * 64));
  for (let cell = 0; cell < cells; cell++) {
    for (let c = 0; c < count; c++) {
      out[c].set(cube.subarray(cell * 64 * count + c * 64, cell * 64 * count + c * 64 + 64), cell * 64);
    }
  }
  return out;
}
