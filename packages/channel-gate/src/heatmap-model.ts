import { ArgumentError, COMPONENT_NAMES, channelFrequency, FULL_CHANNEL_COUNT } from '@fdl/dct-core';
import { GLYPH_HEIGHT, textWidth } from './bitmap-font.js';
import { luminance, type Rgb, viridis } from './colormap.js';
import { resolveChannels } from './selection.js';
import { requireInteger } from './validate.js';

/** Options of the gate heat map (paper Fig. 5 style: three 8x8 grids for Y, Cb, Cr). */
export interface GateHeatmapOptions {
  /** Side of one frequency cell in pixels (>= 16 so a three-digit index fits). */
  cellSize?: number;
  /** 192-layout channel of each value when the gate saw a subset; other cells are drawn grey. */
  channelIndices?: readonly number[];
  /** Value mapped to the two ends of the colour scale. */
  range?: readonly [number, number];
  /** Write the channel index in each cell. */
  showIndices?: boolean;
}

/** Defaults of {@link GateHeatmapOptions}. */
export const GATE_HEATMAP_DEFAULTS = Object.freeze({
  cellSize: 32,
  range: Object.freeze([0, 1]) as readonly [number, number],
  showIndices: true,
});

/** Colour of cells whose channel the gate did not see. */
export const MISSING_CELL_COLOUR: Rgb = [0xd9, 0xd9, 0xd9];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** One text run of the heat map, drawn with the bitmap font (PNG) or as SVG text. */
export interface HeatmapText {
  text: string;
  /** Top-left corner of the bitmap text and its scale (font pixel size). */
  x: number;
  y: number;
  scale: number;
  colour: Rgb;
}

/** One frequency cell. */
export interface HeatmapCell {
  channel: number;
  component: number;
  u: number;
  v: number;
  x: number;
  y: number;
  size: number;
  /** The statistic, or null when the gate did not see this channel. */
  value: number | null;
  fill: Rgb;
  label: HeatmapText | null;
}

/** Everything both renderers draw, in pixels (origin top-left). */
export interface HeatmapModel {
  width: number;
  height: number;
  cells: HeatmapCell[];
  texts: HeatmapText[];
  colourBar: { x: number; y: number; width: number; height: number; range: readonly [number, number] };
}

/**
 * Lays out the heat map of per-channel statistics (typically `GateStatistics.frequencies()`): Y, Cb and
 * Cr 8x8 grids side by side, u (vertical frequency) down and v (horizontal) across, a title over each,
 * and a viridis colour bar below with its end values.
 */
export function gateHeatmapModel(values: ArrayLike<number>, options: GateHeatmapOptions = {}): HeatmapModel {
  const cellSize = options.cellSize ?? GATE_HEATMAP_DEFAULTS.cellSize;
  requireInteger('gateHeatmapModel', 'options.cellSize', cellSize, 16, 512);
  const range = options.range ?? GATE_HEATMAP_DEFAULTS.range;
  if (!(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[1] > range[0])) {
    throw new ArgumentError(
      'gateHeatmapModel',
      'options.range',
      `must be [low, high] with low < high, got [${range}]`,
    );
  }
  const channels = resolveChannels('gateHeatmapModel', values, options.channelIndices);
  const byChannel = new Array<number | null>(FULL_CHANNEL_COUNT).fill(null);
  channels.forEach((channel, i) => {
    const value = values[i];
    if (!Number.isFinite(value)) {
      throw new ArgumentError('gateHeatmapModel', 'values', `must be finite, got ${value} at index ${i}`);
    }
    byChannel[channel] = value;
  });
  const margin = Math.round(cellSize / 2);
  const gap = Math.round(cellSize / 2);
  const titleScale = Math.max(2, Math.round(cellSize / 10));
  const labelScale = Math.max(1, Math.floor((cellSize - 4) / 11));
  const titleHeight = GLYPH_HEIGHT * titleScale + Math.round(cellSize / 4);
  const gridSide = 8 * cellSize;
  const width = 2 * margin + 3 * gridSide + 2 * gap;
  const gridTop = margin + titleHeight;
  const barTop = gridTop + gridSide + gap;
  const barHeight = Math.round(cellSize / 2);
  const barLabelTop = barTop + barHeight + Math.round(cellSize / 8);
  const height = barLabelTop + GLYPH_HEIGHT * labelScale + margin;
  const cells: HeatmapCell[] = [];
  const texts: HeatmapText[] = [];
  for (let component = 0; component < 3; component++) {
    const gridLeft = margin + component * (gridSide + gap);
    const title = COMPONENT_NAMES[component];
    texts.push({
      text: title,
      x: gridLeft + Math.round((gridSide - textWidth(title, titleScale)) / 2),
      y: margin,
      scale: titleScale,
      colour: BLACK,
    });
    for (let frequency = 0; frequency < 64; frequency++) {
      const channel = component * 64 + frequency;
      const { u, v } = channelFrequency(channel);
      const value = byChannel[channel];
      const fill =
        value === null ? MISSING_CELL_COLOUR : viridis(clamp01((value - range[0]) / (range[1] - range[0])));
      const x = gridLeft + v * cellSize;
      const y = gridTop + u * cellSize;
      const text = String(channel);
      const label =
        (options.showIndices ?? GATE_HEATMAP_DEFAULTS.showIndices)
          ? {
              text,
              x: x + Math.floor((cellSize - textWidth(text, labelScale)) / 2),
              y: y + Math.floor((cellSize - GLYPH_HEIGHT * labelScale) / 2),
              scale: labelScale,
              colour: luminance(fill) < 0.5 ? WHITE : BLACK,
            }
          : null;
      cells.push({ channel, component, u, v, x, y, size: cellSize, value, fill, label });
    }
  }
  const barWidth = 3 * gridSide + 2 * gap;
  const lowText = formatValue(range[0]);
  const highText = formatValue(range[1]);
  texts.push(
    { text: lowText, x: margin, y: barLabelTop, scale: labelScale, colour: BLACK },
    {
      text: highText,
      x: margin + barWidth - textWidth(highText, labelScale),
      y: barLabelTop,
      scale: labelScale,
      colour: BLACK,
    },
  );
  return {
    width,
    height,
    cells,
    texts,
    colourBar: { x: margin, y: barTop, width: barWidth, height: barHeight, range },
  };
}

/** Colour of the bar at horizontal offset `offset` of `width` pixels. */
export function colourBarColour(offset: number, width: number): Rgb {
  return viridis(width <= 1 ? 0 : clamp01(offset / (width - 1)));
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}
