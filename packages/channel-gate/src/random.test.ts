import { describe, expect, it } from 'vitest';
import { createUniformSource, deriveSeed, mixSeed, normalSamples } from './random.js';

describe('seeded random sources', () => {
  it('draws uniforms strictly inside (0, 1) with mean 1/2 and variance 1/12', () => {
    const source = createUniformSource(1);
    let sum = 0;
    let squares = 0;
    const count = 200_000;
    for (let i = 0; i < count; i++) {
      const u = source.next();
      expect(u > 0 && u < 1).toBe(true);
      sum += u;
      squares += u * u;
    }
    const mean = sum / count;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(squares / count - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('repeats a stream from its seed and separates nearby seeds and call indices', () => {
    const first = Array.from(
      { length: 5 },
      (
        (source) => () =>
          source.next()
      )(createUniformSource(7)),
    );
    const again = Array.from(
      { length: 5 },
      (
        (source) => () =>
          source.next()
      )(createUniformSource(7)),
    );
    const other = Array.from(
      { length: 5 },
      (
        (source) => () =>
          source.next()
      )(createUniformSource(8)),
    );
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const seeds = new Set(Array.from({ length: 1000 }, (_, index) => deriveSeed(3, index)));
    expect(seeds.size).toBe(1000);
    expect(mixSeed(0)).not.toBe(0);
    expect(Number.isInteger(mixSeed(123)) && mixSeed(123) >= 0 && mixSeed(123) < 2 ** 32).toBe(true);
  });

  it('draws normal samples with the requested spread, odd counts included', () => {
    const values = normalSamples(100_001, 2, 5);
    expect(values.length).toBe(100_001);
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const deviation = Math.sqrt(
      values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length,
    );
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(deviation - 2)).toBeLessThan(0.03);
    expect(normalSamples(0, 1, 1).length).toBe(0);
  });
});
