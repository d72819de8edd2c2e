import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfigFile, resolveConfig } from '../config/load-config.js';
import { DEMO_REAL_DEFAULTS, DEMO_SYNTHETIC_DEFAULTS, variantInput } from './demo.js';

describe('demo settings', () => {
  it('maps variant names onto input settings', () => {
    expect(variantInput('rgb')).toEqual({ mode: 'rgb' });
    expect(variantInput('dct-64')).toEqual({ mode: 'dct', channels: '64' });
    expect(variantInput('dct-24T')).toEqual({ mode: 'dct', channels: '24T' });
    expect(() => variantInput('jpeg')).toThrow("demo --variants: 'jpeg' must be 'rgb' or 'dct-<selection>'");
  });

  it('ships defaults and a hymenoptera config that validate', () => {
    expect(resolveConfig([DEMO_SYNTHETIC_DEFAULTS]).model.baseWidth).toBe(16);
    expect(resolveConfig([DEMO_REAL_DEFAULTS]).input.dctCrop).toBe(448);
    const file = fileURLToPath(new URL('../../configs/hymenoptera.yaml', import.meta.url));
    const config = resolveConfig([readConfigFile(file)], file);
    expect(config.input).toMatchObject({ crop: 224, dctCrop: 448 });
    expect(config.model).toMatchObject({ architecture: 'resnet18', baseWidth: 32 });
    expect(config.train.epochs).toBe(12);
  });
});
