import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { encodeNpy } from '../../npy.js';
import type { ColorPath } from '../../sample.js';
import type { ChannelSelection } from '../../selection.js';
import type { CliContext } from '../context.js';
import type { CliGeometry, CliNormalization } from '../options.js';
import { CLI_GEOMETRIES, CLI_NORMALIZATIONS, parseChoice, parseSelection, runTransform } from '../options.js';
import { readImageFile } from '../read-image.js';

interface CubeOptions {
  geometry: CliGeometry;
  select: ChannelSelection;
  normalize: CliNormalization;
  color: ColorPath;
  antialias: boolean;
  out: string;
}

/** `fdl-dct cube <input> --out cube.npy`: writes the float32 [H/8, W/8, C] DCT cube of an image. */
export function registerCubeCommand(program: Command, context: CliContext): void {
  program
    .command('cube')
    .description(
      'transform a JPEG, PNG or uint8 [H, W, 3] .npy image into a float32 [H/8, W/8, C] DCT cube (.npy)',
    )
    .argument('<input>', 'JPEG, PNG or .npy image')
    .addOption(
      new Option(
        '--geometry <name>',
        'resnet (512/448), mobilenet (1024/896), plain (as is), detection (x2/x4)',
      )
        .argParser(parseChoice(CLI_GEOMETRIES, '--geometry'))
        .default('resnet'),
    )
    .addOption(
      new Option('--select <channels>', 'DCT-6/24/32/48/64/192, 24S, 24T, all')
        .argParser(parseSelection)
        .default(parseSelection('24'), '24'),
    )
    .addOption(
      new Option(
        '--normalize <stats>',
        'auto (imagenet for resnet/mobilenet, coco for detection, none for plain), imagenet, coco, none',
      )
        .argParser(parseChoice(CLI_NORMALIZATIONS, '--normalize'))
        .default('auto'),
    )
    .addOption(
      new Option('--color <path>', 'float, or libjpeg (8-bit fixed-point colour and subsampling)')
        .argParser(parseChoice(['float', 'libjpeg'] as const, '--color'))
        .default('float'),
    )
    .option('--antialias', 'antialiased (PIL/torchvision) resize instead of OpenCV INTER_LINEAR', false)
    .requiredOption('--out <file>', 'output .npy file')
    .action((input: string, options: CubeOptions) => {
      const image = readImageFile(input);
      const started = performance.now();
      const cube = runTransform(image, {
        geometry: options.geometry,
        selection: options.select,
        normalize: options.normalize,
        colorPath: options.color,
        antialias: options.antialias,
      });
      const elapsed = performance.now() - started;
      writeFileSync(
        options.out,
        encodeNpy({ data: cube.data, shape: [cube.height, cube.width, cube.channels] }),
      );
      context.stdout(
        `wrote ${options.out}: float32 [${cube.height}, ${cube.width}, ${cube.channels}] from ${image.width}x${image.height} ` +
          `(${options.select.name}, geometry ${options.geometry}, normalize ${options.normalize}, ${elapsed.toFixed(1)} ms)`,
      );
    });
}
