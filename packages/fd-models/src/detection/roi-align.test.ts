import { ArgumentError } from '@fdl/dct-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { roiAlign, roiAlignBackward, roiAlignForward } from './roi-align.js';
import { maxAbsDifference, readFixture } from './test-fixtures.js';

describe('roiAlign', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('averages a constant map exactly and interpolates a ramp (hand-checked)', () => {
    const constant = new Float32Array(4 * 4).fill(3);
    const options = {
      outputSize: [2, 2] as [number, number],
      spatialScale: 1,
      samplingRatio: 2,
      aligned: false,
    };
    expect([...roiAlignForward(constant, [1, 4, 4, 1], new Float32Array([0, 0, 0, 3, 3]), options)]).toEqual([
      3, 3, 3, 3,
    ]);
    // ramp f(y, x) = x; aligned box [0.5, 0.5, 2.5, 2.5] -> sample x in [0, 2], bin centres at x = 0.5 and 1.5
    const ramp = Float32Array.from({ length: 16 }, (_, i) => i % 4);
    const out = roiAlignForward(ramp, [1, 4, 4, 1], new Float32Array([0, 0.5, 0.5, 2.5, 2.5]), {
      ...options,
      aligned: true,
    });
    expect([...out]).toEqual([0.5, 1.5, 0.5, 1.5]);
  });

  it('matches torchvision roi_align forward within 1e-4 and its backward within 1e-4', () => {
    const fixture = readFixture('roi_align');
    const features = fixture.float('features');
    const shape = fixture.shape('features') as [number, number, number, number];
    const rois = fixture.float('rois');
    const cases = fixture.meta.cases as {
      name: string;
      aligned: boolean;
      samplingRatio: number;
      outputHeight: number;
      outputWidth: number;
      spatialScale: number;
    }[];
    expect(cases.length).toBe(12);
    for (const c of cases) {
      const options = {
        outputSize: [c.outputHeight, c.outputWidth] as [number, number],
        spatialScale: c.spatialScale,
        samplingRatio: c.samplingRatio,
        aligned: c.aligned,
      };
      expect(
        maxAbsDifference(roiAlignForward(features, shape, rois, options), fixture.float(`${c.name}.output`)),
      ).toBeLessThan(1e-4);
      const grad = roiAlignBackward(fixture.float(`${c.name}.upstream`), shape, rois, options);
      expect(maxAbsDifference(grad, fixture.float(`${c.name}.grad`))).toBeLessThan(1e-4);
    }
  });

  it('differentiates on the wasm backend too', async () => {
    await tf.setBackend('wasm');
    try {
      const fixture = readFixture('roi_align');
      const shape = fixture.shape('features') as [number, number, number, number];
      const options = {
        outputSize: [5, 4] as [number, number],
        spatialScale: 0.5,
        samplingRatio: 0,
        aligned: false,
      };
      const features = tf.tensor4d(fixture.float('features'), shape);
      const upstream = tf.tensor4d(fixture.float('a0_s0_5x4_0.5.upstream'), [7, 5, 4, 3]);
      const gradient = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(roiAlign(x as tf.Tensor4D, fixture.float('rois'), options), upstream)),
      )(features);
      expect(tf.getBackend()).toBe('wasm');
      expect(maxAbsDifference(gradient.dataSync(), fixture.float('a0_s0_5x4_0.5.grad'))).toBeLessThan(1e-4);
      tf.dispose([features, upstream, gradient]);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('differentiates through tf.grad and does not leak tensors', () => {
    const fixture = readFixture('roi_align');
    const shape = fixture.shape('features') as [number, number, number, number];
    const options = {
      outputSize: [7, 7] as [number, number],
      spatialScale: 1,
      samplingRatio: 2,
      aligned: true,
    };
    const before = tf.memory().numTensors;
    const features = tf.tensor4d(fixture.float('features'), shape);
    const upstream = tf.tensor4d(fixture.float('a1_s2_7x7_1.0.upstream'), [7, 7, 7, 3]);
    const gradient = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(roiAlign(x as tf.Tensor4D, fixture.float('rois'), options), upstream)),
    )(features);
    expect(maxAbsDifference(gradient.dataSync(), fixture.float('a1_s2_7x7_1.0.grad'))).toBeLessThan(1e-4);
    tf.dispose([features, upstream, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('returns empty output for zero rois and names bad arguments', () => {
    const options = {
      outputSize: [2, 2] as [number, number],
      spatialScale: 1,
      samplingRatio: 0,
      aligned: false,
    };
    expect(roiAlignForward(new Float32Array(4), [1, 2, 2, 1], new Float32Array(0), options).length).toBe(0);
    expect(() => roiAlignForward(new Float32Array(4), [1, 2, 2, 1], new Float32Array(4), options)).toThrow(
      ArgumentError,
    );
    expect(() =>
      roiAlignForward(new Float32Array(4), [1, 2, 2, 1], new Float32Array([3, 0, 0, 1, 1]), options),
    ).toThrow('row 0 has batch index 3, features have batch 1');
  });
});
