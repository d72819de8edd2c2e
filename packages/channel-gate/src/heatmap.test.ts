import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { GLYPH_HEIGHT, inkCount, rasterizeText, textWidth } from './bitmap-font.js';
import { hexColour, luminance, viridis } from './colormap.js';
import { gateHeatmapModel, MISSING_CELL_COLOUR } from './heatmap-model.js';
import { renderGateHeatmapPng } from './heatmap-png.js';
import { renderGateHeatmapSvg } from './heatmap-svg.js';

const ramp = Array.from({ length: 192 }, (_, channel) => channel / 191);

function decode(bytes: Uint8Array) {
  const image = PNG.sync.read(Buffer.from(bytes));
  const pixel = (x: number, y: number) =>
    Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3));
  return { image, pixel };
}

describe('viridis and the bitmap font', () => {
  it('maps the ends and the middle of the scale to the viridis anchors', () => {
    expect(viridis(0)).toEqual([0x44, 0x01, 0x54]);
    expect(viridis(1)).toEqual([0xfd, 0xe7, 0x25]);
    // Halfway between the 5th and 6th of ten anchors.
    expect(viridis(0.5)).toEqual([
      Math.round((0x26 + 0x1f) / 2),
      Math.round((0x82 + 0x9e) / 2),
      Math.round((0x8e + 0x89) / 2),
    ]);
    expect(hexColour([255, 0, 16])).toBe('#ff0010');
    expect(luminance([255, 255, 255])).toBeCloseTo(1, 12);
    expect(() => viridis(1.5)).toThrow("viridis: argument 't' must be a number in [0, 1], got 1.5");
  });

  it('draws exactly the glyph pixels, scaled', () => {
    const ink = new Set<string>();
    rasterizeText('1', 10, 20, 2, (x, y) => ink.add(`${x},${y}`));
    // '1' = .#. / ##. / .#. / .#. / ### -> 8 font pixels, 32 device pixels at scale 2.
    expect(ink.size).toBe(32);
    expect(inkCount('1')).toBe(8);
    expect(ink.has('12,20') && ink.has('13,21') && ink.has('10,22')).toBe(true);
    expect(ink.has('10,20')).toBe(false);
    expect(textWidth('191', 2)).toBe(22);
    expect(textWidth('', 2)).toBe(0);
  });
});

describe('gateHeatmapModel', () => {
  it('places channel = component * 64 + u * 8 + v at row u, column v of its component grid', () => {
    const model = gateHeatmapModel(ramp, { cellSize: 20 });
    expect(model.cells.length).toBe(192);
    const cell = model.cells[64 + 3 * 8 + 5]; // Cb, u = 3 (row), v = 5 (column)
    expect([cell.component, cell.u, cell.v]).toEqual([1, 3, 5]);
    const y0 = model.cells[0];
    expect(cell.x - y0.x).toBe(8 * 20 + 10 + 5 * 20); // one grid and one gap to the right, then 5 columns
    expect(cell.y - y0.y).toBe(3 * 20);
    expect(model.width).toBe(2 * 10 + 3 * 160 + 2 * 10);
    expect(model.texts.slice(0, 3).map((text) => text.text)).toEqual(['Y', 'Cb', 'Cr']);
    expect(model.cells[191].fill).toEqual(viridis(1));
    expect(model.cells[0].fill).toEqual(viridis(0));
    expect(model.cells[0].label?.colour).toEqual([255, 255, 255]);
    expect(model.cells[191].label?.colour).toEqual([0, 0, 0]);
  });

  it('greys out channels the gate did not see and honours a custom range', () => {
    const model = gateHeatmapModel([2, 4], { channelIndices: [0, 130], range: [2, 4], showIndices: false });
    expect(model.cells[0].fill).toEqual(viridis(0));
    expect(model.cells[130].fill).toEqual(viridis(1));
    expect(model.cells[1].fill).toEqual(MISSING_CELL_COLOUR);
    expect(model.cells[1].value).toBeNull();
    expect(model.cells[0].label).toBeNull();
    expect(model.texts.slice(3).map((text) => text.text)).toEqual(['2', '4']);
  });

  it('names argument and value in its errors', () => {
    expect(() => gateHeatmapModel([0.5])).toThrow(
      "gateHeatmapModel: argument 'frequencies' must hold 192 values (or pass options.channelIndices for a subset), got 1",
    );
    expect(() => gateHeatmapModel(ramp, { cellSize: 8 })).toThrow(
      "gateHeatmapModel: argument 'options.cellSize' must be an integer in [16, 512], got 8",
    );
    expect(() => gateHeatmapModel(ramp, { range: [1, 1] })).toThrow(
      "gateHeatmapModel: argument 'options.range' must be [low, high] with low < high, got [1,1]",
    );
    const broken = [...ramp];
    broken[3] = Number.NaN;
    expect(() => gateHeatmapModel(broken)).toThrow(
      "gateHeatmapModel: argument 'values' must be finite, got NaN at index 3",
    );
  });
});

describe('renderGateHeatmapPng', () => {
  it('paints every cell with its scale colour and writes the channel index in the bitmap font', () => {
    const model = gateHeatmapModel(ramp);
    const { image, pixel } = decode(renderGateHeatmapPng(ramp));
    expect([image.width, image.height]).toEqual([model.width, model.height]);
    for (const cell of model.cells) {
      // Corner pixel inside the one-pixel border, away from the centred label.
      expect(pixel(cell.x + 2, cell.y + 2)).toEqual([...cell.fill]);
      expect(pixel(cell.x, cell.y)).toEqual([255, 255, 255]);
    }
    // Count label-coloured pixels in one cell: exactly the glyph ink of its index.
    const cell = model.cells[100];
    const label = cell.label!;
    let ink = 0;
    for (let y = cell.y + 1; y < cell.y + cell.size; y++) {
      for (let x = cell.x + 1; x < cell.x + cell.size; x++) {
        if (pixel(x, y).join() === label.colour.join()) ink++;
      }
    }
    expect(ink).toBe(inkCount('100') * label.scale * label.scale);
    expect(label.y + GLYPH_HEIGHT * label.scale).toBeLessThanOrEqual(cell.y + cell.size);
    // The colour bar runs from viridis(0) on the left to viridis(1) on the right.
    const bar = model.colourBar;
    expect(pixel(bar.x, bar.y)).toEqual([...viridis(0)]);
    expect(pixel(bar.x + bar.width - 1, bar.y + bar.height - 1)).toEqual([...viridis(1)]);
  });
});

describe('renderGateHeatmapSvg', () => {
  it('writes 192 coloured cells with their index, value tooltip and a colour bar', () => {
    const svg = renderGateHeatmapSvg(ramp);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const cells = [...svg.matchAll(/<rect class="cell" data-channel="(\d+)"[^>]* fill="(#[0-9a-f]{6})">/g)];
    expect(cells.length).toBe(192);
    for (const [, channel, fill] of cells) expect(fill).toBe(hexColour(viridis(Number(channel) / 191)));
    expect(svg).toContain('<title>channel 73 Cb(1,1): 0.3822</title>');
    expect(svg).toContain('>191</text>');
    expect(svg).toContain('fill="url(#gate-scale)"');
    expect(svg).toContain(`stop-color="${hexColour(viridis(1))}"`);
  });
});
