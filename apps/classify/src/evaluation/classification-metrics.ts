import { ArgumentError } from '@fdl/dct-core';

export interface ClassificationSummary {
  count: number;
  /** Fraction in [0, 1]. */
  top1: number;
  /** Top-k accuracy with k = min(5, numClasses). */
  top5: number;
  /** Per class: correct / count, or null for a class with no samples. */
  perClassAccuracy: (number | null)[];
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  meanLoss: number | null;
}

/**
 * Accumulates top-1/top-5 hits and the confusion matrix over batches of logits. A sample is a top-k hit
 * when fewer than k logits are strictly greater than the true class's logit (ties count in its favour);
 * the top-1 prediction for the confusion matrix is the first maximum.
 */
export class ClassificationMetrics {
  readonly numClasses: number;
  private readonly confusion: number[][];
  private top1Hits = 0;
  private top5Hits = 0;
  private samples = 0;
  private lossSum = 0;
  private lossCount = 0;

  constructor(numClasses: number) {
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new ArgumentError(
        'ClassificationMetrics',
        'numClasses',
        `must be a positive integer, got ${numClasses}`,
      );
    }
    this.numClasses = numClasses;
    this.confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  }

  /**
   * @param logits [batch * numClasses] row-major
   * @param labels [batch]
   * @param meanLoss optional mean loss of this batch, weighted by its size
   */
  add(logits: ArrayLike<number>, labels: ArrayLike<number>, meanLoss?: number): void {
    const k = this.numClasses;
    const batch = labels.length;
    if (logits.length !== batch * k) {
      throw new ArgumentError(
        'ClassificationMetrics.add',
        'logits',
        `must hold batch * numClasses = ${batch} * ${k} values, got ${logits.length}`,
      );
    }
    const topK = Math.min(5, k);
    for (let i = 0; i < batch; i++) {
      const label = labels[i];
      if (!Number.isInteger(label) || label < 0 || label >= k) {
        throw new ArgumentError(
          'ClassificationMetrics.add',
          'labels',
          `[${i}] must be in [0, ${k}), got ${label}`,
        );
      }
      const row = i * k;
      let predicted = 0;
      let greater = 0;
      const target = logits[row + label];
      for (let c = 0; c < k; c++) {
        const value = logits[row + c];
        if (value > logits[row + predicted]) predicted = c;
        if (value > target) greater++;
      }
      this.confusion[label][predicted] += 1;
      if (predicted === label) this.top1Hits++;
      if (greater < topK) this.top5Hits++;
    }
    this.samples += batch;
    if (meanLoss !== undefined) {
      this.lossSum += meanLoss * batch;
      this.lossCount += batch;
    }
  }

  summary(): ClassificationSummary {
    const n = this.samples;
    return {
      count: n,
      top1: n === 0 ? 0 : this.top1Hits / n,
      top5: n === 0 ? 0 : this.top5Hits / n,
      perClassAccuracy: this.confusion.map((row, c) => {
        const total = row.reduce((a, b) => a + b, 0);
        return total === 0 ? null : row[c] / total;
      }),
      confusion: this.confusion.map((row) => [...row]),
      meanLoss: this.lossCount === 0 ? null : this.lossSum / this.lossCount,
    };
  }
}

/** A CSV cell: quoted when it holds a comma, a quote or a newline. */
export function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Per-class accuracy as CSV: `class,count,accuracy` (accuracy empty for a class without samples). */
export function perClassCsv(
  summary: Pick<ClassificationSummary, 'confusion' | 'perClassAccuracy'>,
  classes: readonly string[],
): string {
  const rows = classes.map(
    (name, i) =>
      `${csvCell(name)},${summary.confusion[i].reduce((a, b) => a + b, 0)},${summary.perClassAccuracy[i] ?? ''}`,
  );
  return `class,count,accuracy\n${rows.join('\n')}\n`;
}

/** The confusion matrix as CSV: header `true\predicted,<classes>`, one row per true class. */
export function confusionMatrixCsv(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
): string {
  const quote = csvCell;
  const lines = [['true\\predicted', ...classes].map(quote).join(',')];
  for (const [i, row] of confusion.entries()) lines.push([quote(classes[i]), ...row.map(String)].join(','));
  return `${lines.join('\n')}\n`;
}
