import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { textWidth } from './bitmap-font.js';
import { formatTick, renderLineCharts, SERIES_COLORS } from './line-chart.js';
import { RasterImage } from './raster-image.js';

describe('RasterImage', () => {
  it('draws lines and text pixels and encodes a decodable PNG', () => {
    const image = new RasterImage(20, 10);
    image.line(0, 0, 19, 0, [255, 0, 0]);
    expect(image.getPixel(0, 0)).toEqual([255, 0, 0]);
    expect(image.getPixel(19, 0)).toEqual([255, 0, 0]);
    expect(image.getPixel(5, 5)).toEqual([255, 255, 255]);
    image.text(0, 2, '1', [0, 0, 0]);
    // glyph '1' row 0 is 0b00100: only column 2 set
    expect(image.getPixel(2, 2)).toEqual([0, 0, 0]);
    expect(image.getPixel(1, 2)).toEqual([255, 255, 255]);
    const decoded = PNG.sync.read(image.toPng());
    expect([decoded.width, decoded.height]).toEqual([20, 10]);
    expect(Array.from(decoded.data.subarray(0, 4))).toEqual([255, 0, 0, 255]);
  });

  it('clips drawing outside the image', () => {
    const image = new RasterImage(2, 2);
    image.line(-5, -5, 10, 10, [0, 0, 0]);
    expect(image.getPixel(1, 1)).toEqual([0, 0, 0]);
  });
});

describe('renderLineCharts', () => {
  it('lays panels out in a grid and draws each series in its color', () => {
    const image = renderLineCharts(
      [
        {
          title: 'train loss',
          xLabel: 'epoch',
          series: [
            {
              label: 'rgb',
              points: [
                [1, 2],
                [2, 1],
                [3, 0.5],
              ],
            },
          ],
        },
        { title: 'lr', xLabel: 'step', series: [{ label: 'lr', points: [[0, 0.1]] }] },
        { title: 'top-1', xLabel: 'epoch', series: [{ label: 'val', points: [] }] },
      ],
      { panelWidth: 200, panelHeight: 150, columns: 2 },
    );
    expect([image.width, image.height]).toEqual([400, 300]);
    let colored = 0;
    for (let y = 0; y < 150; y++) {
      for (let x = 0; x < 200; x++) {
        const [r, g, b] = image.getPixel(x, y);
        if (r === SERIES_COLORS[0][0] && g === SERIES_COLORS[0][1] && b === SERIES_COLORS[0][2]) colored++;
      }
    }
    expect(colored).toBeGreaterThan(100);
  });

  it('rejects an empty panel list', () => {
    expect(() => renderLineCharts([])).toThrow(
      "renderLineCharts: argument 'panels' must hold at least one panel, got 0",
    );
  });
});

describe('formatTick / textWidth', () => {
  it('formats ticks to three significant digits or exponent form', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.123456)).toBe('0.123');
    expect(formatTick(12.5)).toBe('12.5');
    expect(formatTick(0.0001)).toBe('1.0e-4');
    expect(textWidth('ab')).toBe(11);
    expect(textWidth('')).toBe(0);
  });
});
