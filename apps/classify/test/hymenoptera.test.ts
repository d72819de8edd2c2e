import { SHARED_DATA_MISSING, sharedDataPath, skipNote } from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/load-config.js';
import { openTrainingData, prepareImageBatch } from '../src/data/training-data.js';
import { stepsPerEpoch } from '../src/training/trainer.js';

const root = sharedDataPath('hymenoptera');

describe.skipIf(!root)(`hymenoptera with the paper geometry${skipNote(!root, SHARED_DATA_MISSING)}`, () => {
  it('lists 244 train / 153 val images in two classes (the GIF placeholder is not an image file)', async () => {
    const config = resolveConfig([
      { data: { root }, input: { mode: 'dct', channels: '64' }, train: { batchSize: 16 } },
    ]);
    const data = await openTrainingData(config, root!, [...Array(64).keys()]);
    try {
      expect(data.classes).toEqual(['ants', 'bees']);
      expect([data.trainSize, data.evalSize]).toEqual([244, 153]);
      expect(stepsPerEpoch(config, data.trainSize)).toBe(16);
    } finally {
      await data.close();
    }
  });

  it('turns the 4:4:0 and progressive photographs into 56x56 DCT-24 and 224x224 RGB inputs', async () => {
    const files = [`${root}/train/ants/Nepenthes_rafflesiana_ant.jpg`, `${root}/train/ants/ant photos.jpg`];
    const dct = await prepareImageBatch(
      resolveConfig([{ input: { mode: 'dct', channels: '24' } }]),
      [0, 1, 2, 3],
      files,
    );
    expect(dct.shape).toEqual([2, 56, 56, 4]);
    expect(dct.inputs.every(Number.isFinite)).toBe(true);
    const rgb = await prepareImageBatch(resolveConfig([{}]), null, files);
    expect(rgb.shape).toEqual([2, 224, 224, 3]);
    // ImageNet-normalized pixels stay within (0 - 0.485) / 0.229 .. (1 - 0.406) / 0.225
    const low = rgb.inputs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const high = rgb.inputs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    expect(low).toBeGreaterThanOrEqual(-2.12);
    expect(high).toBeLessThanOrEqual(2.65);
    expect(high - low).toBeGreaterThan(2);
  });
});
