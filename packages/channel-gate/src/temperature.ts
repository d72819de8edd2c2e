import { ArgumentError } from '@fdl/dct-core';
import { requireInteger, requireNonNegative, requirePositive } from './validate.js';

/** tau fixed at `value`. */
export interface ConstantTemperature {
  kind: 'constant';
  value: number;
}

/** tau = max(minimum, initial * decayRate^(step / decaySteps)), the usual Gumbel-softmax annealing. */
export interface ExponentialTemperature {
  kind: 'exponential';
  initial: number;
  /** Factor applied every `decaySteps` steps, in (0, 1]. */
  decayRate: number;
  decaySteps: number;
  minimum: number;
}

/** tau goes from `initial` to `final` along half a cosine over `steps` steps, then stays at `final`. */
export interface CosineTemperature {
  kind: 'cosine';
  initial: number;
  final: number;
  steps: number;
}

/** A temperature schedule: a pure function of the training step (see {@link temperatureAt}). */
export type TemperatureSchedule = ConstantTemperature | ExponentialTemperature | CosineTemperature;

/** tau at `step` (an integer >= 0) of `schedule`. Pure: the same inputs always give the same tau. */
export function temperatureAt(schedule: TemperatureSchedule, step: number): number {
  requireInteger('temperatureAt', 'step', step, 0);
  switch (schedule?.kind) {
    case 'constant':
      requirePositive('temperatureAt', 'schedule.value', schedule.value);
      return schedule.value;
    case 'exponential': {
      requirePositive('temperatureAt', 'schedule.initial', schedule.initial);
      requirePositive('temperatureAt', 'schedule.decaySteps', schedule.decaySteps);
      requirePositive('temperatureAt', 'schedule.minimum', schedule.minimum);
      if (!(schedule.decayRate > 0 && schedule.decayRate <= 1)) {
        throw new ArgumentError(
          'temperatureAt',
          'schedule.decayRate',
          `must be in (0, 1], got ${schedule.decayRate}`,
        );
      }
      return Math.max(
        schedule.minimum,
        schedule.initial * schedule.decayRate ** (step / schedule.decaySteps),
      );
    }
    case 'cosine': {
      requirePositive('temperatureAt', 'schedule.initial', schedule.initial);
      requirePositive('temperatureAt', 'schedule.final', schedule.final);
      requireNonNegative('temperatureAt', 'schedule.steps', schedule.steps);
      if (schedule.steps === 0 || step >= schedule.steps) return schedule.final;
      const progress = step / schedule.steps;
      return schedule.final + 0.5 * (schedule.initial - schedule.final) * (1 + Math.cos(Math.PI * progress));
    }
    default:
      throw new ArgumentError(
        'temperatureAt',
        'schedule.kind',
        `must be 'constant', 'exponential' or 'cosine', got ${JSON.stringify((schedule as { kind?: unknown })?.kind)}`,
      );
  }
}
