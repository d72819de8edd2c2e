import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightsError } from './errors.js';
import { createResNet } from './resnet.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import { toFloat32 } from './state-dict.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small = (seed: number) => createResNet({ architecture: 'resnet18', baseWidth: 2, numClasses: 3, seed });

describe('stateDict / loadStateDict', () => {
  it('uses torchvision names and torch shapes', () => {
    const model = small(1);
    const state = model.stateDict();
    expect(state['conv1.weight'].shape).toEqual([2, 3, 7, 7]);
    expect(state['layer2.0.downsample.0.weight'].shape).toEqual([4, 2, 1, 1]);
    expect(state['layer1.0.bn1.running_var'].shape).toEqual([2]);
    expect(state['fc.weight'].shape).toEqual([3, 16]);
    expect(Object.keys(state).slice(0, 6)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'layer1.0.conv1.weight',
    ]);
    expect([...model.variables().keys()]).toEqual(Object.keys(state));
    model.dispose();
  });

  it('checkpoint round trip through safetensors is bit-exact and reproduces the outputs', () => {
    const a = small(1);
    const b = small(2);
    const bytes = saveSafetensors(a.stateDict());
    b.loadStateDict(loadSafetensors(bytes));
    expect(Array.from(saveSafetensors(b.stateDict()))).toEqual(Array.from(bytes));
    const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const ya = a.forward(x).logits;
    const yb = b.forward(x).logits;
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
  });

  it('is seeded: same seed, same weights; different seed, different weights', () => {
    const [a, b, c] = [small(3), small(3), small(4)];
    const w = (m: typeof a) => Array.from(toFloat32(m.stateDict()['layer1.0.conv1.weight']));
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    for (const m of [a, b, c]) m.dispose();
  });

  it('reports missing and unexpected names (strict) and leaves the network unchanged', () => {
    const model = small(1);
    const before = model.stateDict();
    const record = {
      ...before,
      'extra.weight': before['fc.bias'],
      'bn1.num_batches_tracked': before['fc.bias'],
    };
    delete (record as Record<string, unknown>)['fc.weight'];
    let error: unknown;
    try {
      model.loadStateDict(record);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as WeightsError).code).toBe('E_STATE_DICT');
    expect((error as Error).message).toBe(
      "ResNet.loadStateDict: argument 'record' does not match the network: missing 1 name(s): 'fc.weight'; unexpected 1 name(s): 'extra.weight'",
    );
    const report = model.loadStateDict(record, { strict: false });
    expect(report.missing).toEqual(['fc.weight']);
    expect(report.unexpected).toEqual(['extra.weight']);
    expect(report.loaded.length).toBe(Object.keys(before).length - 1);
    model.dispose();
  });

  it('rejects shape mismatches even when not strict', () => {
    const model = small(1);
    const record = model.stateDict();
    record['fc.weight'] = { dtype: 'F32', shape: [16, 3], data: new Float32Array(48) };
    expect(() => model.loadStateDict(record, { strict: false })).toThrow(
      "ResNet.loadStateDict: argument 'record' has shape mismatches: 'fc.weight' has shape [16,3] but the network expects [3,16]",
    );
    model.dispose();
  });

  it('accepts F16 and F64 checkpoints (converted to float32)', () => {
    const model = small(1);
    const record = model.stateDict();
    const bias = record['fc.bias'];
    record['fc.bias'] = { dtype: 'F16', shape: bias.shape, data: new Uint16Array([0x3c00, 0xc000, 0x3800]) };
    record['bn1.weight'] = { dtype: 'F64', shape: [2], data: new Float64Array([0.25, 4]) };
    model.loadStateDict(record);
    const state = model.stateDict();
    expect(Array.from(state['fc.bias'].data as Float32Array)).toEqual([1, -2, 0.5]);
    expect(Array.from(state['bn1.weight'].data as Float32Array)).toEqual([0.25, 4]);
    model.dispose();
  });
});
