import { describe, expect, it } from 'vitest';
import { upsamplePlane } from './upsample.js';

const plane = (rows: number[][], stride = rows[0].length) => {
  const data = new Uint8Array(rows.length * stride);
  rows.forEach((row, y) => {
    data.set(row, y * stride);
  });
  return { data, width: rows[0].length, height: rows.length, stride };
};

describe('upsamplePlane', () => {
  it('applies the 3:1 triangle filter horizontally with edge samples kept (h2v1)', () => {
    const out = upsamplePlane(plane([[0, 100, 200]]), 2, 1, 6, 1);
    // (0*3+100+2)>>2 = 25, (300+0+1)>>2 = 75, (300+200+2)>>2 = 125, (600+100+1)>>2 = 175.
    expect(Array.from(out)).toEqual([0, 25, 75, 125, 175, 200]);
  });

  it('filters rows with the edge row as its own neighbour (h1v2)', () => {
    const out = upsamplePlane(plane([[0], [100]]), 1, 2, 1, 4);
    // Row 0 above-neighbour is itself: (0+0+1)>>2 = 0; below: (0+100+2)>>2 = 25; (300+0+1)>>2 = 75; 100.
    expect(Array.from(out)).toEqual([0, 25, 75, 100]);
  });

  it('filters both ways with total weight 16 (h2v2) and crops to odd output sizes', () => {
    const out = upsamplePlane(
      plane([
        [16, 16, 16],
        [16, 16, 16],
      ]),
      2,
      2,
      5,
      3,
    );
    expect(Array.from(out)).toEqual(new Array(15).fill(16));
    const ramp = upsamplePlane(plane([[0, 160, 0]]), 2, 2, 6, 2);
    // Column sums 4*[0,160,0] = [0,640,0]: (0*3+640+7)>>4 = 40, (640*3+0+8)>>4 = 120, (1920+7)>>4 = 120.
    expect(Array.from(ramp.subarray(0, 6))).toEqual([0, 40, 120, 120, 40, 0]);
  });

  it('replicates when the plane is at most 2 samples wide or the ratio is not 2', () => {
    expect(Array.from(upsamplePlane(plane([[10, 90]]), 2, 1, 4, 1))).toEqual([10, 10, 90, 90]);
    expect(Array.from(upsamplePlane(plane([[10, 90]]), 4, 1, 7, 1))).toEqual([10, 10, 10, 10, 90, 90, 90]);
    expect(Array.from(upsamplePlane(plane([[7]], 8), 1, 1, 1, 1))).toEqual([7]);
  });
});
