/**
 * A seedable PRNG (mulberry32) for the detection samplers. Drawing in JavaScript rather than with a
 * backend kernel makes the same seed give the same sample on every tfjs backend.
 */
export interface RandomSource {
  /** A double in [0, 1). */
  next(): number;
}

/** mulberry32: 32-bit state, good enough statistical quality for shuffling, tiny and fast. */
export function createRandomSource(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
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
