import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassifyError } from '../errors.js';
import { mergeConfig, parseAssignment, readConfigFile, resolveConfig } from './load-config.js';

describe('resolveConfig', () => {
  it('fills every default from an empty config', () => {
    const config = resolveConfig([{}]);
    expect(config.train.epochs).toBe(90);
    expect(config.optimizer).toMatchObject({ kind: 'sgd', learningRate: 0.1, momentum: 0.9 });
    expect(config.input).toMatchObject({ mode: 'rgb', crop: 224, channels: '24' });
    expect(config.data.root).toBeNull();
    expect(config.data.synthetic.classes).toBe(4);
    expect(config.threads).toBe('auto');
  });

  it('takes wasm threads as auto or 1..8', () => {
    expect(resolveConfig([{ threads: 2 }]).threads).toBe(2);
    expect(() => resolveConfig([{ threads: 9 }])).toThrow(/threads/);
    expect(() => resolveConfig([{ threads: 'all' as never }])).toThrow(/threads/);
  });

  it('lets later layers override earlier ones, deeply', () => {
    const config = resolveConfig([
      { train: { epochs: 5, batchSize: 8 }, input: { mode: 'dct' } },
      { train: { epochs: 2 }, input: { channels: [0, 1, 64] } },
    ]);
    expect(config.train).toMatchObject({ epochs: 2, batchSize: 8 });
    expect(config.input).toMatchObject({ mode: 'dct', channels: [0, 1, 64] });
  });

  it('lists every problem with its path and value', () => {
    let error: unknown;
    try {
      resolveConfig(
        [{ train: { epochs: 0, batchSise: 4 }, input: { channels: 'DCT-x' }, optimizer: { kind: 'adam' } }],
        'bad.yaml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClassifyError);
    expect((error as ClassifyError).code).toBe('E_CONFIG');
    const message = (error as Error).message;
    expect(message).toMatch(/^invalid bad.yaml:/);
    expect(message).toContain('train.epochs: Too small: expected number to be >=1 (got 0)');
    expect(message).toContain('"batchSise"');
    expect(message).toContain('input.channels');
    expect(message).toContain('optimizer.kind');
    expect(message).toContain('(got "adam")');
  });
});

describe('config files', () => {
  it('reads YAML and JSON and rejects broken files with the path', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-config-'));
    writeFileSync(join(folder, 'a.yaml'), 'train:\n  epochs: 3\ninput:\n  channels: 24T\n');
    writeFileSync(join(folder, 'b.json'), '{"train": {"epochs": 4}}');
    writeFileSync(join(folder, 'c.json'), '{"train": ');
    writeFileSync(join(folder, 'd.yaml'), '- 1\n- 2\n');
    expect(readConfigFile(join(folder, 'a.yaml'))).toEqual({
      train: { epochs: 3 },
      input: { channels: '24T' },
    });
    expect(readConfigFile(join(folder, 'b.json'))).toEqual({ train: { epochs: 4 } });
    expect(() => readConfigFile(join(folder, 'c.json'))).toThrow(/config file '.*c\.json' is not valid JSON/);
    expect(() => readConfigFile(join(folder, 'd.yaml'))).toThrow(
      /must hold an object at the top level, got an array/,
    );
    expect(() => readConfigFile(join(folder, 'missing.yaml'))).toThrow(
      /config file '.*missing\.yaml' does not exist/,
    );
  });
});

describe('mergeConfig / parseAssignment', () => {
  it('replaces arrays and skips undefined', () => {
    expect(mergeConfig({ a: { b: [1, 2], c: 1 } }, { a: { b: [3], c: undefined } })).toEqual({
      a: { b: [3], c: 1 },
    });
  });

  it('parses dotted assignments with YAML values', () => {
    expect(parseAssignment('train.ema.enabled=true')).toEqual({ train: { ema: { enabled: true } } });
    expect(parseAssignment('schedule.milestones=[2, 4]')).toEqual({ schedule: { milestones: [2, 4] } });
    expect(parseAssignment('name=my-run')).toEqual({ name: 'my-run' });
    expect(() => parseAssignment('novalue')).toThrow("--set expects key.path=value, got 'novalue'");
  });
});
