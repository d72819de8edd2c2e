/**
 * A small seedable PRNG (xoshiro128**, seeded through splitmix32) used for Gumbel noise and weight
 * initialisation. Generating in JavaScript, not with a backend kernel, makes the same seed give the
 * same numbers on every tfjs backend.
 */

/** splitmix32 step: a strong 32-bit mixer, used to expand one seed into generator state. */
export function mixSeed(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Derives the seed of the `index`-th draw of a seeded stream (e.g. the n-th call of a layer). */
export function deriveSeed(seed: number, index: number): number {
  return mixSeed((mixSeed(seed) ^ Math.imul(index + 1, 0x27d4eb2d)) >>> 0);
}

/** A uniform random source. `next()` returns a double in the open interval (0, 1). */
export interface UniformSource {
  next(): number;
}

/** xoshiro128** generator; `next()` never returns 0 or 1, so `log(u)` and `log(1 - u)` stay finite. */
export function createUniformSource(seed: number): UniformSource {
  let s0 = mixSeed(seed);
  let s1 = mixSeed(s0);
  let s2 = mixSeed(s1);
  let s3 = mixSeed(s2);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotateLeft(s3, 11);
    return result;
  };
  return {
    next(): number {
      // 53 random bits, then shift by half an ulp so the value is strictly inside (0, 1).
      const high = nextUint32() >>> 5;
      const low = nextUint32() >>> 6;
      return (high * 67108864 + low + 0.5) / 9007199254740992;
    },
  };
}

function rotateLeft(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
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
