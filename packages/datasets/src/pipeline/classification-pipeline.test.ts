import {
  flipHorizontal,
  IMAGENET_DCT_STATS,
  imageToDctCube,
  resizedImageToDctCube,
  resizeImage,
} from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import {
  createClassificationPipeline,
  IMAGENET_RGB_MEAN,
  IMAGENET_RGB_STD,
  transformClassificationImage,
} from './classification-pipeline.js';

function constantImage(width: number, height: number, rgb: [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { data, width, height };
}

function gradientImage(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.set([(x * 7) % 256, (y * 5) % 256, (x * y) % 256], (y * width + x) * 3);
  return { data, width, height };
}

describe('createClassificationPipeline', () => {
  it('resolves the paper defaults', () => {
    const dct = createClassificationPipeline({ mode: 'dct', train: true });
    expect([dct.size, dct.resize, dct.geometry, dct.antialias, dct.flipProbability]).toEqual([
      448,
      512,
      'upscaled',
      false,
      0.5,
    ]);
    expect(dct.outputShape).toEqual([56, 56, 24]);
    expect(dct.normalization).toBe(IMAGENET_DCT_STATS);
    expect(createClassificationPipeline({ mode: 'dct', train: false, size: 896 }).outputShape).toEqual([
      112, 112, 24,
    ]);
    const rgb = createClassificationPipeline({ mode: 'rgb', train: false });
    expect([rgb.size, rgb.resize, rgb.antialias, rgb.outputShape]).toEqual([224, 256, true, [224, 224, 3]]);
    expect(structuredClone(dct)).toEqual(dct);
  });

  it('names the bad option', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    expect(() => createClassificationPipeline({ mode: 'hsv' as any, train: true })).toThrow(
      /createClassificationPipeline: argument 'options.mode' must be 'rgb' or 'dct', got hsv/,
    );
    expect(() => createClassificationPipeline({ mode: 'dct', train: true, size: 100 })).toThrow(
      /multiple of 8, got 100/,
    );
    expect(() => createClassificationPipeline({ mode: 'dct', train: false, size: 448, resize: 400 })).toThrow(
      /must be an integer >= size 448, got 400/,
    );
    expect(() => createClassificationPipeline({ mode: 'dct', train: true, selection: 'DCT-25' })).toThrow(
      /resolveSelection/,
    );
  });
});

describe('transformClassificationImage', () => {
  it('gives the hand-computed DC of a constant image and zero AC', () => {
    // Grey 128 + 8 in every channel: Y = 136, Cb = Cr = 128 -> DC_Y = 8 * (136 - 128) = 64, all else 0.
    const pipeline = createClassificationPipeline({
      mode: 'dct',
      train: true,
      size: 16,
      normalization: null,
    });
    const out = transformClassificationImage(pipeline, constantImage(30, 20, [136, 136, 136]), 5);
    expect(out).toHaveLength(2 * 2 * 24);
    for (let cell = 0; cell < 4; cell++) {
      expect(out[cell * 24]).toBeCloseTo(64, 3);
      for (let c = 1; c < 24; c++) expect(Math.abs(out[cell * 24 + c]!)).toBeLessThan(1e-3);
    }
  });

  it('normalizes RGB with the ImageNet constants', () => {
    const pipeline = createClassificationPipeline({ mode: 'rgb', train: false, size: 4, resize: 4 });
    const out = transformClassificationImage(pipeline, constantImage(9, 5, [255, 0, 51]), 0);
    expect(out[0]).toBeCloseTo((1 - IMAGENET_RGB_MEAN[0]!) / IMAGENET_RGB_STD[0]!, 5);
    expect(out[1]).toBeCloseTo(-IMAGENET_RGB_MEAN[1]! / IMAGENET_RGB_STD[1]!, 5);
    expect(out[2]).toBeCloseTo((0.2 - IMAGENET_RGB_MEAN[2]!) / IMAGENET_RGB_STD[2]!, 5);
  });

  it('equals dct-core resize + flip + cube in one pass when the crop is the whole image', () => {
    const image = gradientImage(40, 40);
    const pipeline = createClassificationPipeline({
      mode: 'dct',
      train: true,
      size: 32,
      selection: 'DCT-64',
      randomResizedCrop: { scale: [1, 1], ratio: [1, 1] },
      flipProbability: 1,
    });
    const expected = resizedImageToDctCube(
      image,
      { width: 32, height: 32, interpolation: 'bilinear', antialias: false, flip: true },
      { geometry: 'upscaled', selection: 'DCT-64', normalization: IMAGENET_DCT_STATS },
    );
    expect(Array.from(transformClassificationImage(pipeline, image, 123))).toEqual(Array.from(expected.data));
    // The same as flipping the 8-bit resized image, up to the rounding of resized pixels.
    const composed = imageToDctCube(
      flipHorizontal(
        resizeImage(image, { width: 32, height: 32, interpolation: 'bilinear', antialias: false }),
      ),
      { geometry: 'upscaled', selection: 'DCT-64', normalization: IMAGENET_DCT_STATS },
    );
    // At most 4 raw (half a level per RGB sample through an orthonormal 8x8 basis), i.e. 4 / std.
    const out = transformClassificationImage(pipeline, image, 123);
    const { channelIndices, std } = IMAGENET_DCT_STATS;
    for (let i = 0; i < out.length; i++) {
      const channel = composed.channelIndices[i % composed.channels]!;
      const difference = Math.abs(out[i]! - composed.data[i]!) * std[channelIndices.indexOf(channel)]!;
      expect(difference).toBeLessThanOrEqual(4);
    }
  });

  it('is a function of the seed only', () => {
    const image = gradientImage(64, 48);
    const pipeline = createClassificationPipeline({ mode: 'dct', train: true, size: 16 });
    const a = transformClassificationImage(pipeline, image, 1);
    expect(Array.from(transformClassificationImage(pipeline, image, 1))).toEqual(Array.from(a));
    expect(Array.from(transformClassificationImage(pipeline, image, 2))).not.toEqual(Array.from(a));
    const evaluation = createClassificationPipeline({ mode: 'dct', train: false, size: 16 });
    expect(Array.from(transformClassificationImage(evaluation, image, 1))).toEqual(
      Array.from(transformClassificationImage(evaluation, image, 2)),
    );
  });

  it('handles a 1x1 image and rejects an empty one', () => {
    const pipeline = createClassificationPipeline({ mode: 'dct', train: true, size: 8, normalization: null });
    expect(transformClassificationImage(pipeline, constantImage(1, 1, [128, 128, 128]), 0)[0]).toBeCloseTo(
      0,
      4,
    );
    expect(() => transformClassificationImage(pipeline, constantImage(0, 3, [0, 0, 0]), 0)).toThrow(
      /must not be empty, got 0x3/,
    );
  });
});
