import {
  ArgumentError,
  type ColorPath,
  centerCropRegion,
  classificationValidationTransform,
  IMAGENET_DCT_STATS,
  type NormalizationStats,
  type ResizeOptions,
  type RgbImage,
  resizedImageToDctCube,
  resizeImage,
  resolveSelection,
  type SelectionSpec,
  shorterSideSize,
} from '@fdl/dct-core';
import { DECODER_NAMES, type DecoderName, type OrientationPolicy } from '../decode/image-decoder.js';
import { Random } from '../random.js';
import {
  DEFAULT_RANDOM_RESIZED_CROP_OPTIONS,
  type RandomResizedCropOptions,
  randomResizedCropRegion,
} from '../transforms/random-resized-crop.js';

/** ImageNet RGB mean and std (torchvision's `Normalize` constants), channel order R, G, B. */
export const IMAGENET_RGB_MEAN: readonly number[] = Object.freeze([0.485, 0.456, 0.406]);
export const IMAGENET_RGB_STD: readonly number[] = Object.freeze([0.229, 0.224, 0.225]);

/** Options of `createClassificationPipeline`. Every field is plain data, so pipelines cross to workers. */
export interface ClassificationPipelineOptions {
  /** `dct`: frequency-domain cube [size/8, size/8, C]; `rgb`: normalized pixels [size, size, 3]. */
  mode: 'rgb' | 'dct';
  /** Training augmentation (random resized crop + flip) or evaluation (resize + centre crop). */
  train: boolean;
  /** Crop size in pixels. Default 448 for `dct` (ResNet-50: 56x56 blocks; 896 for MobileNetV2), 224 for `rgb`. */
  size?: number;
  /** Evaluation only: shorter side before the centre crop. Default size * 8 / 7 (512 for 448, 256 for 224). */
  resize?: number;
  /** DCT geometry: `upscaled` (paper, default) or `plain` (4:4:4, no upscaling). */
  geometry?: 'upscaled' | 'plain';
  /** DCT channels (any @fdl/dct-core `SelectionSpec`); default `DCT-24`. */
  selection?: SelectionSpec;
  /** DCT normalization; default `IMAGENET_DCT_STATS` (the official vectors); null = raw coefficients. */
  normalization?: NormalizationStats | null;
  /** Colour/resampling path of the DCT transform; default `float`. */
  colorPath?: ColorPath;
  /**
   * Resize filter. Default: false for `dct` (OpenCV INTER_LINEAR, as the official DCTNet code), true for
   * `rgb` (PIL / torchvision antialiased bilinear).
   */
  antialias?: boolean;
  /** Training crop sampling; default torchvision's scale (0.08, 1), ratio (3/4, 4/3), 10 attempts. */
  randomResizedCrop?: Partial<RandomResizedCropOptions>;
  /** Training horizontal flip probability; default 0.5. */
  flipProbability?: number;
  /** JPEG decoder; default `auto` (sharp when installed, else fdl when available, else jpeg-js). */
  decoder?: DecoderName;
  /** EXIF orientation policy; default `apply`. */
  orientation?: OrientationPolicy;
}

/** A validated, fully resolved classification pipeline: plain frozen data, safe to post to workers. */
export interface ClassificationPipeline {
  readonly kind: 'classification';
  readonly mode: 'rgb' | 'dct';
  readonly train: boolean;
  readonly size: number;
  readonly resize: number;
  readonly geometry: 'upscaled' | 'plain';
  /** Global DCT channel indices of the output (empty for `rgb`). */
  readonly channelIndices: readonly number[];
  readonly normalization: NormalizationStats | null;
  readonly colorPath: ColorPath;
  readonly antialias: boolean;
  readonly randomResizedCrop: Readonly<RandomResizedCropOptions>;
  readonly flipProbability: number;
  readonly decoder: DecoderName;
  readonly orientation: OrientationPolicy;
  /** [height, width, channels] of every sample. */
  readonly outputShape: readonly [number, number, number];
}

/**
 * Describes the sample transform of a classification run; `DataLoader` executes it (in workers).
 *
 * Training (`train: true`), per sample, with the sample's seeded generator, in this draw order:
 * 1. random resized crop region (torchvision semantics, `randomResizedCropRegion`), resized to
 *    size x size (bilinear, `antialias`);
 * 2. horizontal flip when a uniform draw < `flipProbability`;
 * 3. `dct`: the cube (geometry, selection, normalization); `rgb`: (x / 255 - mean) / std.
 * Evaluation: resize the shorter side to `resize`, centre crop `size`, then step 3.
 * Crop, resize and flip run as one pass: `rgb` through @fdl/dct-core `resizeImage` (8-bit pixels, as
 * torchvision), `dct` through `resizedImageToDctCube` (with float colour the resized pixels are not
 * rounded to 8 bits; `libjpeg` colour rounds them, as the official code).
 */
export function createClassificationPipeline(options: ClassificationPipelineOptions): ClassificationPipeline {
  const name = 'createClassificationPipeline';
  if (options === null || typeof options !== 'object')
    throw new ArgumentError(name, 'options', 'must be an object');
  const { mode, train } = options;
  if (mode !== 'rgb' && mode !== 'dct')
    throw new ArgumentError(name, 'options.mode', `must be 'rgb' or 'dct', got ${String(mode)}`);
  if (typeof train !== 'boolean')
    throw new ArgumentError(name, 'options.train', `must be a boolean, got ${String(train)}`);
  const size = options.size ?? (mode === 'dct' ? 448 : 224);
  const resize = options.resize ?? Math.round((size * 8) / 7);
  const geometry = options.geometry ?? 'upscaled';
  if (!Number.isInteger(size) || size <= 0 || (mode === 'dct' && size % 8 !== 0)) {
    throw new ArgumentError(
      name,
      'options.size',
      `must be a positive integer${mode === 'dct' ? ' multiple of 8' : ''}, got ${size}`,
    );
  }
  if (!Number.isInteger(resize) || resize < size) {
    throw new ArgumentError(name, 'options.resize', `must be an integer >= size ${size}, got ${resize}`);
  }
  if (geometry !== 'upscaled' && geometry !== 'plain') {
    throw new ArgumentError(
      name,
      'options.geometry',
      `must be 'upscaled' or 'plain', got ${String(geometry)}`,
    );
  }
  const flipProbability = options.flipProbability ?? 0.5;
  if (!(flipProbability >= 0 && flipProbability <= 1)) {
    throw new ArgumentError(name, 'options.flipProbability', `must be in [0, 1], got ${flipProbability}`);
  }
  const decoder = options.decoder ?? 'auto';
  if (!DECODER_NAMES.includes(decoder)) {
    throw new ArgumentError(
      name,
      'options.decoder',
      `must be one of ${DECODER_NAMES.join(', ')}, got ${String(decoder)}`,
    );
  }
  const channelIndices = mode === 'dct' ? [...resolveSelection(options.selection ?? 'DCT-24').indices] : [];
  const normalization =
    mode === 'dct'
      ? options.normalization === undefined
        ? IMAGENET_DCT_STATS
        : options.normalization
      : null;
  const outputShape: [number, number, number] =
    mode === 'dct' ? [size / 8, size / 8, channelIndices.length] : [size, size, 3];
  return Object.freeze({
    kind: 'classification',
    mode,
    train,
    size,
    resize,
    geometry,
    channelIndices: Object.freeze(channelIndices),
    normalization,
    colorPath: options.colorPath ?? 'float',
    antialias: options.antialias ?? mode === 'rgb',
    randomResizedCrop: Object.freeze({
      ...DEFAULT_RANDOM_RESIZED_CROP_OPTIONS,
      ...options.randomResizedCrop,
    }),
    flipProbability,
    decoder,
    orientation: options.orientation ?? 'apply',
    outputShape: Object.freeze(outputShape),
  });
}

/**
 * Runs the pixel part of a classification pipeline on a decoded image with the sample's seed.
 * Returns [outputShape] float32 data.
 */
export function transformClassificationImage(
  pipeline: ClassificationPipeline,
  image: RgbImage,
  seed: number,
): Float32Array {
  if (image.width === 0 || image.height === 0) {
    throw new ArgumentError(
      'transformClassificationImage',
      'image',
      `must not be empty, got ${image.width}x${image.height}`,
    );
  }
  const { size } = pipeline;
  const cubeOptions = {
    geometry: pipeline.geometry,
    selection: [...pipeline.channelIndices],
    normalization: pipeline.normalization,
    colorPath: pipeline.colorPath,
  };
  if (!pipeline.train && pipeline.mode === 'dct' && pipeline.geometry === 'upscaled') {
    return classificationValidationTransform(image, {
      resize: pipeline.resize,
      crop: size,
      antialias: pipeline.antialias,
      selection: cubeOptions.selection,
      normalization: pipeline.normalization,
      colorPath: pipeline.colorPath,
    }).data;
  }
  let resize: Partial<ResizeOptions> & Pick<ResizeOptions, 'width' | 'height'>;
  if (pipeline.train) {
    // Draw order: crop region, then flip. Crop, resize and flip run as one pass.
    const random = new Random(seed);
    const inputRegion = randomResizedCropRegion(
      image.width,
      image.height,
      random,
      pipeline.randomResizedCrop,
    );
    const flip = random.next() < pipeline.flipProbability;
    resize = { width: size, height: size, inputRegion, flip };
  } else {
    const resized = shorterSideSize(image.width, image.height, pipeline.resize);
    resize = { ...resized, region: centerCropRegion(resized.width, resized.height, size, size) };
  }
  resize = { ...resize, interpolation: 'bilinear', antialias: pipeline.antialias };
  if (pipeline.mode === 'rgb') return normalizeRgb(resizeImage(image, resize));
  return resizedImageToDctCube(image, resize, cubeOptions).data;
}

/** (x / 255 - mean) / std per channel, NHWC. */
function normalizeRgb(image: RgbImage): Float32Array {
  const out = new Float32Array(image.data.length);
  const scale = IMAGENET_RGB_STD.map((std) => 1 / (255 * std));
  const offset = IMAGENET_RGB_MEAN.map((mean, c) => mean / IMAGENET_RGB_STD[c]!);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = image.data[i]! * scale[0]! - offset[0]!;
    out[i + 1] = image.data[i + 1]! * scale[1]! - offset[1]!;
    out[i + 2] = image.data[i + 2]! * scale[2]! - offset[2]!;
  }
  return out;
}
