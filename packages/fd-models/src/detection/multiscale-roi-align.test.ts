import { ArgumentError } from '@fdl/dct-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferScale, mapBoxesToLevels, multiScaleRoiAlign } from './multiscale-roi-align.js';
import { maxAbsDifference, readFixture } from './test-fixtures.js';

describe('multiScaleRoiAlign', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('maps hand-checked box sizes to levels', () => {
    // sqrt(area) 224 -> level 4; 112 -> 3; 448 -> 5; 10 -> clamped to 2; 2000 -> clamped to 5
    const boxes = new Float32Array([
      0, 0, 224, 224, 0, 0, 112, 112, 0, 0, 448, 448, 0, 0, 10, 10, 0, 0, 2000, 2000,
    ]);
    expect([...mapBoxesToLevels(boxes, 2, 5)]).toEqual([2, 1, 3, 0, 3]);
    expect(inferScale(25, 100)).toBe(0.25);
    expect(inferScale(13, 100)).toBe(0.125);
  });

  it('equals torchvision MultiScaleRoIAlign (levels exact, values within 1e-4)', () => {
    const fixture = readFixture('multiscale_roi_align');
    const features = [0, 1, 2, 3].map((i) =>
      tf.tensor4d(
        fixture.float(`features.${i}`),
        fixture.shape(`features.${i}`) as [number, number, number, number],
      ),
    );
    const boxes = [fixture.float('boxes.0'), fixture.float('boxes.1')];
    const sizes = fixture.meta.imageSizes as [number, number][];
    const all = new Float32Array([...boxes[0], ...boxes[1]]);
    expect([...mapBoxesToLevels(all, 2, 5)]).toEqual([...fixture.int('levels')]);
    const before = tf.memory().numTensors;
    const pooled = multiScaleRoiAlign(features, boxes, sizes);
    expect(pooled.shape).toEqual([21, 7, 7, 4]);
    expect(maxAbsDifference(pooled.dataSync(), fixture.float('output'))).toBeLessThan(1e-4);
    pooled.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(features);
  });

  it('handles images without boxes and rejects a batch mismatch', () => {
    const map = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    const pooled = multiScaleRoiAlign(
      [map],
      [new Float32Array(0), new Float32Array([0, 0, 8, 8])],
      [
        [16, 16],
        [16, 16],
      ],
    );
    expect(pooled.shape).toEqual([1, 7, 7, 1]);
    expect(maxAbsDifference(pooled.dataSync(), new Float32Array(49).fill(1))).toBeLessThan(1e-6);
    expect(() => multiScaleRoiAlign([map], [new Float32Array(0)], [[16, 16]])).toThrow(ArgumentError);
    tf.dispose([map, pooled]);
  });
});
