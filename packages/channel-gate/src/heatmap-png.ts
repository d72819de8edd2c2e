import { PNG } from 'pngjs';
import { rasterizeText } from './bitmap-font.js';
import type { Rgb } from './colormap.js';
import { colourBarColour, type GateHeatmapOptions, gateHeatmapModel } from './heatmap-model.js';

/**
 * Renders the gate heat map as a PNG (RGBA, white background, digits from the built-in bitmap font).
 * `values`: 192 statistics (or one per `options.channelIndices`), e.g. `GateStatistics.frequencies()`.
 */
export function renderGateHeatmapPng(
  values: ArrayLike<number>,
  options: GateHeatmapOptions = {},
): Uint8Array {
  const model = gateHeatmapModel(values, options);
  const image = new PNG({ width: model.width, height: model.height, colorType: 6 });
  const data = image.data;
  data.fill(255);
  const plot = (x: number, y: number, colour: Rgb) => {
    if (x < 0 || y < 0 || x >= model.width || y >= model.height) return;
    const offset = (y * model.width + x) * 4;
    data[offset] = colour[0];
    data[offset + 1] = colour[1];
    data[offset + 2] = colour[2];
    data[offset + 3] = 255;
  };
  const bar = model.colourBar;
  for (let dx = 0; dx < bar.width; dx++) {
    const colour = colourBarColour(dx, bar.width);
    for (let dy = 0; dy < bar.height; dy++) plot(bar.x + dx, bar.y + dy, colour);
  }
  for (const cell of model.cells) {
    // A one-pixel white border separates the cells.
    for (let dy = 1; dy < cell.size; dy++) {
      for (let dx = 1; dx < cell.size; dx++) plot(cell.x + dx, cell.y + dy, cell.fill);
    }
    if (cell.label !== null) drawText(cell.label, plot);
  }
  for (const text of model.texts) drawText(text, plot);
  return PNG.sync.write(image);
}

function drawText(
  text: { text: string; x: number; y: number; scale: number; colour: Rgb },
  plot: (x: number, y: number, colour: Rgb) => void,
): void {
  rasterizeText(text.text, text.x, text.y, text.scale, (x, y) => plot(x, y, text.colour));
}
