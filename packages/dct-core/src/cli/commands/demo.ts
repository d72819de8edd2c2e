import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createDemoImage } from '../../demo-image.js';
import { encodeNpy } from '../../npy.js';
import { classificationValidationTransform, RESNET_VALIDATION_OPTIONS } from '../../transforms.js';
import type { CliContext } from '../context.js';
import { encodePng } from '../read-image.js';
import { formatSummaryTable, summarizeCube } from '../summary.js';

interface DemoOptions {
  out: string;
  image?: string;
}

/** `fdl-dct demo`: the ResNet-50 DCT-24 sample transform on a synthetic scene made in code. */
export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('run the ResNet-50 DCT-24 transform on a generated 640x480 scene and print a summary')
    .option('--out <file>', 'where to write the cube (.npy)', 'demo-cube.npy')
    .option('--image <file>', 'also save the generated scene as PNG')
    .action((options: DemoOptions) => {
      const image = createDemoImage(640, 480);
      if (options.image !== undefined) writeFileSync(options.image, encodePng(image));
      const started = performance.now();
      const cube = classificationValidationTransform(image, RESNET_VALIDATION_OPTIONS);
      const elapsed = performance.now() - started;
      writeFileSync(
        options.out,
        encodeNpy({ data: cube.data, shape: [cube.height, cube.width, cube.channels] }),
      );
      context.stdout(
        `demo scene 640x480 -> resize 512 / crop 448 -> upscaled chroma -> DCT-24 -> ImageNet normalization`,
      );
      context.stdout(
        `wrote ${options.out}: float32 [${cube.height}, ${cube.width}, ${cube.channels}] in ${elapsed.toFixed(1)} ms`,
      );
      for (const line of formatSummaryTable(summarizeCube(cube))) context.stdout(line);
    });
}
