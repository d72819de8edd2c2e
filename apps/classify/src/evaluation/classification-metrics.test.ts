import { describe, expect, it } from 'vitest';
import { ClassificationMetrics, confusionMatrixCsv, perClassCsv } from './classification-metrics.js';

describe('ClassificationMetrics', () => {
  it('counts top-1, top-k, per-class accuracy and the confusion matrix by hand', () => {
    const metrics = new ClassificationMetrics(3);
    // sample 0: true 0, predicted 0; sample 1: true 1, predicted 2 (label second); sample 2: true 2, predicted 2
    metrics.add([5, 1, 0, 0, 1, 2, 0, 0, 3], [0, 1, 2], 1.5);
    // sample 3: true 1, label last -> top-1 miss; top-k with k = 3 still a hit
    metrics.add([3, 1, 2], [1], 0.5);
    const s = metrics.summary();
    expect(s.count).toBe(4);
    expect(s.top1).toBe(0.5);
    expect(s.top5).toBe(1);
    expect(s.perClassAccuracy).toEqual([1, 0, 1]);
    expect(s.confusion).toEqual([
      [1, 0, 0],
      [1, 0, 1],
      [0, 0, 1],
    ]);
    expect(s.meanLoss).toBeCloseTo((1.5 * 3 + 0.5) / 4, 12);
  });

  it('top-5 of 10 classes misses when 5 logits beat the label', () => {
    const metrics = new ClassificationMetrics(10);
    const logits = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    metrics.add(logits, [4]);
    metrics.add(logits, [5]);
    expect(metrics.summary().top5).toBe(0.5);
  });

  it('reports nulls for an empty class and zeros with no samples', () => {
    const metrics = new ClassificationMetrics(2);
    expect(metrics.summary()).toMatchObject({
      count: 0,
      top1: 0,
      perClassAccuracy: [null, null],
      meanLoss: null,
    });
  });

  it('rejects wrong sizes and labels with messages', () => {
    const metrics = new ClassificationMetrics(2);
    expect(() => metrics.add([1, 2, 3], [0, 1])).toThrow(
      "ClassificationMetrics.add: argument 'logits' must hold batch * numClasses = 2 * 2 values, got 3",
    );
    expect(() => metrics.add([1, 2], [2])).toThrow("argument 'labels' [0] must be in [0, 2), got 2");
  });
});

describe('confusionMatrixCsv', () => {
  it('writes a header and one row per true class, quoting names', () => {
    expect(
      confusionMatrixCsv(
        [
          [3, 1],
          [0, 4],
        ],
        ['ants', 'bees, honey'],
      ),
    ).toBe('true\\predicted,ants,"bees, honey"\nants,3,1\n"bees, honey",0,4\n');
  });
});

describe('perClassCsv', () => {
  it('writes counts and accuracies, empty for a class without samples', () => {
    const csv = perClassCsv(
      {
        confusion: [
          [3, 1],
          [0, 0],
        ],
        perClassAccuracy: [0.75, null],
      },
      ['a,b', 'c'],
    );
    expect(csv).toBe('class,count,accuracy\n"a,b",4,0.75\nc,0,\n');
  });
});
