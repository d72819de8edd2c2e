import { describe, expect, it } from 'vitest';
import { temperatureAt } from './temperature.js';

describe('temperatureAt', () => {
  it('keeps a constant temperature', () => {
    expect(temperatureAt({ kind: 'constant', value: 0.67 }, 0)).toBe(0.67);
    expect(temperatureAt({ kind: 'constant', value: 0.67 }, 10_000)).toBe(0.67);
  });

  it('decays exponentially down to its minimum', () => {
    const schedule = {
      kind: 'exponential',
      initial: 5,
      decayRate: 0.5,
      decaySteps: 100,
      minimum: 0.5,
    } as const;
    expect(temperatureAt(schedule, 0)).toBe(5);
    expect(temperatureAt(schedule, 100)).toBe(2.5);
    expect(temperatureAt(schedule, 50)).toBeCloseTo(5 / Math.SQRT2, 12);
    expect(temperatureAt(schedule, 300)).toBe(0.625);
    expect(temperatureAt(schedule, 400)).toBe(0.5);
    expect(temperatureAt(schedule, 10_000)).toBe(0.5);
  });

  it('follows half a cosine from initial to final, then stays', () => {
    const schedule = { kind: 'cosine', initial: 2, final: 0.2, steps: 100 } as const;
    expect(temperatureAt(schedule, 0)).toBe(2);
    expect(temperatureAt(schedule, 50)).toBeCloseTo(1.1, 12);
    expect(temperatureAt(schedule, 25)).toBeCloseTo(0.2 + 0.9 * (1 + Math.SQRT1_2), 12);
    expect(temperatureAt(schedule, 100)).toBe(0.2);
    expect(temperatureAt(schedule, 1000)).toBe(0.2);
    expect(temperatureAt({ kind: 'cosine', initial: 2, final: 0.2, steps: 0 }, 0)).toBe(0.2);
  });

  it('is monotone for decaying schedules', () => {
    const schedules = [
      { kind: 'exponential', initial: 1, decayRate: 0.9, decaySteps: 7, minimum: 0.1 },
      { kind: 'cosine', initial: 1, final: 0.1, steps: 90 },
    ] as const;
    for (const schedule of schedules) {
      for (let step = 1; step < 120; step++) {
        expect(temperatureAt(schedule, step)).toBeLessThanOrEqual(temperatureAt(schedule, step - 1));
      }
    }
  });

  it('names the argument and value in its errors', () => {
    expect(() => temperatureAt({ kind: 'constant', value: 1 }, -1)).toThrow(
      "temperatureAt: argument 'step' must be an integer >= 0, got -1",
    );
    expect(() => temperatureAt({ kind: 'constant', value: 0 }, 0)).toThrow(
      "temperatureAt: argument 'schedule.value' must be a finite number > 0, got 0",
    );
    expect(() =>
      temperatureAt({ kind: 'exponential', initial: 1, decayRate: 1.5, decaySteps: 1, minimum: 0.1 }, 0),
    ).toThrow("temperatureAt: argument 'schedule.decayRate' must be in (0, 1], got 1.5");
    expect(() => temperatureAt({ kind: 'linear' } as never, 0)).toThrow(
      `temperatureAt: argument 'schedule.kind' must be 'constant', 'exponential' or 'cosine', got "linear"`,
    );
  });
});
