/**
 * The one seeded generator of fdl: xoshiro128** (Blackman and Vigna, 2018), 128-bit state, 32-bit
 * outputs, seeded by expanding one 32-bit seed with splitmix32 as the authors recommend. Generating in
 * JavaScript (not with a tfjs kernel) gives the same numbers on every backend and in every worker, and
 * the whole state is four words, so a checkpoint can store it and a resumed run draws exactly what the
 * uninterrupted run would have drawn.
 */

/** The generator's whole state: four uint32 words, not all zero. */
export type RandomState = readonly [number, number, number, number];

/** One step of splitmix32: advances `state` by the golden-ratio increment and returns a mixed word. */
export function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  return [next, mix32(next)];
}

/** Murmur3's 32-bit finaliser: a bijective avalanche mix (the output half of splitmix32). */
export function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded generator. Not shared between threads by design: one per sample, per layer or per loop. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let state = seed | 0;
    let output: number;
    [state, output] = splitmix32(state);
    this.s0 = output | 0;
    [state, output] = splitmix32(state);
    this.s1 = output | 0;
    [state, output] = splitmix32(state);
    this.s2 = output | 0;
    [, output] = splitmix32(state);
    this.s3 = output | 0;
    // xoshiro must not start from the all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with an explicit state (a checkpoint's, or a reference vector's). */
  static fromState(state: RandomState): Random {
    const random = new Random(0);
    random.s0 = state[0] | 0;
    random.s1 = state[1] | 0;
    random.s2 = state[2] | 0;
    random.s3 = state[3] | 0;
    if ((random.s0 | random.s1 | random.s2 | random.s3) === 0) random.s0 = 1;
    return random;
  }

  /** The current state as four uint32 words. */
  state(): RandomState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform float strictly inside (0, 1) (53 bits shifted by half an ulp): `log(u)` stays finite. */
  nextOpen(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low + 0.5) / 9007199254740992;
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [low, high) (like `torch.randint(low, high)`); high > low. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low));
  }

  /** Standard normal (Box-Muller on two open-interval uniforms). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(this.nextOpen())) * Math.cos(2 * Math.PI * this.next());
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      const swap = items[i]!;
      items[i] = items[j]!;
      items[j] = swap;
    }
    return items;
  }
}

function rotl(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
}
