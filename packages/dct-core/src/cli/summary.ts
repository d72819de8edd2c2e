import type { DctCube } from '../cube.js';
import { channelFrequency, channelName } from '../layout.js';

/** Per-channel mean, std, min, max and mean square (energy) of a cube. */
export interface ChannelSummary {
  channel: number;
  name: string;
  mean: number;
  std: number;
  min: number;
  max: number;
  energy: number;
}

export function summarizeCube(cube: DctCube): ChannelSummary[] {
  const cells = cube.height * cube.width;
  return Array.from(cube.channelIndices, (channel, i) => {
    let sum = 0;
    let squares = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let cell = 0; cell < cells; cell++) {
      const value = cube.data[cell * cube.channels + i];
      sum += value;
      squares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const mean = cells > 0 ? sum / cells : 0;
    const energy = cells > 0 ? squares / cells : 0;
    return {
      channel,
      name: channelName(channel),
      mean,
      std: Math.sqrt(Math.max(0, energy - mean * mean)),
      min,
      max,
      energy,
    };
  });
}

const pad = (text: string, width: number) => text.padStart(width);
const number = (value: number) =>
  Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-2 && value !== 0)
    ? value.toExponential(2)
    : value.toFixed(3);

/** A fixed-width table of channel summaries. */
export function formatSummaryTable(rows: readonly ChannelSummary[]): string[] {
  const header = `${pad('channel', 7)} ${pad('name', 8)} ${pad('mean', 10)} ${pad('std', 10)} ${pad('min', 10)} ${pad('max', 10)}`;
  return [
    header,
    ...rows.map(
      (row) =>
        `${pad(String(row.channel), 7)} ${pad(row.name, 8)} ${pad(number(row.mean), 10)} ${pad(number(row.std), 10)} ${pad(number(row.min), 10)} ${pad(number(row.max), 10)}`,
    ),
  ];
}

/** Three 8x8 grids (Y, Cb, Cr; rows u, columns v) of per-channel energy; '.' where not selected. */
export function formatEnergyGrids(rows: readonly ChannelSummary[]): string[] {
  const byChannel = new Map(rows.map((row) => [row.channel, row.energy]));
  const total = rows.reduce((sum, row) => sum + row.energy, 0);
  const lines = [
    `per-channel energy (mean square of the coefficient), % of the total ${total.toExponential(3)}:`,
  ];
  for (const [component, label] of ['Y', 'Cb', 'Cr'].entries()) {
    if (!rows.some((row) => channelFrequency(row.channel).component === component)) continue;
    lines.push(`${label}:${' '.repeat(6)}${Array.from({ length: 8 }, (_, v) => pad(`v=${v}`, 8)).join('')}`);
    for (let u = 0; u < 8; u++) {
      const cells = Array.from({ length: 8 }, (_, v) => {
        const energy = byChannel.get(component * 64 + u * 8 + v);
        return pad(
          energy === undefined
            ? '.'
            : ((100 * energy) / (total || 1)).toFixed(energy / (total || 1) < 0.001 ? 4 : 2),
          8,
        );
      });
      lines.push(`  u=${u}    ${cells.join('')}`);
    }
  }
  return lines;
}
