import { ArgumentError } from '@fdl/dct-core';

/**
 * Learning-rate schedules evaluated per optimizer step, with an optional linear warmup.
 *
 * - warmup: for step s < warmupSteps, lr = base * (warmupStartFactor + (1 - warmupStartFactor) * s / warmupSteps),
 *   as torchvision's LinearLR warmup.
 * - cosine: after warmup, lr = min + (base - min) * (1 + cos(pi * t / T)) / 2 with t = s - warmupSteps and
 *   T = totalSteps - warmupSteps (timm / torchvision CosineAnnealingLR, evaluated per step).
 * - step: lr = base * gamma ^ floor(epoch / stepEpochs), epoch = floor(s / stepsPerEpoch).
 * - multistep: lr = base * gamma ^ (number of milestones <= epoch).
 * - constant: lr = base.
 */
export type ScheduleKind = 'cosine' | 'step' | 'multistep' | 'constant';

export interface LearningRateScheduleOptions {
  kind: ScheduleKind;
  baseLearningRate: number;
  /** Total optimizer steps of the run (epochs * stepsPerEpoch). */
  totalSteps: number;
  stepsPerEpoch: number;
  warmupSteps: number;
  /** Fraction of the base rate at step 0 of the warmup. */
  warmupStartFactor: number;
  /** Floor of the cosine schedule. */
  minLearningRate: number;
  /** Decay factor of step / multistep. */
  gamma: number;
  /** Period of the step schedule, in epochs. */
  stepEpochs: number;
  /** Epochs at which multistep multiplies by gamma. */
  milestones: readonly number[];
}

export const DEFAULT_SCHEDULE_OPTIONS: Readonly<
  Omit<LearningRateScheduleOptions, 'totalSteps' | 'stepsPerEpoch'>
> = Object.freeze({
  kind: 'cosine',
  baseLearningRate: 0.1,
  warmupSteps: 0,
  warmupStartFactor: 0.01,
  minLearningRate: 0,
  gamma: 0.1,
  stepEpochs: 30,
  milestones: Object.freeze([30, 60, 80]),
});

/** Learning rate at optimizer step `step` (0-based). */
export function learningRateAt(step: number, options: LearningRateScheduleOptions): number {
  const o = options;
  if (!Number.isInteger(step) || step < 0) {
    throw new ArgumentError('learningRateAt', 'step', `must be a non-negative integer, got ${step}`);
  }
  if (o.stepsPerEpoch <= 0) {
    throw new ArgumentError(
      'learningRateAt',
      'options.stepsPerEpoch',
      `must be positive, got ${o.stepsPerEpoch}`,
    );
  }
  if (step < o.warmupSteps) {
    const f = o.warmupStartFactor + ((1 - o.warmupStartFactor) * step) / o.warmupSteps;
    return o.baseLearningRate * f;
  }
  const epoch = Math.floor(step / o.stepsPerEpoch);
  switch (o.kind) {
    case 'constant':
      return o.baseLearningRate;
    case 'cosine': {
      const span = Math.max(1, o.totalSteps - o.warmupSteps);
      const t = Math.min(step - o.warmupSteps, span);
      return (
        o.minLearningRate +
        ((o.baseLearningRate - o.minLearningRate) * (1 + Math.cos((Math.PI * t) / span))) / 2
      );
    }
    case 'step':
      return o.baseLearningRate * o.gamma ** Math.floor(epoch / o.stepEpochs);
    case 'multistep':
      return o.baseLearningRate * o.gamma ** o.milestones.filter((m) => m <= epoch).length;
  }
}
