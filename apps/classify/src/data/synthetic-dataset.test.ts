import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@fdl/dct-core';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { renderSyntheticImage, SYNTHETIC_CLASSES, writeSyntheticDataset } from './synthetic-dataset.js';

/** Mean absolute difference between horizontally and vertically adjacent luma samples: a high-frequency measure. */
function roughness(rgba: Uint8Array, size: number): number {
  const luma = (i: number) => 0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2];
  let sum = 0;
  for (let y = 0; y < size - 1; y++) {
    for (let x = 0; x < size - 1; x++) {
      const i = y * size + x;
      sum += Math.abs(luma(i) - luma(i + 1)) + Math.abs(luma(i) - luma(i + size));
    }
  }
  return sum / ((size - 1) * (size - 1) * 2);
}

describe('writeSyntheticDataset', () => {
  it('writes decodable JPEGs in an ImageNet-style tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'fdl-synth-'));
    const dataset = writeSyntheticDataset(root, { classes: 3, trainPerClass: 2, valPerClass: 1, size: 32 });
    expect(dataset.classes).toEqual(['coarse-stripes', 'fine-stripes', 'checkerboard']);
    expect(dataset.counts).toEqual({ train: 6, val: 3 });
    expect(readdirSync(join(root, 'train')).sort()).toEqual([
      'checkerboard',
      'coarse-stripes',
      'fine-stripes',
    ]);
    expect(readdirSync(join(root, 'val', 'fine-stripes'))).toEqual(['0000.jpg']);
    const decoded = jpeg.decode(readFileSync(join(root, 'train', 'fine-stripes', '0001.jpg')));
    expect([decoded.width, decoded.height]).toEqual([32, 32]);
  });

  it('is deterministic per seed', () => {
    const a = renderSyntheticImage(2, 16, new Random(5));
    const b = renderSyntheticImage(2, 16, new Random(5));
    const c = renderSyntheticImage(2, 16, new Random(6));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('puts the class in frequency content: fine stripes are far rougher than coarse stripes and blobs', () => {
    const random = new Random(1);
    const mean = (label: number) => {
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += roughness(renderSyntheticImage(label, 48, random), 48);
      return sum / 8;
    };
    const coarse = mean(SYNTHETIC_CLASSES.indexOf('coarse-stripes'));
    const fine = mean(SYNTHETIC_CLASSES.indexOf('fine-stripes'));
    const blobs = mean(SYNTHETIC_CLASSES.indexOf('smooth-blobs'));
    expect(fine).toBeGreaterThan(2 * coarse);
    expect(fine).toBeGreaterThan(2 * blobs);
  });

  it('rejects an unsupported class count', () => {
    expect(() => writeSyntheticDataset('/nonexistent', { classes: 1 })).toThrow(
      "writeSyntheticDataset: argument 'options.classes' must be an integer in 2..8, got 1",
    );
  });
});
