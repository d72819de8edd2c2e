import type { TrainSummary } from './train.js';

/** A plain-text table comparing runs: input size per image next to accuracy, as in the paper. */
export function comparisonTable(runs: readonly TrainSummary[]): string {
  const header = [
    'run',
    'input',
    'bytes/image',
    'vs first',
    'top-1',
    'top-5',
    'gate ch.',
    'train img/s',
    'val img/s',
  ];
  const base = runs[0]?.inputBytesPerImage ?? null;
  const rows = runs.map((r) => [
    r.name,
    r.mode,
    r.inputBytesPerImage === null ? '-' : r.inputBytesPerImage.toLocaleString('en-US'),
    r.inputBytesPerImage === null || base === null ? '-' : `${(r.inputBytesPerImage / base).toFixed(3)}x`,
    r.top1 === null ? '-' : `${(r.top1 * 100).toFixed(2)}%`,
    r.top5 === null ? '-' : `${(r.top5 * 100).toFixed(2)}%`,
    r.gateChannels === null ? '-' : r.gateChannels.toFixed(1),
    typeof r.trainImagesPerSecond === 'number' ? r.trainImagesPerSecond.toFixed(1) : '-',
    r.valImagesPerSecond === null ? '-' : r.valImagesPerSecond.toFixed(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
