import { ArgumentError } from './errors.js';
import {
  BLOCK_COEFFICIENTS,
  COMPONENT_COUNT,
  channelIndex,
  FULL_CHANNEL_COUNT,
  NATURAL_TO_ZIGZAG,
} from './layout.js';

/** A set of DCT channels out of the 192 (Y | Cb | Cr), always listed in ascending channel order. */
export interface ChannelSelection {
  /** e.g. `DCT-24`, `24S`, `24T`, `DCT-192`, `custom-7`. */
  name: string;
  /** Ascending channel indices (see `channelIndex`). */
  indices: readonly number[];
  /** 192 booleans, `mask[c]` true when channel c is kept. */
  mask: readonly boolean[];
}

/** Anything `resolveSelection` accepts: a name, channel indices, a 192-boolean mask, or a selection. */
export type SelectionSpec = string | readonly number[] | readonly boolean[] | ChannelSelection;

/** Per-component frequency counts for the square/triangle generators. */
export interface ComponentCounts {
  y: number;
  cb: number;
  cr: number;
}

/**
 * The official presets (kaix90/DCTNet classification/main/__init__.py `subset_channel_index`):
 * natural indices per component, Y then the list shared by Cb and Cr.
 */
export const OFFICIAL_PRESETS: Readonly<Record<number, { y: readonly number[]; chroma: readonly number[] }>> =
  Object.freeze({
    6: { y: [0, 1, 8, 9], chroma: [0] },
    24: { y: [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27], chroma: [0, 1, 8, 9] },
    32: {
      y: [0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20, 24, 25, 26, 27, 32, 33, 34],
      chroma: [0, 1, 2, 8, 9],
    },
    48: {
      y: [
        0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 29, 32, 33, 34,
        35, 40, 41, 42, 43,
      ],
      chroma: [0, 1, 2, 8, 9, 10, 16, 17],
    },
    64: {
      y: [
        0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 29, 32, 33,
        34, 35, 36, 37, 40, 41, 42, 43, 44, 45, 48, 49, 50, 51, 52, 53,
      ],
      chroma: [0, 1, 2, 8, 9, 10, 16, 17, 24, 25],
    },
    192: { y: Array.from({ length: 64 }, (_, k) => k), chroma: Array.from({ length: 64 }, (_, k) => k) },
  });

/** Channel counts that have an official preset. */
export const PRESET_CHANNEL_COUNTS: readonly number[] = Object.freeze([6, 24, 32, 48, 64, 192]);

function build(name: string, indices: Iterable<number>): ChannelSelection {
  const mask = new Array<boolean>(FULL_CHANNEL_COUNT).fill(false);
  for (const index of indices) mask[index] = true;
  const sorted: number[] = [];
  for (let c = 0; c < FULL_CHANNEL_COUNT; c++) if (mask[c]) sorted.push(c);
  return Object.freeze({ name, indices: Object.freeze(sorted), mask: Object.freeze(mask) });
}

/** An official preset by channel count (6, 24, 32, 48, 64 or 192), named `DCT-<n>`. */
export function presetSelection(count: number): ChannelSelection {
  const preset = OFFICIAL_PRESETS[count];
  if (preset === undefined) {
    throw new ArgumentError(
      'presetSelection',
      'count',
      `must be one of ${PRESET_CHANNEL_COUNTS.join(', ')}, got ${count}`,
    );
  }
  const indices = [
    ...preset.y.map((k) => channelIndex(0, k >> 3, k & 7)),
    ...preset.chroma.map((k) => channelIndex(1, k >> 3, k & 7)),
    ...preset.chroma.map((k) => channelIndex(2, k >> 3, k & 7)),
  ];
  return build(`DCT-${count}`, indices);
}

/** Frequencies in "square" order: by max(u, v) (growing squares from DC), then u + v, then natural. */
const SQUARE_ORDER: readonly number[] = Object.freeze(
  Array.from({ length: 64 }, (_, k) => k).sort((a, b) => {
    const [ua, va, ub, vb] = [a >> 3, a & 7, b >> 3, b & 7];
    return Math.max(ua, va) - Math.max(ub, vb) || ua + va - (ub + vb) || a - b;
  }),
);
/** Frequencies in "triangle" order: by u + v (anti-diagonals from DC), then zig-zag position. */
const TRIANGLE_ORDER: readonly number[] = Object.freeze(
  Array.from({ length: 64 }, (_, k) => k).sort(
    (a, b) => (a >> 3) + (a & 7) - ((b >> 3) + (b & 7)) || NATURAL_TO_ZIGZAG[a] - NATURAL_TO_ZIGZAG[b],
  ),
);

function validateCounts(functionName: string, counts: ComponentCounts): void {
  for (const key of ['y', 'cb', 'cr'] as const) {
    const value = counts?.[key];
    if (!Number.isInteger(value) || value < 0 || value > BLOCK_COEFFICIENTS) {
      throw new ArgumentError(functionName, `counts.${key}`, `must be an integer 0..64, got ${value}`);
    }
  }
}

function byOrder(order: readonly number[], counts: ComponentCounts): number[] {
  const per = [counts.y, counts.cb, counts.cr];
  const out: number[] = [];
  for (let component = 0; component < COMPONENT_COUNT; component++) {
    for (const k of order.slice(0, per[component])) out.push(channelIndex(component, k >> 3, k & 7));
  }
  return out;
}

/**
 * The lowest frequencies per component in growing squares: a count k*k gives the k x k top-left square
 * (16 -> u, v < 4); other counts fill the next square's ring row by row. Named `<total>S`.
 */
export function squareSelection(counts: ComponentCounts): ChannelSelection {
  validateCounts('squareSelection', counts);
  return build(`${counts.y + counts.cb + counts.cr}S`, byOrder(SQUARE_ORDER, counts));
}

/**
 * The lowest frequencies per component by u + v (the paper's "triangle"), ties broken in zig-zag order,
 * i.e. the first n coefficients of the zig-zag scan. Named `<total>T`.
 */
export function triangleSelection(counts: ComponentCounts): ChannelSelection {
  validateCounts('triangleSelection', counts);
  return build(`${counts.y + counts.cb + counts.cr}T`, byOrder(TRIANGLE_ORDER, counts));
}

/** The per-component counts of an official preset: e.g. 24 -> {y: 16, cb: 4, cr: 4}. */
export function presetCounts(count: number): ComponentCounts {
  const preset = OFFICIAL_PRESETS[count];
  if (preset === undefined) {
    throw new ArgumentError(
      'presetCounts',
      'count',
      `must be one of ${PRESET_CHANNEL_COUNTS.join(', ')}, got ${count}`,
    );
  }
  return { y: preset.y.length, cb: preset.chroma.length, cr: preset.chroma.length };
}

/** A selection from channel indices (any order, no duplicates, 0..191). */
export function selectionFromIndices(indices: readonly number[], name?: string): ChannelSelection {
  const seen = new Set<number>();
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= FULL_CHANNEL_COUNT) {
      throw new ArgumentError('selectionFromIndices', 'indices', `must hold integers 0..191, got ${index}`);
    }
    if (seen.has(index))
      throw new ArgumentError(
        'selectionFromIndices',
        'indices',
        `must not repeat a channel, got ${index} twice`,
      );
    seen.add(index);
  }
  if (seen.size === 0)
    throw new ArgumentError('selectionFromIndices', 'indices', 'must select at least one channel');
  return build(name ?? `custom-${seen.size}`, seen);
}

/** A selection from a 192-boolean mask. */
export function selectionFromMask(mask: readonly boolean[], name?: string): ChannelSelection {
  if (mask.length !== FULL_CHANNEL_COUNT) {
    throw new ArgumentError('selectionFromMask', 'mask', `must have 192 booleans, got ${mask.length}`);
  }
  const indices: number[] = [];
  mask.forEach((keep, index) => {
    if (keep) indices.push(index);
  });
  return selectionFromIndices(indices, name);
}

/** Channel indices -> 192-boolean mask. */
export function indicesToMask(indices: readonly number[]): boolean[] {
  return [...selectionFromIndices(indices).mask];
}

/** 192-boolean mask -> ascending channel indices. */
export function maskToIndices(mask: readonly boolean[]): number[] {
  return [...selectionFromMask(mask).indices];
}

/**
 * Resolves a selection: `'DCT-24'` or `'24'` (official preset), `'24S'` / `'24T'` (square / triangle
 * with the preset's per-component counts), `'all'`, channel indices, a 192-boolean mask, or a selection.
 */
export function resolveSelection(spec: SelectionSpec): ChannelSelection {
  if (typeof spec === 'string') {
    const text = spec.trim();
    if (text.toLowerCase() === 'all') return presetSelection(192);
    const match = /^(?:DCT-?)?(\d+)([ST]?)$/i.exec(text);
    if (match === null || OFFICIAL_PRESETS[Number(match[1])] === undefined) {
      throw new ArgumentError(
        'resolveSelection',
        'spec',
        `must be a preset name (DCT-6/24/32/48/64/192, 24, 24S, 24T, ...), index list or mask, got '${spec}'`,
      );
    }
    const count = Number(match[1]);
    const shape = match[2].toUpperCase();
    if (shape === 'S') return squareSelection(presetCounts(count));
    if (shape === 'T') return triangleSelection(presetCounts(count));
    return presetSelection(count);
  }
  if (Array.isArray(spec)) {
    if (spec.length > 0 && spec.every((value) => typeof value === 'boolean'))
      return selectionFromMask(spec as readonly boolean[]);
    if (spec.every((value) => typeof value === 'number'))
      return selectionFromIndices(spec as readonly number[]);
    throw new ArgumentError(
      'resolveSelection',
      'spec',
      'must be all numbers (indices) or all booleans (a 192 mask)',
    );
  }
  if (spec !== null && typeof spec === 'object' && 'indices' in spec)
    return selectionFromIndices(spec.indices, spec.name);
  throw new ArgumentError(
    'resolveSelection',
    'spec',
    `must be a string, index list, mask or ChannelSelection, got ${typeof spec}`,
  );
}

/** The natural frequencies (u * 8 + v) a selection keeps for each component: [Y, Cb, Cr], ascending. */
export function componentFrequencies(selection: ChannelSelection): number[][] {
  const out: number[][] = [[], [], []];
  for (const index of selection.indices)
    out[Math.floor(index / BLOCK_COEFFICIENTS)].push(index % BLOCK_COEFFICIENTS);
  return out;
}
