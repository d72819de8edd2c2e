import { ArgumentError } from '@fdl/dct-core';

/**
 * Anchor generation with the semantics of torchvision's `AnchorGenerator`: one anchor size per pyramid
 * level, three aspect ratios, cell anchors centred on zero and rounded (half to even, as `torch.round`),
 * shifted by `stride = floor(image size / feature size)` per level, ordered (row, column, anchor).
 */
export interface AnchorGeneratorOptions {
  /** Anchor sizes per level (torchvision: `((32,), (64,), (128,), (256,), (512,))`). */
  readonly sizes: readonly (readonly number[])[];
  /** Aspect ratios (height / width) per level. */
  readonly aspectRatios: readonly (readonly number[])[];
}

export const DEFAULT_ANCHOR_GENERATOR_OPTIONS: AnchorGeneratorOptions = Object.freeze({
  sizes: Object.freeze([[32], [64], [128], [256], [512]].map((s) => Object.freeze(s))),
  aspectRatios: Object.freeze(Array.from({ length: 5 }, () => Object.freeze([0.5, 1, 2]))),
});

const f = Math.fround;

/** `torch.round`: half to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Zero-centred cell anchors `[ratios * sizes, 4]` (ratio-major, as torchvision's `generate_anchors`).
 */
export function cellAnchors(sizes: readonly number[], aspectRatios: readonly number[]): Float32Array {
  const out = new Float32Array(sizes.length * aspectRatios.length * 4);
  let k = 0;
  for (const ratio of aspectRatios) {
    const heightRatio = f(Math.sqrt(f(ratio)));
    const widthRatio = f(1 / heightRatio);
    for (const size of sizes) {
      const w = f(widthRatio * f(size));
      const h = f(heightRatio * f(size));
      out[k++] = roundHalfEven(f(-w / 2));
      out[k++] = roundHalfEven(f(-h / 2));
      out[k++] = roundHalfEven(f(w / 2));
      out[k++] = roundHalfEven(f(h / 2));
    }
  }
  return out;
}

/** Number of anchors per location for each level. */
export function anchorsPerLocation(
  options: AnchorGeneratorOptions = DEFAULT_ANCHOR_GENERATOR_OPTIONS,
): number[] {
  return options.sizes.map((sizes, level) => sizes.length * options.aspectRatios[level].length);
}

/**
 * All anchors of one image, `[sum_l H_l * W_l * A_l, 4]`, levels concatenated in order.
 *
 * @param imageSize `[height, width]` of the padded batch tensor (torchvision uses the batch shape)
 * @param featureSizes `[height, width]` of each pyramid level
 */
export function generateAnchors(
  imageSize: readonly [number, number],
  featureSizes: readonly (readonly [number, number])[],
  options: AnchorGeneratorOptions = DEFAULT_ANCHOR_GENERATOR_OPTIONS,
): Float32Array {
  if (featureSizes.length !== options.sizes.length || options.aspectRatios.length !== options.sizes.length) {
    throw new ArgumentError(
      'generateAnchors',
      'featureSizes',
      `must have one entry per anchor level (${options.sizes.length}), got ${featureSizes.length} ` +
        `(aspectRatios: ${options.aspectRatios.length})`,
    );
  }
  const cells = featureSizes.map((_, level) =>
    cellAnchors(options.sizes[level], options.aspectRatios[level]),
  );
  let total = 0;
  featureSizes.forEach(([h, w], level) => {
    total += h * w * (cells[level].length / 4);
  });
  const out = new Float32Array(total * 4);
  let k = 0;
  featureSizes.forEach(([gridHeight, gridWidth], level) => {
    const strideY = Math.floor(imageSize[0] / gridHeight);
    const strideX = Math.floor(imageSize[1] / gridWidth);
    const cell = cells[level];
    for (let y = 0; y < gridHeight; y++) {
      for (let x = 0; x < gridWidth; x++) {
        const sx = x * strideX;
        const sy = y * strideY;
        for (let a = 0; a < cell.length; a += 4) {
          out[k++] = sx + cell[a];
          out[k++] = sy + cell[a + 1];
          out[k++] = sx + cell[a + 2];
          out[k++] = sy + cell[a + 3];
        }
      }
    }
  });
  return out;
}
