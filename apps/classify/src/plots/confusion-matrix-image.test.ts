import { describe, expect, it } from 'vitest';
import { renderConfusionMatrix, shade } from './confusion-matrix-image.js';

describe('renderConfusionMatrix', () => {
  it('shades cells by row fraction', () => {
    const image = renderConfusionMatrix(
      [
        [4, 0],
        [1, 3],
      ],
      ['ants', 'bees'],
      { cell: 40 },
    );
    const left = 4 * 6 - 1 + 16;
    // corner pixel of cell (0, 0): fraction 1 -> darkest shade; cell (0, 1): fraction 0 -> white
    expect(image.getPixel(left + 1, 41)).toEqual(shade(1));
    expect(image.getPixel(left + 41, 41)).toEqual([255, 255, 255]);
    expect(image.getPixel(left + 1, 81)).toEqual(shade(0.25));
  });

  it('maps 0 to white and 1 to dark blue, clamping outside', () => {
    expect(shade(0)).toEqual([255, 255, 255]);
    expect(shade(1)).toEqual([8, 48, 107]);
    expect(shade(2)).toEqual([8, 48, 107]);
  });

  it('rejects a matrix that does not match the classes', () => {
    expect(() => renderConfusionMatrix([[1]], ['a', 'b'])).toThrow(
      "renderConfusionMatrix: argument 'confusion' must be 2 x 2 for 2 classes, got 1 x 1",
    );
  });
});
