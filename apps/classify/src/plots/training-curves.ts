import type { LogRecord } from '../training/metrics-log.js';
import type { ChartPanel, ChartSeries } from './line-chart.js';
import { renderLineCharts } from './line-chart.js';

/** Points (x, record[key]) for records that have a numeric value. */
function seriesOf(records: readonly LogRecord[], xKey: string, yKey: string, label: string): ChartSeries {
  return {
    label,
    points: records
      .filter((r) => typeof r[xKey] === 'number' && typeof r[yKey] === 'number')
      .map((r) => [r[xKey] as number, r[yKey] as number] as const),
  };
}

/**
 * The training curves PNG: loss (train and val), top-1 (train, val, val EMA), the learning rate per
 * step and, for gated runs, the mean number of active gate channels.
 */
export function renderTrainingCurves(epochs: readonly LogRecord[], steps: readonly LogRecord[]): Buffer {
  const panels: ChartPanel[] = [
    {
      title: 'loss',
      xLabel: 'epoch',
      series: [
        seriesOf(epochs, 'epoch', 'train_loss', 'train'),
        seriesOf(epochs, 'epoch', 'val_loss', 'val'),
      ],
    },
    {
      title: 'top-1 accuracy',
      xLabel: 'epoch',
      series: [
        seriesOf(epochs, 'epoch', 'train_top1', 'train'),
        seriesOf(epochs, 'epoch', 'val_top1', 'val'),
        ...(epochs.some((r) => typeof r.val_top1_ema === 'number')
          ? [seriesOf(epochs, 'epoch', 'val_top1_ema', 'val ema')]
          : []),
      ],
    },
    { title: 'learning rate', xLabel: 'step', series: [seriesOf(steps, 'step', 'lr', 'lr')] },
  ];
  if (steps.some((r) => typeof r.gate_channels === 'number')) {
    panels.push({
      title: 'active gate channels',
      xLabel: 'step',
      series: [
        seriesOf(steps, 'step', 'gate_channels', 'train'),
        seriesOf(epochs, 'step', 'val_gate_channels', 'val'),
      ],
    });
  }
  return renderLineCharts(panels).toPng();
}
