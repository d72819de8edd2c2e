import { ArgumentError } from '@fdl/dct-core';
import { GLYPH_HEIGHT, textWidth } from './bitmap-font.js';
import { RasterImage, type Rgb } from './raster-image.js';

export interface ConfusionMatrixImageOptions {
  /** Cell size in pixels. */
  cell: number;
  /** Longest class name drawn (longer names are cut). */
  maxLabelCharacters: number;
}

export const DEFAULT_CONFUSION_MATRIX_IMAGE_OPTIONS: Readonly<ConfusionMatrixImageOptions> = Object.freeze({
  cell: 44,
  maxLabelCharacters: 14,
});

/**
 * The confusion matrix as a heat map: rows are true classes, columns predictions, each cell shaded by the
 * row-normalized fraction (white 0 -> dark blue 1) and labelled with its count.
 */
export function renderConfusionMatrix(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
  options: Partial<ConfusionMatrixImageOptions> = {},
): RasterImage {
  const o = { ...DEFAULT_CONFUSION_MATRIX_IMAGE_OPTIONS, ...options };
  const k = classes.length;
  if (k === 0 || confusion.length !== k || confusion.some((row) => row.length !== k)) {
    throw new ArgumentError(
      'renderConfusionMatrix',
      'confusion',
      `must be ${k} x ${k} for ${k} classes, got ${confusion.length} x ${confusion[0]?.length ?? 0}`,
    );
  }
  const labels = classes.map((c) => c.slice(0, o.maxLabelCharacters));
  const left = Math.max(...labels.map((l) => textWidth(l))) + 16;
  const top = 40;
  const image = new RasterImage(left + k * o.cell + 10, top + k * o.cell + 30);
  image.text(left, 8, 'PREDICTED', [40, 40, 40]);
  image.text(4, 8, 'TRUE', [40, 40, 40]);
  for (let i = 0; i < k; i++) {
    const rowTotal = confusion[i].reduce((a, b) => a + b, 0);
    image.text(6, top + i * o.cell + (o.cell - GLYPH_HEIGHT) / 2, labels[i], [40, 40, 40]);
    image.text(
      left + i * o.cell + 2,
      top + k * o.cell + 8,
      labels[i].slice(0, Math.floor(o.cell / 6)),
      [40, 40, 40],
    );
    for (let j = 0; j < k; j++) {
      const fraction = rowTotal === 0 ? 0 : confusion[i][j] / rowTotal;
      const color = shade(fraction);
      image.fillRect(left + j * o.cell, top + i * o.cell, o.cell - 1, o.cell - 1, color);
      const text = String(confusion[i][j]);
      const ink: Rgb = fraction > 0.5 ? [255, 255, 255] : [20, 20, 20];
      image.text(
        left + j * o.cell + (o.cell - textWidth(text)) / 2,
        top + i * o.cell + (o.cell - GLYPH_HEIGHT) / 2,
        text,
        ink,
      );
    }
  }
  return image;
}

/** White (0) to dark blue (1). */
export function shade(fraction: number): Rgb {
  const t = Math.min(1, Math.max(0, fraction));
  return [
    Math.round(255 - t * (255 - 8)),
    Math.round(255 - t * (255 - 48)),
    Math.round(255 - t * (255 - 107)),
  ];
}
