import { describe, expect, it } from 'vitest';
import { centerCrop } from './crop.js';
import { IMAGENET_DCT_STATS } from './data/official-stats.js';
import { resizeImage } from './resize.js';
import { imageToDctCube } from './sample.js';
import { presetSelection } from './selection.js';
import { smoothRgbImage } from './testing/random.js';
import { classificationValidationTransform, MOBILENET_VALIDATION_OPTIONS } from './transforms.js';

describe('classificationValidationTransform', () => {
  it('equals resize 512 -> centre crop 448 -> upscaled DCT-24 -> ImageNet normalization', () => {
    const image = smoothRgbImage(500, 375, 4);
    const cube = classificationValidationTransform(image);
    expect([cube.height, cube.width, cube.channels]).toEqual([56, 56, 24]);
    expect(Array.from(cube.channelIndices)).toEqual([...presetSelection(24).indices]);
    const resized = resizeImage(image, { width: 682, height: 512 });
    const manual = imageToDctCube(centerCrop(resized, { width: 448, height: 448 }), {
      geometry: 'upscaled',
      selection: 'DCT-24',
      normalization: IMAGENET_DCT_STATS,
    });
    expect(Array.from(cube.data)).toEqual(Array.from(manual.data));
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
