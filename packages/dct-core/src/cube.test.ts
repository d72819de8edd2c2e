import { describe, expect, it } from 'vitest';
import type { DctCube } from './cube.js';
import { selectCubeChannels, validateDctCube } from './cube.js';

const cube: DctCube = {
  data: Float32Array.from({ length: 2 * 3 }, (_, i) => i),
  height: 1,
  width: 2,
  channels: 3,
  channelIndices: Int32Array.of(0, 64, 128),
};

describe('DctCube helpers', () => {
  it('selects channels by global index', () => {
    const picked = selectCubeChannels(cube, [128, 0]);
    expect(Array.from(picked.channelIndices)).toEqual([0, 128]);
    expect(Array.from(picked.data)).toEqual([0, 2, 3, 5]);
  });
  it('reports malformed cubes and missing channels', () => {
    expect(() => selectCubeChannels(cube, [1])).toThrow(
      "selectCubeChannels: argument 'indices' asks for channel 1, which the cube does not hold",
    );
    expect(() => validateDctCube('f', { ...cube, channels: 4 })).toThrow(
      "f: argument 'cube' data length 6 does not match [1, 2, 4]",
    );
    expect(() => validateDctCube('f', { ...cube, channelIndices: Int32Array.of(0, 0, 1) })).toThrow(
      "f: argument 'cube.channelIndices' must be ascending channels 0..191, got 0 at position 1",
    );
    validateDctCube('f', {
      data: new Float32Array(0),
      height: 0,
      width: 0,
      channels: 0,
      channelIndices: new Int32Array(0),
    });
  });
});
