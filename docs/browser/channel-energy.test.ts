import { describe, expect, it } from 'vitest';
import { channelEnergy } from './channel-energy.js';

describe('channelEnergy', () => {
  it('averages squared coefficients over blocks and sums them per component (hand-checked)', () => {
    // 1 x 2 blocks, channels 0 (Y DC), 65 (Cb), 130 (Cr).
    const cube = {
      data: new Float32Array([3, 1, -2, 5, -1, 0]),
      height: 1,
      width: 2,
      channels: 3,
      channelIndices: new Int32Array([0, 65, 130]),
    };
    const { energy, componentEnergy } = channelEnergy(cube);
    expect(energy).toEqual([(9 + 25) / 2, (1 + 1) / 2, (4 + 0) / 2]);
    expect(componentEnergy).toEqual([17, 1, 2]);
  });

  it('gives zeros, not NaN, for an empty cube', () => {
    const cube = {
      data: new Float32Array(0),
      height: 0,
      width: 0,
      channels: 2,
      channelIndices: new Int32Array([0, 64]),
    };
    const { energy, componentEnergy } = channelEnergy(cube);
    expect(energy).toEqual([0, 0]);
    expect(componentEnergy).toEqual([0, 0, 0]);
  });
});
