import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE_OPTIONS,
  type LearningRateScheduleOptions,
  learningRateAt,
} from './learning-rate-schedule.js';

const base: LearningRateScheduleOptions = {
  ...DEFAULT_SCHEDULE_OPTIONS,
  baseLearningRate: 0.1,
  totalSteps: 100,
  stepsPerEpoch: 10,
};

describe('learningRateAt', () => {
  it('cosine without warmup: base at 0, half at the middle, min at the end', () => {
    const o = { ...base, kind: 'cosine' as const, minLearningRate: 0 };
    expect(learningRateAt(0, o)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(50, o)).toBeCloseTo(0.05, 12);
    // (1 + cos(pi/4)) / 2 * 0.1 = 0.0853553390593...
    expect(learningRateAt(25, o)).toBeCloseTo(0.08535533905932738, 12);
    expect(learningRateAt(100, o)).toBeCloseTo(0, 12);
    expect(learningRateAt(150, o)).toBeCloseTo(0, 12);
  });

  it('cosine with warmup ramps linearly, then follows the cosine over the remaining steps', () => {
    const o = {
      ...base,
      kind: 'cosine' as const,
      warmupSteps: 10,
      warmupStartFactor: 0.1,
      minLearningRate: 0.001,
    };
    expect(learningRateAt(0, o)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(5, o)).toBeCloseTo(0.1 * (0.1 + 0.9 * 0.5), 12);
    expect(learningRateAt(10, o)).toBeCloseTo(0.1, 12);
    // middle of the 90-step cosine: min + (base - min) / 2
    expect(learningRateAt(55, o)).toBeCloseTo(0.001 + 0.099 / 2, 12);
  });

  it('step decays by gamma every stepEpochs epochs', () => {
    const o = { ...base, kind: 'step' as const, stepEpochs: 3, gamma: 0.5 };
    expect(learningRateAt(29, o)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(30, o)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(60, o)).toBeCloseTo(0.025, 12);
  });

  it('multistep decays at each milestone epoch', () => {
    const o = { ...base, kind: 'multistep' as const, milestones: [2, 5], gamma: 0.1 };
    expect(learningRateAt(19, o)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(20, o)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(49, o)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(50, o)).toBeCloseTo(0.001, 12);
  });

  it('constant stays at the base rate', () => {
    expect(learningRateAt(77, { ...base, kind: 'constant' })).toBe(0.1);
  });

  it('rejects a negative or fractional step with a message naming the argument', () => {
    expect(() => learningRateAt(-1, base)).toThrow(
      "learningRateAt: argument 'step' must be a non-negative integer, got -1",
    );
    expect(() => learningRateAt(1.5, base)).toThrow(/got 1.5/);
  });
});
