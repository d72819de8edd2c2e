import { ArgumentError } from '@fdl/dct-core';
import { GLYPH_HEIGHT, textWidth } from './bitmap-font.js';
import { RasterImage, type Rgb } from './raster-image.js';

export interface ChartSeries {
  label: string;
  /** Points (x, y); non-finite y values are skipped (gaps). */
  points: ReadonlyArray<readonly [number, number]>;
  color?: Rgb;
}

export interface ChartPanel {
  title: string;
  xLabel: string;
  series: ChartSeries[];
}

export interface LineChartOptions {
  panelWidth: number;
  panelHeight: number;
  columns: number;
}

export const DEFAULT_LINE_CHART_OPTIONS: Readonly<LineChartOptions> = Object.freeze({
  panelWidth: 420,
  panelHeight: 300,
  columns: 2,
});

export const SERIES_COLORS: readonly Rgb[] = Object.freeze([
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
]);

const AXIS: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];
const MARGIN = { left: 62, right: 14, top: 28, bottom: 34 };

/** Renders panels of line series (training curves) into one PNG image. */
export function renderLineCharts(
  panels: readonly ChartPanel[],
  options: Partial<LineChartOptions> = {},
): RasterImage {
  const o = { ...DEFAULT_LINE_CHART_OPTIONS, ...options };
  if (panels.length === 0)
    throw new ArgumentError('renderLineCharts', 'panels', 'must hold at least one panel, got 0');
  const columns = Math.min(o.columns, panels.length);
  const rows = Math.ceil(panels.length / columns);
  const image = new RasterImage(columns * o.panelWidth, rows * o.panelHeight);
  panels.forEach((panel, index) => {
    drawPanel(image, panel, (index % columns) * o.panelWidth, Math.floor(index / columns) * o.panelHeight, o);
  });
  return image;
}

function drawPanel(
  image: RasterImage,
  panel: ChartPanel,
  left: number,
  top: number,
  o: LineChartOptions,
): void {
  const x0 = left + MARGIN.left;
  const x1 = left + o.panelWidth - MARGIN.right;
  const y0 = top + o.panelHeight - MARGIN.bottom;
  const y1 = top + MARGIN.top;
  image.text(left + (o.panelWidth - textWidth(panel.title)) / 2, top + 8, panel.title, AXIS);
  const points = panel.series.flatMap((s) =>
    s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  );
  const [xMin, xMax] = paddedRange(
    points.map((p) => p[0]),
    false,
  );
  const [yMin, yMax] = paddedRange(
    points.map((p) => p[1]),
    true,
  );
  const px = (x: number) => x0 + ((x - xMin) / (xMax - xMin)) * (x1 - x0);
  const py = (y: number) => y0 - ((y - yMin) / (yMax - yMin)) * (y0 - y1);
  for (let i = 0; i <= 4; i++) {
    const yValue = yMin + ((yMax - yMin) * i) / 4;
    const y = py(yValue);
    image.line(x0, y, x1, y, GRID);
    const label = formatTick(yValue);
    image.text(x0 - 6 - textWidth(label), y - GLYPH_HEIGHT / 2, label, AXIS);
    const xValue = xMin + ((xMax - xMin) * i) / 4;
    const xLabel = formatTick(xValue);
    image.text(px(xValue) - textWidth(xLabel) / 2, y0 + 6, xLabel, AXIS);
  }
  image.line(x0, y0, x1, y0, AXIS);
  image.line(x0, y0, x0, y1, AXIS);
  image.text(x1 - textWidth(panel.xLabel), y0 + 20, panel.xLabel, AXIS);
  panel.series.forEach((series, index) => {
    const color = series.color ?? SERIES_COLORS[index % SERIES_COLORS.length];
    let previous: readonly [number, number] | null = null;
    for (const point of series.points) {
      if (!Number.isFinite(point[1])) {
        previous = null;
        continue;
      }
      if (previous) image.line(px(previous[0]), py(previous[1]), px(point[0]), py(point[1]), color, 2);
      else image.fillRect(px(point[0]) - 1, py(point[1]) - 1, 3, 3, color);
      previous = point;
    }
    image.fillRect(x0 + 8, y1 + 4 + index * 11, 10, 3, color);
    image.text(x0 + 22, y1 + 2 + index * 11, series.label, color);
  });
}

function paddedRange(values: number[], pad: boolean): [number, number] {
  if (values.length === 0) return [0, 1];
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    const spread = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return [min - spread, max + spread];
  }
  if (pad) {
    const margin = (max - min) * 0.05;
    min -= margin;
    max += margin;
  }
  return [min, max];
}

/** Short tick labels: 3 significant digits, exponent form for tiny or huge values. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}
