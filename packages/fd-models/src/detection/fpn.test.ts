import { ArgumentError } from '@fdl/dct-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore, Scope } from '../nn/parameter-store.js';
import { readStateDict, writeStateDict } from '../state-dict.js';
import { FeaturePyramid } from './fpn.js';
import { fixtureStateDict, maxAbsDifference, readFixture } from './test-fixtures.js';
import { nearestIndices, upsampleNearest } from './upsample.js';

describe('FeaturePyramid', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('uses torchvision state_dict names and shapes', () => {
    const store = new ParameterStore();
    new FeaturePyramid(new Scope(store, 'backbone.fpn', 0));
    const names = store.list().map((entry) => `${entry.name} [${entry.torchShape}]`);
    expect(names[0]).toBe('backbone.fpn.inner_blocks.0.0.weight [256,256,1,1]');
    expect(names).toContain('backbone.fpn.inner_blocks.3.0.weight [256,2048,1,1]');
    expect(names).toContain('backbone.fpn.layer_blocks.3.0.bias [256]');
    expect(names.length).toBe(16);
    store.dispose();
  });

  it('equals torchvision FeaturePyramidNetwork outputs (odd sizes, P6) within 1e-4', () => {
    const fixture = readFixture('fpn');
    const store = new ParameterStore();
    const fpn = new FeaturePyramid(new Scope(store, 'backbone.fpn', 0), {
      inChannels: [8, 16, 32, 64],
      outChannels: 16,
    });
    writeStateDict(store, fixtureStateDict(fixture, 'backbone.fpn.'));
    expect(Object.keys(readStateDict(store)).length).toBe(16);
    const inputs = ['c2', 'c3', 'c4', 'c5'].map((name) =>
      tf.tensor4d(
        fixture.float(`input.${name}`),
        fixture.shape(`input.${name}`) as [number, number, number, number],
      ),
    );
    const before = tf.memory().numTensors;
    const outputs = fpn.forward(inputs);
    const names = ['0', '1', '2', '3', 'pool'];
    outputs.forEach((output, i) => {
      expect(output.shape).toEqual(fixture.shape(`output.${names[i]}`));
      expect(maxAbsDifference(output.dataSync(), fixture.float(`output.${names[i]}`))).toBeLessThan(1e-4);
    });
    tf.dispose(outputs);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
    store.dispose();
  });

  it('upsamples with torch nearest indices, including non-2x sizes', () => {
    expect([...nearestIndices(7, 13)]).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    const fixture = readFixture('fpn');
    const small = tf.tensor4d(fixture.float('nearest.input'), [1, 3, 5, 1]);
    const big = upsampleNearest(small, [7, 12]);
    expect([...big.dataSync()]).toEqual([...fixture.float('nearest.output')]);
    const one = upsampleNearest(tf.tensor4d([5], [1, 1, 1, 1]), [2, 1]);
    expect([...one.dataSync()]).toEqual([5, 5]);
    tf.dispose([small, big, one]);
  });

  it('rejects feature maps that do not fit', () => {
    const store = new ParameterStore();
    const fpn = new FeaturePyramid(new Scope(store, 'fpn', 0), { inChannels: [4, 8], outChannels: 4 });
    const wrong = [tf.zeros([1, 4, 4, 4]) as tf.Tensor4D, tf.zeros([1, 2, 2, 4]) as tf.Tensor4D];
    expect(() => fpn.forward(wrong)).toThrow(ArgumentError);
    expect(() => fpn.forward(wrong)).toThrow('got shapes [1,4,4,4], [1,2,2,4]');
    tf.dispose(wrong);
    store.dispose();
  });
});
