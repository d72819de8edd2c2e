/**
 * Seeded randomness for data augmentation.
 *
 * Generator: xoshiro128** (Blackman and Vigna, 2018), 128-bit state, 32-bit outputs, seeded by
 * expanding one 32-bit seed with splitmix32. Floats in [0, 1) take 53 random bits from two outputs.
 *
 * Every sample draws from its own generator seeded by `deriveSampleSeed(seed, epoch, index)`, so a
 * sample's augmentation depends only on (seed, epoch, dataset index), never on which worker ran it
 * or in which order.
 */

/** One step of splitmix32: advances `state` by the golden-ratio increment and returns a mixed word. */
function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** Murmur3's 32-bit finaliser: a bijective avalanche mix. */
function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The seed of one sample: a hash of (seed, epoch, index). Independent of worker count and
 * scheduling. All three inputs are taken modulo 2^32.
 */
export function deriveSampleSeed(seed: number, epoch: number, index: number): number {
  let h = mix32(seed ^ 0x5bd1e995);
  h = mix32(h ^ Math.imul(epoch | 0, 0x27d4eb2d) ^ 0x165667b1);
  h = mix32(h ^ Math.imul(index | 0, 0x9e3779b1) ^ (index / 4294967296) ^ 0x61c88647);
  return h;
}

/** The seed of an epoch's shuffle: a hash of (seed, epoch), distinct from every sample seed stream. */
export function deriveEpochSeed(seed: number, epoch: number): number {
  let h = mix32(seed ^ 0x2545f491);
  h = mix32(h ^ Math.imul(epoch | 0, 0x4f1bbcdd) ^ 0x68e31da4);
  return mix32(h ^ 0x1b873593);
}

/** A seeded generator. Not thread-safe by design: one per sample or per loop. */
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
    [state, output] = splitmix32(state);
    this.s3 = output | 0;
    // xoshiro must not start from the all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with an explicit xoshiro128** state (for reference-vector tests). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const random = new Random(0);
    random.s0 = s0 | 0;
    random.s1 = s1 | 0;
    random.s2 = s2 | 0;
    random.s3 = s3 | 0;
    return random;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
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

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [low, high) (like `torch.randint(low, high)`); high > low. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low));
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
