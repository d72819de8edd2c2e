/**
 * Your first DCT cube: build an RGB image in code, turn it into the 192-channel cube of the paper and
 * read a few coefficients back.
 *
 *   node --conditions=@fdl/source --import tsx docs/examples/first-cube.ts
 */
import { channelIndex, channelName, createRgbImage, imageToDctCube } from '@fdl/dct-core';
import { printResult } from './print-result.js';

// A 64 x 48 image made of flat 8x8 grey tiles (tile value 16 * (row + column)), except one tile in the
// top-right corner, which holds a vertical stripe pattern in pure red and green.
const width = 64;
const height = 48;
const image = createRgbImage(width, height);
for (let y = 0; y < height; y++) {
  for (let x = 0; x < width; x++) {
    const offset = (y * width + x) * 3;
    const blockRow = Math.floor(y / 8);
    const blockColumn = Math.floor(x / 8);
    if (blockRow === 0 && blockColumn === 7) {
      const red = x % 2 === 0;
      image.data.set(red ? [255, 0, 0] : [0, 255, 0], offset);
    } else {
      const grey = 16 * (blockRow + blockColumn);
      image.data.set([grey, grey, grey], offset);
    }
  }
}

// 'plain' geometry: every component at full resolution, no normalization: raw orthonormal DCT-II of
// (sample - 128). The cube is [H/8, W/8, 192], channels last.
const cube = imageToDctCube(image, { geometry: 'plain' });
console.log(`image ${width} x ${height} x 3 -> cube ${cube.height} x ${cube.width} x ${cube.channels}`);

/** One coefficient: block (row, column), channel = component * 64 + u * 8 + v. */
function coefficient(row: number, column: number, channel: number): number {
  const position = cube.channelIndices.indexOf(channel);
  return cube.data[(row * cube.width + column) * cube.channels + position];
}

// A flat grey tile g has Y = g and Cb = Cr = 128, so its only non-zero coefficient is the luma DC:
// 8 * (g - 128). Tile (2, 3) is grey 80 -> DC = 8 * (80 - 128) = -384.
const yDc = channelIndex(0, 0, 0);
const greyTileDc = coefficient(2, 3, yDc);
console.log(`${channelName(yDc)} of tile (2, 3), grey 80: ${greyTileDc.toFixed(3)} (expected -384)`);

// The stripe tile alternates columns, so its energy sits in the highest horizontal frequency v = 7.
const stripeEnergy = [0, 1, 2].map((component) => {
  let total = 0;
  for (let u = 0; u < 8; u++)
    for (let v = 0; v < 8; v++) total += coefficient(0, 7, channelIndex(component, u, v)) ** 2;
  return total;
});
const yHighest = coefficient(0, 7, channelIndex(0, 0, 7));
console.log(`stripe tile ${channelName(channelIndex(0, 0, 7))}: ${yHighest.toFixed(3)}`);
console.log(`stripe tile energy Y / Cb / Cr: ${stripeEnergy.map((e) => e.toFixed(1)).join(' / ')}`);

printResult({
  cubeShape: [cube.height, cube.width, cube.channels],
  greyTileDc,
  stripeDc: coefficient(0, 7, yDc),
  stripeYHighest: yHighest,
  stripeEnergy,
  rgbBytes: width * height * 3,
  cubeFloats: cube.data.length,
});
