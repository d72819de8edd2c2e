import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';

describe('SeededRandom', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = SeededRandom.fromSeed(42);
    const b = SeededRandom.fromSeed(42);
    const c = SeededRandom.fromSeed(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('matches the xoshiro128** reference for state [1, 2, 3, 4]', () => {
    // Hand-computed from the reference C code: first output rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520.
    const r = SeededRandom.fromState([1, 2, 3, 4]);
    expect(r.nextUint32()).toBe(11520);
  });

  it('resumes exactly from a saved state', () => {
    const r = SeededRandom.fromSeed(7);
    for (let i = 0; i < 10; i++) r.next();
    const copy = SeededRandom.fromState(r.state());
    expect(copy.next()).toBe(r.next());
    expect(copy.nextInt(1000)).toBe(r.nextInt(1000));
  });

  it('draws uniform numbers in [0, 1) with a sane mean', () => {
    const r = SeededRandom.fromSeed(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 10000).toBeCloseTo(0.5, 1);
  });

  it('never gets stuck on an all-zero state', () => {
    const r = SeededRandom.fromState([0, 0, 0, 0]);
    expect(r.state()).toEqual([1, 0, 0, 0]);
  });
});
