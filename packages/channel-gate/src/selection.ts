import {
  ArgumentError,
  BLOCK_COEFFICIENTS,
  type ChannelSelection,
  type ComponentCounts,
  FULL_CHANNEL_COUNT,
  selectionFromIndices,
} from '@fdl/dct-core';
import { requireInRange, requireInteger } from './validate.js';

/**
 * How a static selection is derived from gate statistics:
 * - `top-k`: the `count` most frequently selected channels overall;
 * - `per-component`: the most frequent `y` of Y, `cb` of Cb and `cr` of Cr (the DCT-24 shape is 16/4/4);
 * - `threshold`: every channel selected at least `threshold` of the time.
 * Ties go to the lower channel index (the lower frequency).
 */
export type SelectionCriterion =
  | { kind: 'top-k'; count: number }
  | { kind: 'per-component'; counts: ComponentCounts }
  | { kind: 'threshold'; threshold: number };

/** Options of {@link selectionFromGateFrequencies}. */
export interface GateSelectionOptions {
  /**
   * The 192-layout channel of each gate channel, when the gate saw a subset (e.g. the DCT-64 channels);
   * default: gate channel c is channel c (the gate saw all 192).
   */
  channelIndices?: readonly number[];
  /** Name of the selection; default derived from the criterion, e.g. `gate-top24`. */
  name?: string;
}

/**
 * Turns per-channel selection frequencies (`GateStatistics.frequencies()`) into a static selection that
 * `@fdl/dct-core`'s `resolveSelection` accepts directly: `{name, indices (ascending), mask (192 booleans)}`.
 */
export function selectionFromGateFrequencies(
  frequencies: ArrayLike<number>,
  criterion: SelectionCriterion,
  options: GateSelectionOptions = {},
): ChannelSelection {
  const channels = resolveChannels('selectionFromGateFrequencies', frequencies, options.channelIndices);
  for (let i = 0; i < frequencies.length; i++) {
    const frequency = frequencies[i];
    if (!(frequency >= 0 && frequency <= 1)) {
      throw new ArgumentError(
        'selectionFromGateFrequencies',
        'frequencies',
        `must lie in [0, 1], got ${frequency} at index ${i}`,
        { index: i, value: frequency },
      );
    }
  }
  // Candidates by descending frequency, then ascending channel index.
  const ranked = channels
    .map((channel, i) => ({ channel, frequency: frequencies[i] }))
    .sort((a, b) => b.frequency - a.frequency || a.channel - b.channel);
  let chosen: number[];
  let name: string;
  switch (criterion?.kind) {
    case 'top-k': {
      requireInteger('selectionFromGateFrequencies', 'criterion.count', criterion.count, 1, channels.length);
      chosen = ranked.slice(0, criterion.count).map((entry) => entry.channel);
      name = `gate-top${criterion.count}`;
      break;
    }
    case 'per-component': {
      const { y, cb, cr } = criterion.counts ?? ({} as ComponentCounts);
      chosen = [];
      [y, cb, cr].forEach((count, component) => {
        const inComponent = ranked.filter(
          (entry) => Math.floor(entry.channel / BLOCK_COEFFICIENTS) === component,
        );
        const argument = `criterion.counts.${['y', 'cb', 'cr'][component]}`;
        requireInteger('selectionFromGateFrequencies', argument, count, 0, inComponent.length);
        chosen.push(...inComponent.slice(0, count).map((entry) => entry.channel));
      });
      name = `gate-y${y}-cb${cb}-cr${cr}`;
      break;
    }
    case 'threshold': {
      requireInRange('selectionFromGateFrequencies', 'criterion.threshold', criterion.threshold, 0, 1);
      chosen = ranked.filter((entry) => entry.frequency >= criterion.threshold).map((entry) => entry.channel);
      name = `gate-p${criterion.threshold}`;
      break;
    }
    default:
      throw new ArgumentError(
        'selectionFromGateFrequencies',
        'criterion.kind',
        `must be 'top-k', 'per-component' or 'threshold', got ${JSON.stringify((criterion as { kind?: unknown })?.kind)}`,
      );
  }
  if (chosen.length === 0) {
    throw new ArgumentError(
      'selectionFromGateFrequencies',
      'criterion',
      `selects no channel (${JSON.stringify(criterion)}); the highest frequency is ${ranked[0]?.frequency}`,
    );
  }
  return selectionFromIndices(chosen, options.name ?? name);
}

/** Validates frequencies against an optional channel map and returns the 192-layout channel of each. */
export function resolveChannels(
  functionName: string,
  frequencies: ArrayLike<number>,
  channelIndices: readonly number[] | undefined,
): number[] {
  if (channelIndices === undefined) {
    if (frequencies.length !== FULL_CHANNEL_COUNT) {
      throw new ArgumentError(
        functionName,
        'frequencies',
        `must hold ${FULL_CHANNEL_COUNT} values (or pass options.channelIndices for a subset), got ${frequencies.length}`,
        { length: frequencies.length },
      );
    }
    return Array.from({ length: FULL_CHANNEL_COUNT }, (_, c) => c);
  }
  if (channelIndices.length !== frequencies.length) {
    throw new ArgumentError(
      functionName,
      'options.channelIndices',
      `must map each of the ${frequencies.length} frequencies to a channel, got ${channelIndices.length} indices`,
    );
  }
  // selectionFromIndices validates range (0..191) and uniqueness with its own messages.
  selectionFromIndices(channelIndices);
  return [...channelIndices];
}
