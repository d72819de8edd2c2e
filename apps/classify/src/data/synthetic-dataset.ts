import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, Random } from '@fdl/dct-core';
import jpeg from 'jpeg-js';

/**
 * A small labelled image set generated on the spot (no download), written as real JPEG files in an
 * ImageNet-style folder so the real loader decodes them. The class lives in frequency content: every
 * image is a random-coloured, randomly oriented and phased pattern plus noise, and only the spatial
 * frequency / structure tells the classes apart, which is what frequency-domain inputs should capture.
 */
export const SYNTHETIC_CLASSES = Object.freeze([
  'coarse-stripes', // one grating, period 24-32 px
  'fine-stripes', // one grating, period 4-6 px
  'checkerboard', // product of two orthogonal gratings, period 10-14 px
  'smooth-blobs', // sum of a few broad Gaussians: energy only at the lowest frequencies
  'speckle', // block noise of 2 px cells: broadband high frequency
  'rings', // concentric rings, period 8-12 px
  'mid-stripes', // one grating, period 10-14 px
  'cross-hatch', // sum of two orthogonal fine gratings, period 5-7 px
]);

export interface SyntheticDatasetOptions {
  classes: number;
  trainPerClass: number;
  valPerClass: number;
  /** Square image side in pixels. */
  size: number;
  seed: number;
  /** JPEG quality of the written files. */
  quality: number;
}

export const DEFAULT_SYNTHETIC_DATASET_OPTIONS: Readonly<SyntheticDatasetOptions> = Object.freeze({
  classes: 4,
  trainPerClass: 32,
  valPerClass: 12,
  size: 64,
  seed: 0,
  quality: 92,
});

export interface SyntheticDataset {
  root: string;
  classes: string[];
  /** Files per split. */
  counts: { train: number; val: number };
}

/** Writes `<root>/{train,val}/<class>/<index>.jpg`. */
export function writeSyntheticDataset(
  root: string,
  options: Partial<SyntheticDatasetOptions> = {},
): SyntheticDataset {
  const o = { ...DEFAULT_SYNTHETIC_DATASET_OPTIONS, ...options };
  if (!Number.isInteger(o.classes) || o.classes < 2 || o.classes > SYNTHETIC_CLASSES.length) {
    throw new ArgumentError(
      'writeSyntheticDataset',
      'options.classes',
      `must be an integer in 2..${SYNTHETIC_CLASSES.length}, got ${o.classes}`,
    );
  }
  if (!Number.isInteger(o.size) || o.size < 8) {
    throw new ArgumentError(
      'writeSyntheticDataset',
      'options.size',
      `must be an integer >= 8, got ${o.size}`,
    );
  }
  const random = new Random(o.seed);
  const classes = SYNTHETIC_CLASSES.slice(0, o.classes);
  for (const [split, perClass] of [
    ['train', o.trainPerClass],
    ['val', o.valPerClass],
  ] as const) {
    for (const [label, name] of classes.entries()) {
      const folder = join(root, split, name);
      mkdirSync(folder, { recursive: true });
      for (let i = 0; i < perClass; i++) {
        const rgba = renderSyntheticImage(label, o.size, random);
        const encoded = jpeg.encode({ data: rgba, width: o.size, height: o.size }, o.quality);
        writeFileSync(join(folder, `${String(i).padStart(4, '0')}.jpg`), encoded.data);
      }
    }
  }
  return { root, classes, counts: { train: o.trainPerClass * o.classes, val: o.valPerClass * o.classes } };
}

/** One RGBA image of class `label` (index into SYNTHETIC_CLASSES), values 0..255. */
export function renderSyntheticImage(label: number, size: number, random: Random): Uint8Array {
  const pattern = patternFunction(label, size, random);
  // two random colours, 60-120 levels apart in the same direction on every channel (so luma differs too);
  // the pattern (in [-1, 1]) blends between them
  const a = [random.next(), random.next(), random.next()].map((v) => 60 + 135 * v);
  const direction = (a[0] + a[1] + a[2]) / 3 > 127 ? -1 : 1;
  const b = a.map((v) => Math.max(0, Math.min(255, v + direction * (60 + 60 * random.next()))));
  const noise = 8;
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = (pattern(x, y) + 1) / 2;
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        const value = a[c] * (1 - t) + b[c] * t + noise * random.gaussian();
        out[o + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
      out[o + 3] = 255;
    }
  }
  return out;
}

type Pattern = (x: number, y: number) => number;

function grating(
  periodMin: number,
  periodMax: number,
  random: Random,
  angle = random.next() * Math.PI,
): Pattern {
  const period = periodMin + (periodMax - periodMin) * random.next();
  const phase = random.next() * 2 * Math.PI;
  const fx = (Math.cos(angle) * 2 * Math.PI) / period;
  const fy = (Math.sin(angle) * 2 * Math.PI) / period;
  return (x, y) => Math.sin(fx * x + fy * y + phase);
}

function patternFunction(label: number, size: number, random: Random): Pattern {
  switch (SYNTHETIC_CLASSES[label]) {
    case 'coarse-stripes':
      return grating(24, 32, random);
    case 'fine-stripes':
      return grating(4, 6, random);
    case 'mid-stripes':
      return grating(10, 14, random);
    case 'checkerboard': {
      const angle = random.next() * Math.PI;
      const g1 = grating(10, 14, random, angle);
      const g2 = grating(10, 14, random, angle + Math.PI / 2);
      return (x, y) => Math.sign(g1(x, y) * g2(x, y));
    }
    case 'cross-hatch': {
      const angle = random.next() * Math.PI;
      const g1 = grating(5, 7, random, angle);
      const g2 = grating(5, 7, random, angle + Math.PI / 2);
      return (x, y) => (g1(x, y) + g2(x, y)) / 2;
    }
    case 'rings': {
      const cx = size * random.next();
      const cy = size * random.next();
      const period = 8 + 4 * random.next();
      return (x, y) => Math.sin((2 * Math.PI * Math.hypot(x - cx, y - cy)) / period);
    }
    case 'smooth-blobs': {
      const blobs = Array.from({ length: 3 }, () => ({
        x: size * random.next(),
        y: size * random.next(),
        s: size * (0.2 + 0.2 * random.next()),
        w: random.next() < 0.5 ? -1 : 1,
      }));
      return (x, y) =>
        Math.max(
          -1,
          Math.min(
            1,
            blobs.reduce(
              (sum, b) => sum + b.w * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s ** 2)),
              0,
            ),
          ),
        );
    }
    case 'speckle': {
      const cells = Math.ceil(size / 2);
      const values = Float32Array.from({ length: cells * cells }, () => random.next() * 2 - 1);
      return (x, y) => values[Math.floor(y / 2) * cells + Math.floor(x / 2)];
    }
    default:
      throw new ArgumentError(
        'renderSyntheticImage',
        'label',
        `must be in 0..${SYNTHETIC_CLASSES.length - 1}, got ${label}`,
      );
  }
}
