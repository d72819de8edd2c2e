import type { YcbcrPlanes } from './color.js';
import { ycbcrToRgbUint8 } from './color.js';
import type { DctCube } from './cube.js';
import { validateDctCube } from './cube.js';
import { inverseDctPlane } from './dct.js';
import type { RgbImage } from './image.js';
import { BLOCK_COEFFICIENTS } from './layout.js';
import type { NormalizationStats } from './normalization.js';
import { denormalizeCube } from './normalization.js';

/**
 * Back from a `plain`-geometry cube to Y, Cb, Cr planes [H, W] (H = 8 x cube height): the inverse DCT of
 * each component, with channels the cube does not hold taken as zero (a low-pass view of the image for a
 * selection; exact for all 192). Pass the statistics if the cube was normalized.
 */
export function dctCubeToYcbcr(
  cube: DctCube,
  normalization: NormalizationStats | null = null,
): YcbcrPlanes<Float32Array> {
  validateDctCube('dctCubeToYcbcr', cube);
  const raw = normalization === null ? cube : denormalizeCube(cube, normalization);
  const planes = [0, 1, 2].map((component) => {
    const frequencies: number[] = [];
    let offset = -1;
    raw.channelIndices.forEach((channel, position) => {
      if (Math.floor(channel / BLOCK_COEFFICIENTS) !== component) return;
      if (offset < 0) offset = position;
      frequencies.push(channel % BLOCK_COEFFICIENTS);
    });
    if (frequencies.length === 0) {
      // No channel of this component: a flat mid-grey plane (all coefficients zero).
      return new Float32Array(cube.height * 8 * cube.width * 8).fill(128);
    }
    return inverseDctPlane(raw.data, cube.height, cube.width, { frequencies, stride: raw.channels, offset })
      .data;
  });
  return { y: planes[0], cb: planes[1], cr: planes[2], width: cube.width * 8, height: cube.height * 8 };
}

/** `dctCubeToYcbcr` then JFIF YCbCr -> RGB, rounded and clamped: an 8-bit image of the cube's content. */
export function dctCubeToImage(cube: DctCube, normalization: NormalizationStats | null = null): RgbImage {
  return ycbcrToRgbUint8(dctCubeToYcbcr(cube, normalization));
}
