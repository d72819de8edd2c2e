import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random (xoshiro128**)', () => {
  it('matches the reference output sequence for state {1, 2, 3, 4}', () => {
    // Values from the reference C implementation (xoshiro128starstar.c) for s = {1, 2, 3, 4}.
    const random = Random.fromState([1, 2, 3, 4]);
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

describe('Random state, open interval and normals', () => {
  it('resumes exactly from a saved state, which is four uint32 words', () => {
    const random = new Random(3);
    for (let i = 0; i < 5; i++) random.nextUint32();
    const state = random.state();
    expect(state.every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32)).toBe(true);
    const expected = Array.from({ length: 6 }, () => random.next());
    const resumed = Random.fromState(state);
    expect(Array.from({ length: 6 }, () => resumed.next())).toEqual(expected);
    expect(Random.fromState([0, 0, 0, 0]).state()).toEqual([1, 0, 0, 0]);
  });

  it('nextOpen is next shifted by half an ulp: never 0, never 1', () => {
    const a = Random.fromState([1, 2, 3, 4]);
    const b = Random.fromState([1, 2, 3, 4]);
    for (let i = 0; i < 100; i++) expect(a.nextOpen()).toBe(b.next() + 0.5 / 9007199254740992);
  });

  it('gaussian has mean 0 and variance 1', () => {
    const random = new Random(11);
    let sum = 0;
    let squares = 0;
    const count = 100000;
    for (let i = 0; i < count; i++) {
      const value = random.gaussian();
      sum += value;
      squares += value * value;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.02);
    expect(Math.abs(squares / count - 1)).toBeLessThan(0.02);
  });
});
