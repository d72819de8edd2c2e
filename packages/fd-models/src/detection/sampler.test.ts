import { ArgumentError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { createRandomSource } from './random.js';
import { maskToIndices, sampleBalanced } from './sampler.js';

describe('balanced sampler', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : i < 20 ? -1 : 0));

  it('takes at most the positive fraction and fills with negatives', () => {
    const { positive, negative } = sampleBalanced(
      labels,
      { batchSizePerImage: 16, positiveFraction: 0.25 },
      createRandomSource(1),
    );
    expect(positive.length).toBe(4);
    expect(negative.length).toBe(12);
    expect([...positive].every((i) => i < 10)).toBe(true);
    expect([...negative].every((i) => i >= 20)).toBe(true);
    expect(new Set(negative).size).toBe(12);
  });

  it('uses every positive when there are few, and is reproducible by seed', () => {
    const options = { batchSizePerImage: 64, positiveFraction: 0.5 };
    const first = sampleBalanced(labels, options, createRandomSource(7));
    expect([...first.positive]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.negative.length).toBe(54);
    expect([...sampleBalanced(labels, options, createRandomSource(7)).negative]).toEqual([...first.negative]);
    expect([...sampleBalanced(labels, options, createRandomSource(8)).negative]).not.toEqual([
      ...first.negative,
    ]);
  });

  it('handles empty labels and rejects bad options', () => {
    const empty = sampleBalanced([], { batchSizePerImage: 4, positiveFraction: 0.5 }, createRandomSource(1));
    expect(empty.positive.length + empty.negative.length).toBe(0);
    expect([...maskToIndices([0, 1, 1, 0])]).toEqual([1, 2]);
    expect(() =>
      sampleBalanced(labels, { batchSizePerImage: 4, positiveFraction: 2 }, createRandomSource(1)),
    ).toThrow(ArgumentError);
  });
});
