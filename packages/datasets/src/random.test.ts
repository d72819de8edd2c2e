import { describe, expect, it } from 'vitest';
import { deriveSampleSeed } from './random.js';

describe('deriveSampleSeed', () => {
  it('depends on seed, epoch and index, and on nothing else', () => {
    const base = deriveSampleSeed(0, 0, 0);
    expect(deriveSampleSeed(0, 0, 0)).toBe(base);
    const seeds = new Set<number>();
    for (let seed = 0; seed < 4; seed++)
      for (let epoch = 0; epoch < 4; epoch++)
        for (let index = 0; index < 64; index++) seeds.add(deriveSampleSeed(seed, epoch, index));
    expect(seeds.size).toBe(4 * 4 * 64);
    expect(deriveSampleSeed(1, 2, 3)).toBeGreaterThanOrEqual(0);
    expect(deriveSampleSeed(1, 2, 3)).toBeLessThan(2 ** 32);
  });
});
