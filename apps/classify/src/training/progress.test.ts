import { describe, expect, it } from 'vitest';
import { EpochProgress, formatDuration } from './progress.js';

describe('EpochProgress', () => {
  it('reports images/s, running loss and ETA from the clock', () => {
    let clock = 0;
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const progress = new EpochProgress('epoch 1/3', 4, { stream, lineEvery: 2, now: () => clock });
    clock = 1000;
    progress.tick(8, 2);
    clock = 2000;
    const snapshot = progress.tick(8, 1);
    expect(snapshot).toEqual({
      step: 2,
      total: 4,
      images: 16,
      imagesPerSecond: 8,
      runningLoss: 1.5,
      etaSeconds: 2,
    });
    expect(written).toEqual(['epoch 1/3 2/4 | 8.0 img/s | loss 1.5000 | ETA 0:02\n']);
    progress.stop();
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
