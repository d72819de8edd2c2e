import { describe, expect, it } from 'vitest';
import { expandInputs, topClasses } from './predict.js';

describe('topClasses', () => {
  it('ranks by logit with softmax probabilities', () => {
    const top = topClasses([1, 3, 2], ['a', 'b', 'c'], 2);
    const z = Math.exp(1) + Math.exp(3) + Math.exp(2);
    expect(top.map((t) => t.class)).toEqual(['b', 'c']);
    expect(top[0].probability).toBeCloseTo(Math.exp(3) / z, 12);
    expect(top[1].probability).toBeCloseTo(Math.exp(2) / z, 12);
  });

  it('breaks ties by class index', () => {
    expect(topClasses([0, 0], ['x', 'y'], 2).map((t) => t.index)).toEqual([0, 1]);
  });
});

describe('expandInputs', () => {
  it('names a missing input', () => {
    expect(() => expandInputs(['/nonexistent/cat.jpg'])).toThrow(
      "predict: input '/nonexistent/cat.jpg' does not exist",
    );
  });
});
