import { describe, expect, it } from 'vitest';
import { centerCrop } from './crop.js';
import { IMAGENET_DCT_STATS } from './data/official-stats.js';
import { resizeImage } from './resize.js';
import { imageToDctCube, resizedImageToDctCube } from './sample.js';
import { presetSelection } from './selection.js';
import { smoothRgbImage } from './testing/random.js';
import { classificationValidationTransform, MOBILENET_VALIDATION_OPTIONS } from './transforms.js';

describe('classificationValidationTransform', () => {
  it('equals resize 512 -> centre crop 448 -> upscaled DCT-24 -> ImageNet normalization', () => {
    const image = smoothRgbImage(500, 375, 4);
    const cube = classificationValidationTransform(image);
    expect([cube.height, cube.width, cube.channels]).toEqual([56, 56, 24]);
    expect(Array.from(cube.channelIndices)).toEqual([...presetSelection(24).indices]);
    const cubeOptions = {
      geometry: 'upscaled',
      selection: 'DCT-24',
      normalization: IMAGENET_DCT_STATS,
    } as const;
    const region = { x: 117, y: 32, width: 448, height: 448 };
    const oneStep = resizedImageToDctCube(image, { width: 682, height: 512, region }, cubeOptions);
    expect(Array.from(cube.data)).toEqual(Array.from(oneStep.data));
    // The 8-bit composition differs by the rounding of the resized pixels only: at most 4 raw, i.e. 4 / std
    // after normalization (the smallest DCT-24 std is above 1).
    const resized = resizeImage(image, { width: 682, height: 512 });
    const composed = imageToDctCube(centerCrop(resized, { width: 448, height: 448 }), cubeOptions);
    let worst = 0;
    for (let i = 0; i < cube.data.length; i++) {
      const std =
        IMAGENET_DCT_STATS.std[IMAGENET_DCT_STATS.channelIndices.indexOf(cube.channelIndices[i % 24])];
      worst = Math.max(worst, Math.abs(cube.data[i] - composed.data[i]) * std);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(4);
  });
  it('gives 112x112 for the MobileNetV2 geometry', () => {
    const cube = classificationValidationTransform(smoothRgbImage(300, 200, 1), {
      ...MOBILENET_VALIDATION_OPTIONS,
      selection: 'DCT-6',
    });
    expect([cube.height, cube.width, cube.channels]).toEqual([112, 112, 6]);
  });
  it('reports bad sizes', () => {
    expect(() =>
      classificationValidationTransform(smoothRgbImage(8, 8, 1), { resize: 100, crop: 200 }),
    ).toThrow(
      "classificationValidationTransform: argument 'options' must have integer resize >= crop > 0, got resize 100, crop 200",
    );
  });
});
