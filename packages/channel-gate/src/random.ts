/**
 * Seeded uniforms for Gumbel noise and weight initialisation, drawn from @fdl/dct-core's `Random`
 * (xoshiro128**). Generating in JavaScript, not with a backend kernel, makes the same seed give the same
 * numbers on every tfjs backend.
 */
import { mix32, Random } from '@fdl/dct-core';

/** splitmix32 step: a strong 32-bit mixer, used to expand one seed into generator state. */
export function mixSeed(value: number): number {
  return mix32((value + 0x9e3779b9) | 0);
}

/** Derives the seed of the `index`-th draw of a seeded stream (e.g. the n-th call of a layer). */
export function deriveSeed(seed: number, index: number): number {
  return mixSeed((mixSeed(seed) ^ Math.imul(index + 1, 0x27d4eb2d)) >>> 0);
}

/** A uniform random source. `next()` returns a double in the open interval (0, 1). */
export interface UniformSource {
  next(): number;
}

/**
 * @fdl/dct-core's xoshiro128** with the gate's seed expansion (chained `mixSeed`); `next()` never
 * returns 0 or 1, so `log(u)` and `log(1 - u)` stay finite.
 */
export function createUniformSource(seed: number): UniformSource {
  const s0 = mixSeed(seed);
  const s1 = mixSeed(s0);
  const s2 = mixSeed(s1);
  const s3 = mixSeed(s2);
  const random = Random.fromState([s0, s1, s2, s3]);
  return { next: () => random.nextOpen() };
}

/** A seed drawn from Math.random, for callers that ask for fresh noise. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/** Standard normal samples (Box-Muller) as float32, for weight initialisation. */
export function normalSamples(count: number, standardDeviation: number, seed: number): Float32Array {
  const source = createUniformSource(seed);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(source.next()));
    const angle = 2 * Math.PI * source.next();
    values[i] = radius * Math.cos(angle) * standardDeviation;
    if (i + 1 < count) values[i + 1] = radius * Math.sin(angle) * standardDeviation;
  }
  return values;
}
