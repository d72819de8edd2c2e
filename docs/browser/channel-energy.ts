import type { DctCube } from '@fdl/dct-core';

/** What the page shows for one image. */
export interface ChannelEnergySummary {
  /** Mean squared coefficient of each of the 192 channels over all blocks (channel = c * 64 + u * 8 + v). */
  energy: number[];
  /** Sum of `energy` per component: Y, Cb, Cr. */
  componentEnergy: [number, number, number];
}

/** Per-channel mean energy of a cube holding all 192 channels, [H/8, W/8, 192]. */
export function channelEnergy(cube: DctCube): ChannelEnergySummary {
  const blocks = cube.height * cube.width;
  const energy = new Array<number>(cube.channels).fill(0);
  for (let block = 0; block < blocks; block++) {
    const base = block * cube.channels;
    for (let i = 0; i < cube.channels; i++) energy[i] += cube.data[base + i] ** 2;
  }
  // An empty cube has no energy (rather than 0 / 0).
  if (blocks > 0) for (let i = 0; i < cube.channels; i++) energy[i] /= blocks;
  const componentEnergy: [number, number, number] = [0, 0, 0];
  cube.channelIndices.forEach((channel, i) => {
    componentEnergy[Math.floor(channel / 64)] += energy[i];
  });
  return { energy, componentEnergy };
}
