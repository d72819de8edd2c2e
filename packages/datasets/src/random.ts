/**
 * Seeds for data augmentation. The generator is @fdl/dct-core's `Random` (xoshiro128**); every sample
 * draws from its own generator seeded by `deriveSampleSeed(seed, epoch, index)`, so a sample's
 * augmentation depends only on (seed, epoch, dataset index), never on which worker ran it or in which
 * order.
 */
import { mix32 } from '@fdl/dct-core';

export { Random } from '@fdl/dct-core';

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
