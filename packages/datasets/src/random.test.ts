import { describe, expect, it } from 'vitest';
import { deriveSampleSeed, Random } from './random.js';

describe('Random (xoshiro128**)', () => {
  it('matches the reference output sequence for state {1, 2, 3, 4}', () => {
    // Values from the reference C implementation (xoshiro128starstar.c) for s = {1, 2, 3, 4}.
    const random = Random.fromState(1, 2, 3, 4);
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([
      11520, 0, 5927040, 70819200,
    ]);
  });

  it('is reproducible from a seed and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const first = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(first);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(first);
  });

  it('draws floats in [0, 1) with a uniform mean and integers in [low, high)', () => {
    const random = new Random(7);
    let sum = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) {
      const value = random.next();
      expect(value >= 0 && value < 1).toBe(true);
      sum += value;
      counts[random.integer(0, 3)]!++;
    }
    expect(sum / 30000).toBeCloseTo(0.5, 2);
    for (const count of counts) expect(Math.abs(count - 10000)).toBeLessThan(400);
    expect(random.integer(5, 6)).toBe(5);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Random(1).shuffle([...items]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(new Random(1).shuffle([...items])).toEqual(shuffled);
    expect(new Random(1).shuffle([])).toEqual([]);
  });
});

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
