import { FdlError } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import * as datasets from './index.js';

describe('@fdl/datasets public API', () => {
  it('exports the names other packages call', () => {
    const functions = [
      'openImageFolder',
      'openImageNetValidation',
      'saveClassIndex',
      'loadClassIndex',
      'createClassificationPipeline',
      'createDetectionPipeline',
      'loadCocoDataset',
      'decodeMask',
      'encodeRle',
      'computeDatasetStatistics',
      'computeDetectionStatistics',
      'createDecoderSet',
      'decodeImage',
      'randomResizedCropRegion',
      'keepRatioSize',
      'padToMultiple',
    ] as const;
    const exported: Record<string, unknown> = { ...datasets };
    for (const name of functions) expect(typeof exported[name], name).toBe('function');
    expect(typeof datasets.DataLoader).toBe('function');
    expect(new datasets.DatasetError('corrupt', '/x.jpg', 'broken')).toBeInstanceOf(FdlError);
    expect(Object.isFrozen(datasets.DEFAULT_DATA_LOADER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(datasets.IMAGE_FOLDER_EXTENSIONS)).toBe(true);
  });

  it('formats DatasetError messages with reason and path', () => {
    const error = new datasets.DatasetError('unsupported', '/data/a.jpg', 'decodeImage: not an image');
    expect(error.message).toBe('decodeImage: not an image (unsupported: /data/a.jpg)');
    expect([error.code, error.reason, error.path, error.problem]).toEqual([
      'E_DATASET',
      'unsupported',
      '/data/a.jpg',
      'decodeImage: not an image',
    ]);
    expect(error.details).toMatchObject({ reason: 'unsupported', path: '/data/a.jpg' });
    expect(new datasets.DatasetError('empty', null, 'no classes').message).toBe('no classes');
  });
});
