import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from './classifier.js';
import { loadClassifier, saveClassifier } from './classifier-checkpoint.js';
import { saveSafetensors } from './safetensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('saveClassifier / loadClassifier', () => {
  it('round-trips a gated DCT network: same options, bit-identical weights, same outputs', () => {
    const model = createClassifier({
      architecture: 'resnet18',
      baseWidth: 2,
      numClasses: 3,
      input: { kind: 'dct', channels: 6 },
      variant: 'official',
      gate: { seed: 2 },
      seed: 8,
    });
    const bytes = saveClassifier(model);
    const loaded = loadClassifier(bytes);
    expect(loaded.getConfig()).toMatchObject({
      architecture: 'resnet18',
      variant: 'official',
      input: { kind: 'dct', channels: 6 },
    });
    expect(Array.from(saveClassifier(loaded))).toEqual(Array.from(bytes));
    const x = tf.randomNormal([2, 8, 8, 6], 0, 1, 'float32', 3) as tf.Tensor4D;
    const a = model.forward(x);
    const b = loaded.forward(x);
    expect(Array.from(b.logits.dataSync())).toEqual(Array.from(a.logits.dataSync()));
    tf.dispose([x, a.logits, b.logits, a.gate!.mask, a.gate!.probabilities, a.gate!.logits]);
    tf.dispose([b.gate!.mask, b.gate!.probabilities, b.gate!.logits]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects files without options and weights that do not fit overridden options', () => {
    expect(() => loadClassifier(saveSafetensors({}))).toThrow(
      "loadClassifier: argument 'bytes' has no 'options' metadata",
    );
    const model = createClassifier({ architecture: 'resnet18', baseWidth: 2, numClasses: 3 });
    const bytes = saveClassifier(model);
    const before = tf.memory().numTensors;
    expect(() => loadClassifier(bytes, { numClasses: 4 })).toThrow(
      "'fc.weight' has shape [3,16] but the network expects [4,16]",
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
