import { hexColour } from './colormap.js';
import {
  colourBarColour,
  type GateHeatmapOptions,
  gateHeatmapModel,
  type HeatmapModel,
} from './heatmap-model.js';

/** Renders the gate heat map as a standalone SVG document (cells carry a tooltip with their value). */
export function renderGateHeatmapSvg(values: ArrayLike<number>, options: GateHeatmapOptions = {}): string {
  const model: HeatmapModel = gateHeatmapModel(values, options);
  const bar = model.colourBar;
  const stops = Array.from({ length: 11 }, (_, i) => {
    const colour = colourBarColour(Math.round((i / 10) * (bar.width - 1)), bar.width);
    return `<stop offset="${i * 10}%" stop-color="${hexColour(colour)}"/>`;
  }).join('');
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${model.width}" height="${model.height}" viewBox="0 0 ${model.width} ${model.height}" font-family="monospace">`,
    `<defs><linearGradient id="gate-scale" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
    `<rect width="${model.width}" height="${model.height}" fill="#ffffff"/>`,
  ];
  for (const cell of model.cells) {
    const name = `${['Y', 'Cb', 'Cr'][cell.component]}(${cell.u},${cell.v})`;
    const tooltip = `channel ${cell.channel} ${name}: ${cell.value === null ? 'not gated' : cell.value.toFixed(4)}`;
    lines.push(
      `<rect class="cell" data-channel="${cell.channel}" x="${cell.x + 1}" y="${cell.y + 1}" width="${cell.size - 1}" height="${cell.size - 1}" fill="${hexColour(cell.fill)}"><title>${tooltip}</title></rect>`,
    );
    if (cell.label !== null) {
      const size = cell.label.scale * 5 + 2;
      lines.push(
        `<text x="${cell.x + cell.size / 2}" y="${cell.y + cell.size / 2}" font-size="${size}" text-anchor="middle" dominant-baseline="central" fill="${hexColour(cell.label.colour)}">${cell.label.text}</text>`,
      );
    }
  }
  lines.push(
    `<rect x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" fill="url(#gate-scale)"/>`,
  );
  for (const text of model.texts) {
    const size = text.scale * 5 + 2;
    lines.push(
      `<text x="${text.x}" y="${text.y + text.scale * 5}" font-size="${size}" fill="${hexColour(text.colour)}">${text.text}</text>`,
    );
  }
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}
