import { requireInRange } from './validate.js';

/** An sRGB colour, 0..255 per channel. */
export type Rgb = readonly [number, number, number];

/** Ten evenly spaced samples of matplotlib's viridis (perceptually uniform, readable in greyscale). */
const VIRIDIS_ANCHORS: readonly Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x48, 0x28, 0x78],
  [0x3e, 0x49, 0x89],
  [0x31, 0x68, 0x8e],
  [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89],
  [0x35, 0xb7, 0x79],
  [0x6d, 0xcd, 0x59],
  [0xb4, 0xde, 0x2c],
  [0xfd, 0xe7, 0x25],
];

/** Viridis colour of `t` in [0, 1] (linear interpolation between the anchors, rounded). */
export function viridis(t: number): Rgb {
  requireInRange('viridis', 't', t, 0, 1);
  const position = t * (VIRIDIS_ANCHORS.length - 1);
  const lower = Math.min(Math.floor(position), VIRIDIS_ANCHORS.length - 2);
  const fraction = position - lower;
  const a = VIRIDIS_ANCHORS[lower];
  const b = VIRIDIS_ANCHORS[lower + 1];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * fraction)) as unknown as Rgb;
}

/** Relative luminance (ITU-R BT.709 weights on sRGB values) in [0, 1], to pick a readable text colour. */
export function luminance(colour: Rgb): number {
  return (0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2]) / 255;
}

/** `#rrggbb` form of a colour. */
export function hexColour(colour: Rgb): string {
  return `#${colour.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}
