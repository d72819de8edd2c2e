/**
 * Channel selection and normalization: the official presets, square (S) vs triangle (T) selections, a
 * custom mask, and per-channel statistics in both modes (pooled and the official per-image means).
 *
 *   node --conditions=@fdl/source --import tsx docs/examples/selection-normalization.ts
 */
import {
  channelName,
  createRgbImage,
  createStatisticsAccumulator,
  type DctCube,
  imageToDctCube,
  normalizeCube,
  type RgbImage,
  resolveSelection,
  selectionFromIndices,
} from '@fdl/dct-core';
import { printResult } from './print-result.js';

/** Seeded uniform [0, 1) generator (mulberry32), so every run prints the same numbers. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32 x 32 image: a random base colour per image, a smooth diagonal gradient, and pixel noise. */
function randomImage(random: () => number): RgbImage {
  const image = createRgbImage(32, 32);
  const base = [random() * 160 + 48, random() * 160 + 48, random() * 160 + 48];
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      for (let c = 0; c < 3; c++) {
        const value = base[c] + (x + y - 31) * 1.5 + (random() - 0.5) * 40;
        image.data[(y * 32 + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return image;
}

function describeSelection(spec: string): { name: string; indices: number[] } {
  const selection = resolveSelection(spec);
  const perComponent = [0, 1, 2].map((c) => selection.indices.filter((i) => Math.floor(i / 64) === c).length);
  console.log(
    `${spec.padEnd(6)} -> ${selection.name}: ${selection.indices.length} channels (Y ${perComponent[0]}, Cb ${perComponent[1]}, Cr ${perComponent[2]})`,
  );
  return { name: selection.name, indices: [...selection.indices] };
}

// 1. Selections. 'DCT-24' is the official preset; '24S' grows k x k corners and equals it; '24T' takes the
//    first coefficients in zig-zag order (u + v ascending) with the same per-component counts.
const official = describeSelection('DCT-24');
const square = describeSelection('24S');
const triangle = describeSelection('24T');
console.log(
  `24T Y channels: ${triangle.indices
    .filter((i) => i < 64)
    .map(channelName)
    .join(' ')}`,
);

// A custom selection: the three DC channels only (an index list; a 192-boolean mask works the same way).
const custom = selectionFromIndices([0, 64, 128], 'DC only');
console.log(`custom "${custom.name}": ${custom.indices.join(', ')}`);

// 2. Statistics over a small generated "dataset" of 8 images, computing only the 24 selected channels.
const random = seededRandom(2020);
const cubes: DctCube[] = Array.from({ length: 8 }, () =>
  imageToDctCube(randomImage(random), { geometry: 'plain', selection: '24S' }),
);
const pooled = createStatisticsAccumulator({ mode: 'pooled', channelIndices: square.indices });
const perImageMeans = createStatisticsAccumulator({
  mode: 'per-image-means',
  channelIndices: square.indices,
});
for (const cube of cubes) {
  pooled.add(cube);
  perImageMeans.add(cube);
}
const pooledStats = pooled.result();
const officialStats = perImageMeans.result();
const show = (channel: number) => {
  const i = square.indices.indexOf(channel);
  console.log(
    `${channelName(channel).padEnd(8)} pooled mean ${pooledStats.mean[i].toFixed(2).padStart(8)} std ${pooledStats.std[i].toFixed(2).padStart(7)}` +
      ` | per-image-means mean ${officialStats.mean[i].toFixed(2).padStart(8)} std ${officialStats.std[i].toFixed(2).padStart(7)}`,
  );
};
for (const channel of [0, 1, 9, 64, 128]) show(channel);

// 3. Normalize with the pooled statistics: over the whole set every channel has mean 0 and std 1.
const normalized = cubes.map((cube) => normalizeCube(cube, pooledStats));
const after = createStatisticsAccumulator({ mode: 'pooled', channelIndices: square.indices });
for (const cube of normalized) after.add(cube);
const afterStats = after.result();
const largestMean = Math.max(...afterStats.mean.map(Math.abs));
const largestStdError = Math.max(...afterStats.std.map((s) => Math.abs(s - 1)));
console.log(
  `after pooled normalization: |mean| <= ${largestMean.toExponential(2)}, |std - 1| <= ${largestStdError.toExponential(2)}`,
);

printResult({
  official: official.indices,
  square: square.indices,
  triangle: triangle.indices,
  custom: [...custom.indices],
  cubeShape: [cubes[0].height, cubes[0].width, cubes[0].channels],
  pooled: { mean: pooledStats.mean, std: pooledStats.std, count: pooledStats.count },
  perImageMeans: { mean: officialStats.mean, std: officialStats.std, count: officialStats.count },
  largestMean,
  largestStdError,
});
