import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addConfigOptions, configFromOptions, parseChannels } from './config-flags.js';

function parse(argv: string[]) {
  const command = addConfigOptions(new Command('train').exitOverride());
  command.parse(argv, { from: 'user' });
  return command.opts();
}

describe('config flags', () => {
  it('map onto config fields with their types', () => {
    const config = configFromOptions(
      parse([
        '--mode',
        'dct',
        '--channels',
        '0,1,64',
        '--epochs',
        '3',
        '--lr',
        '0.05',
        '--arch',
        'resnet18',
        '--no-progress',
      ]),
    );
    expect(config.input.mode).toBe('dct');
    expect(config.input.channels).toEqual([0, 1, 64]);
    expect(config.train.epochs).toBe(3);
    expect(config.optimizer.learningRate).toBe(0.05);
    expect(config.model.architecture).toBe('resnet18');
    expect(config.train.progress).toBe(false);
  });

  it('--gate switches to DCT with a gate; --set reaches any field', () => {
    const config = configFromOptions(
      parse(['--gate', '--set', 'train.ema.enabled=true', '--set', 'schedule.milestones=[1,2]']),
    );
    expect(config.gate.enabled).toBe(true);
    expect(config.input.mode).toBe('dct');
    expect(config.train.ema.enabled).toBe(true);
    expect(config.schedule.milestones).toEqual([1, 2]);
  });

  it('reports a non-numeric flag value with the field name', () => {
    expect(() => configFromOptions(parse(['--epochs', 'two']))).toThrow(
      /train\.epochs: .*\(got null\)|train\.epochs: .*NaN/,
    );
  });

  it('parses channel selections', () => {
    expect(parseChannels('DCT-24')).toBe('DCT-24');
    expect(parseChannels('[0, 8]')).toEqual([0, 8]);
    expect(parseChannels('3,4')).toEqual([3, 4]);
  });
});
