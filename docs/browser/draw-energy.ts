import { COMPONENT_NAMES } from '@fdl/dct-core';

/** A few viridis stops (matplotlib's colormap), interpolated linearly. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];

function viridisColour(t: number): [number, number, number] {
  const position = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const low = Math.floor(position);
  const high = Math.min(VIRIDIS.length - 1, low + 1);
  const fraction = position - low;
  return [0, 1, 2].map((c) =>
    Math.round(VIRIDIS[low][c] + (VIRIDIS[high][c] - VIRIDIS[low][c]) * fraction),
  ) as [number, number, number];
}

export const CELL_SIZE = 36;
const GRID_GAP = 36;
const TOP = 34;

/**
 * Draws three 8x8 grids (Y, Cb, Cr; u down, v across) coloured by log10 energy on one shared scale, with
 * each cell's share of its component's energy in percent.
 */
export function drawEnergyGrids(canvas: HTMLCanvasElement, energy: readonly number[]): void {
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('drawEnergyGrids: the canvas has no 2d context');
  const gridSize = 8 * CELL_SIZE;
  canvas.width = 3 * gridSize + 2 * GRID_GAP + 2;
  canvas.height = TOP + gridSize + 40;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);

  const logs = energy.map((e) => Math.log10(e + 1e-6));
  const lowest = Math.min(...logs);
  const highest = Math.max(...logs);
  const span = highest - lowest || 1;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (let component = 0; component < 3; component++) {
    const left = 1 + component * (gridSize + GRID_GAP);
    context.fillStyle = '#1d1d1f';
    context.font = '600 16px system-ui, sans-serif';
    context.fillText(COMPONENT_NAMES[component], left + gridSize / 2, TOP / 2);
    let total = 0;
    for (let k = 0; k < 64; k++) total += energy[component * 64 + k];
    context.font = '11px system-ui, sans-serif';
    for (let u = 0; u < 8; u++) {
      for (let v = 0; v < 8; v++) {
        const channel = component * 64 + u * 8 + v;
        const [red, green, blue] = viridisColour((logs[channel] - lowest) / span);
        const x = left + v * CELL_SIZE;
        const y = TOP + u * CELL_SIZE;
        context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
        context.fillRect(x, y, CELL_SIZE, CELL_SIZE);
        const share = total > 0 ? (100 * energy[channel]) / total : 0;
        context.fillStyle = 0.299 * red + 0.587 * green + 0.114 * blue > 140 ? '#000000' : '#ffffff';
        context.fillText(
          share >= 9.95 ? share.toFixed(0) : share.toFixed(1),
          x + CELL_SIZE / 2,
          y + CELL_SIZE / 2,
        );
      }
    }
    context.strokeStyle = '#1d1d1f';
    context.strokeRect(left, TOP, gridSize, gridSize);
  }
  // Colour bar of the shared log scale.
  const barTop = TOP + gridSize + 12;
  const barWidth = canvas.width - 300;
  for (let x = 0; x < barWidth; x++) {
    const [red, green, blue] = viridisColour(x / (barWidth - 1));
    context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
    context.fillRect(110 + x, barTop, 1, 14);
  }
  context.fillStyle = '#1d1d1f';
  context.font = '12px system-ui, sans-serif';
  context.textAlign = 'right';
  context.fillText(`1e${lowest.toFixed(1)}`, 104, barTop + 7);
  context.textAlign = 'left';
  context.fillText(`1e${highest.toFixed(1)}  mean energy`, 116 + barWidth, barTop + 7);
}
