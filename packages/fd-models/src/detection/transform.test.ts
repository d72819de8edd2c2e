import '@tensorflow/tfjs-backend-cpu';
import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDifference, readFixture } from './test-fixtures.js';
import { paddedBatchSize, resizedImageSize, resizeTarget, transformImages } from './transform.js';

describe('detection transform', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes torchvision sizes (hand-checked)', () => {
    expect(resizedImageSize(480, 640)).toEqual([800, 1066]);
    // the long side caps the scale: 1333 / 2000
    expect(resizedImageSize(500, 2000)).toEqual([333, 1333]);
    expect(resizedImageSize(1, 1, { minSize: 64, maxSize: 100 })).toEqual([64, 64]);
    expect(
      paddedBatchSize(
        [
          [800, 1066],
          [750, 1333],
        ],
        32,
      ),
    ).toEqual([800, 1344]);
    expect(() => resizedImageSize(0, 5)).toThrow(ArgumentError);
  });

  it('equals GeneralizedRCNNTransform: batch tensor, sizes, resized targets', () => {
    const fixture = readFixture('heads');
    const options = { minSize: 64, maxSize: 100 };
    const images = [0, 1].map((i) =>
      tf.tensor3d(fixture.float(`image.${i}`), fixture.shape(`image.${i}`) as [number, number, number]),
    );
    const before = tf.memory().numTensors;
    const batch = transformImages(images, { ...transformDefaults(), ...options });
    expect(batch.imageSizes).toEqual(fixture.meta.imageSizes);
    expect(batch.images.shape).toEqual(fixture.shape('transform.batch'));
    expect(maxAbsDifference(batch.images.dataSync(), fixture.float('transform.batch'))).toBeLessThan(1e-4);
    batch.images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(images);
    const originals = fixture.meta.originalSizes as [number, number][];
    for (const i of [0, 1]) {
      const [h, w] = originals[i];
      const resized = resizeTarget(
        {
          boxes: fixture.float(`target.${i}.boxes`),
          labels: fixture.int(`target.${i}.labels`),
          masks: fixture.bytes(`target.${i}.masks`),
          maskSize: [h, w],
        },
        [h, w],
        batch.imageSizes[i],
      );
      expect(maxAbsDifference(resized.boxes, fixture.float(`transform.target.${i}.boxes`))).toBeLessThan(
        1e-4,
      );
      expect([...resized.masks]).toEqual([...fixture.bytes(`transform.target.${i}.masks`)]);
    }
  });

  it('rejects non-RGB images and mismatched masks', () => {
    const gray = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    expect(() => transformImages([gray])).toThrow(
      "transformImages: argument 'images' must be a non-empty list of [H, W, 3] tensors, got [4,4,1]",
    );
    gray.dispose();
    const target = {
      boxes: new Float32Array(4),
      labels: Int32Array.from([1]),
      masks: new Uint8Array(10),
      maskSize: [2, 5] as [number, number],
    };
    expect(() => resizeTarget(target, [3, 5], [6, 10])).toThrow(ArgumentError);
  });
});

function transformDefaults() {
  return {
    imageMean: [0.485, 0.456, 0.406] as const,
    imageStd: [0.229, 0.224, 0.225] as const,
    sizeDivisible: 32,
  };
}
