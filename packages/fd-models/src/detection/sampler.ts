import { ArgumentError } from '@fdl/dct-core';
import { type RandomSource, randomSubset } from './random.js';

/**
 * torchvision's `BalancedPositiveNegativeSampler`: per image, up to `batchSizePerImage * positiveFraction`
 * random positives (label >= 1), the rest of the batch filled with random negatives (label 0); label -1 is
 * ignored. Randomness comes from a seeded source, so a seed fixes the sample on every backend.
 */
export interface SamplerOptions {
  readonly batchSizePerImage: number;
  readonly positiveFraction: number;
}

export const RPN_SAMPLER_OPTIONS: SamplerOptions = Object.freeze({
  batchSizePerImage: 256,
  positiveFraction: 0.5,
});
export const ROI_SAMPLER_OPTIONS: SamplerOptions = Object.freeze({
  batchSizePerImage: 512,
  positiveFraction: 0.25,
});

/** Chosen indices of one image, each list in increasing index order. */
export interface SampledIndices {
  readonly positive: Int32Array;
  readonly negative: Int32Array;
}

/** @param labels `[N]` per-candidate labels: >= 1 positive, 0 negative, -1 ignored */
export function sampleBalanced(
  labels: ArrayLike<number>,
  options: SamplerOptions,
  random: RandomSource,
): SampledIndices {
  if (!(options.positiveFraction >= 0 && options.positiveFraction <= 1) || options.batchSizePerImage < 0) {
    throw new ArgumentError(
      'sampleBalanced',
      'options',
      'needs positiveFraction in [0, 1], batchSizePerImage >= 0',
      {
        ...options,
      },
    );
  }
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= 1) positives.push(i);
    else if (labels[i] === 0) negatives.push(i);
  }
  const numPositive = Math.min(
    positives.length,
    Math.trunc(options.batchSizePerImage * options.positiveFraction),
  );
  const numNegative = Math.min(negatives.length, options.batchSizePerImage - numPositive);
  const positive = randomSubset(Int32Array.from(positives), numPositive, random).sort();
  const negative = randomSubset(Int32Array.from(negatives), numNegative, random).sort();
  return { positive, negative };
}

/** Indices of the non-zero entries of a 0/1 mask (torchvision records sampling decisions as masks). */
export function maskToIndices(mask: ArrayLike<number>): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return Int32Array.from(out);
}
