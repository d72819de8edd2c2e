import { Random } from '@fdl/dct-core';

/**
 * The randomness the detection samplers need: anything with `next()` in [0, 1). Drawing in JavaScript
 * rather than with a backend kernel makes the same seed give the same sample on every tfjs backend.
 */
export interface RandomSource {
  /** A double in [0, 1). */
  next(): number;
}

/** A seeded source: @fdl/dct-core's `Random` (xoshiro128**). */
export function createRandomSource(seed: number): RandomSource {
  return new Random(seed);
}

/** The first `count` entries of a uniformly random permutation of `values` (partial Fisher-Yates). */
export function randomSubset(values: Int32Array, count: number, random: RandomSource): Int32Array {
  const pool = values.slice();
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random.next() * (pool.length - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return pool.slice(0, take);
}
