import { centerCropRegion } from './crop.js';
import type { DctCube } from './cube.js';
import { IMAGENET_DCT_STATS } from './data/official-stats.js';
import { ArgumentError } from './errors.js';
import type { RgbImage } from './image.js';
import { validateRgbImage } from './image.js';
import type { NormalizationStats } from './normalization.js';
import { shorterSideSize } from './resize.js';
import type { ColorPath } from './sample.js';
import { resizedImageToDctCube } from './sample.js';
import type { SelectionSpec } from './selection.js';

export interface ClassificationTransformOptions {
  /** Shorter side after resizing (paper: 512 ResNet-50, 1024 MobileNetV2). */
  resize: number;
  /** Square centre crop (paper: 448 -> 56x56 blocks, 896 -> 112x112). */
  crop: number;
  /** Resize filter: false = OpenCV INTER_LINEAR as the official code; true = PIL/torchvision antialias. */
  antialias: boolean;
  selection: SelectionSpec;
  normalization: NormalizationStats | null;
  colorPath: ColorPath;
}

/** The paper's ResNet-50 validation transform: 512 / 448, upscaled chroma, DCT-24, ImageNet statistics. */
export const RESNET_VALIDATION_OPTIONS: Readonly<ClassificationTransformOptions> = Object.freeze({
  resize: 512,
  crop: 448,
  antialias: false,
  selection: 'DCT-24',
  normalization: IMAGENET_DCT_STATS,
  colorPath: 'float',
});

/** The paper's MobileNetV2 validation transform: 1024 / 896, otherwise as ResNet-50. */
export const MOBILENET_VALIDATION_OPTIONS: Readonly<ClassificationTransformOptions> = Object.freeze({
  ...RESNET_VALIDATION_OPTIONS,
  resize: 1024,
  crop: 896,
});

/**
 * The classification validation sample transform: resize the shorter side to `resize`, centre crop
 * `crop` x `crop`, then the `upscaled` geometry DCT of the selected channels, normalized, all in one
 * pass (`resizedImageToDctCube`: only the crop window is resampled; with float colour the resized
 * pixels are not rounded to 8 bits). Returns [crop/8, crop/8, C].
 */
export function classificationValidationTransform(
  image: RgbImage,
  options: Partial<ClassificationTransformOptions> = {},
): DctCube {
  validateRgbImage('classificationValidationTransform', image);
  const settings = { ...RESNET_VALIDATION_OPTIONS, ...options };
  const { resize, crop } = settings;
  if (!Number.isInteger(resize) || !Number.isInteger(crop) || crop <= 0 || resize < crop) {
    throw new ArgumentError(
      'classificationValidationTransform',
      'options',
      `must have integer resize >= crop > 0, got resize ${resize}, crop ${crop}`,
    );
  }
  if (image.width === 0 || image.height === 0) {
    throw new ArgumentError(
      'classificationValidationTransform',
      'image',
      `must not be empty, got ${image.width}x${image.height}`,
    );
  }
  const size = shorterSideSize(image.width, image.height, resize);
  const region = centerCropRegion(size.width, size.height, crop, crop);
  return resizedImageToDctCube(
    image,
    { ...size, interpolation: 'bilinear', antialias: settings.antialias, region },
    {
      geometry: 'upscaled',
      selection: settings.selection,
      normalization: settings.normalization,
      colorPath: settings.colorPath,
    },
  );
}
