import type { Command } from 'commander';
import { Option } from 'commander';
import type { ChannelSelection } from '../../selection.js';
import type { CliContext } from '../context.js';
import type { CliGeometry } from '../options.js';
import { CLI_GEOMETRIES, parseChoice, parseSelection, runTransform } from '../options.js';
import { readImageFile } from '../read-image.js';
import { formatEnergyGrids, summarizeCube } from '../summary.js';

interface InfoOptions {
  geometry: CliGeometry;
  select: ChannelSelection;
}

/** `fdl-dct info <input>`: image size, cube shape, channels and per-channel energy (raw coefficients). */
export function registerInfoCommand(program: Command, context: CliContext): void {
  program
    .command('info')
    .description(
      'print the image size, the DCT cube shape and channels, and per-channel energy (unnormalized)',
    )
    .argument('<input>', 'JPEG, PNG or .npy image')
    .addOption(
      new Option('--geometry <name>', 'plain, resnet, mobilenet, detection')
        .argParser(parseChoice(CLI_GEOMETRIES, '--geometry'))
        .default('plain'),
    )
    .addOption(
      new Option('--select <channels>', 'channels to report')
        .argParser(parseSelection)
        .default(parseSelection('192'), 'all'),
    )
    .action((input: string, options: InfoOptions) => {
      const image = readImageFile(input);
      const cube = runTransform(image, {
        geometry: options.geometry,
        selection: options.select,
        normalize: 'none',
        colorPath: 'float',
        antialias: false,
      });
      context.stdout(`image: ${input} ${image.width}x${image.height} RGB`);
      context.stdout(
        `cube: geometry ${options.geometry}, [${cube.height}, ${cube.width}, ${cube.channels}] (${options.select.name})`,
      );
      for (const line of formatEnergyGrids(summarizeCube(cube))) context.stdout(line);
    });
}
