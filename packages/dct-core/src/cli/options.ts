import { InvalidArgumentError } from 'commander';
import type { DctCube } from '../cube.js';
import { COCO_DCT_STATS, IMAGENET_DCT_STATS } from '../data/official-stats.js';
import type { RgbImage } from '../image.js';
import type { NormalizationStats } from '../normalization.js';
import type { ColorPath } from '../sample.js';
import { imageToDctCube } from '../sample.js';
import type { ChannelSelection } from '../selection.js';
import { resolveSelection } from '../selection.js';
import {
  classificationValidationTransform,
  MOBILENET_VALIDATION_OPTIONS,
  RESNET_VALIDATION_OPTIONS,
} from '../transforms.js';

/** CLI geometries: the paper's two classification transforms, or the image as it is. */
export const CLI_GEOMETRIES = ['resnet', 'mobilenet', 'plain', 'detection'] as const;
export type CliGeometry = (typeof CLI_GEOMETRIES)[number];
export const CLI_NORMALIZATIONS = ['auto', 'imagenet', 'coco', 'none'] as const;
export type CliNormalization = (typeof CLI_NORMALIZATIONS)[number];

export function parseChoice<T extends string>(choices: readonly T[], name: string): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}, got '${value}'`);
    }
    return value as T;
  };
}

export function parseSelection(value: string): ChannelSelection {
  try {
    return resolveSelection(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export interface TransformChoice {
  geometry: CliGeometry;
  selection: ChannelSelection;
  normalize: CliNormalization;
  colorPath: ColorPath;
  antialias: boolean;
}

/** `auto`: ImageNet statistics for the classification geometries, COCO for detection, none for plain. */
export function statsFor(geometry: CliGeometry, normalize: CliNormalization): NormalizationStats | null {
  if (normalize === 'imagenet') return IMAGENET_DCT_STATS;
  if (normalize === 'coco') return COCO_DCT_STATS;
  if (normalize === 'none') return null;
  return geometry === 'plain' ? null : geometry === 'detection' ? COCO_DCT_STATS : IMAGENET_DCT_STATS;
}

/** Runs the chosen sample transform on an image. */
export function runTransform(image: RgbImage, choice: TransformChoice): DctCube {
  const normalization = statsFor(choice.geometry, choice.normalize);
  if (choice.geometry === 'resnet' || choice.geometry === 'mobilenet') {
    const base = choice.geometry === 'resnet' ? RESNET_VALIDATION_OPTIONS : MOBILENET_VALIDATION_OPTIONS;
    return classificationValidationTransform(image, {
      ...base,
      selection: choice.selection,
      normalization,
      colorPath: choice.colorPath,
      antialias: choice.antialias,
    });
  }
  return imageToDctCube(image, {
    geometry: choice.geometry,
    selection: choice.selection,
    normalization,
    colorPath: choice.colorPath,
  });
}
