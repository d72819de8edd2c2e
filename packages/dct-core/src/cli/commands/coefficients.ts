import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FdlError } from '../../errors.js';
import type { JpegCoefficients } from '../../jpeg/index.js';
import { JpegError, readJpegCoefficients } from '../../jpeg/index.js';
import { encodeNpy } from '../../npy.js';
import type { CliContext } from '../context.js';

interface CoefficientsOptions {
  out: string;
  allowPartial?: boolean;
}

/** The meta.json written next to the component files. */
export function coefficientsMeta(source: string, coefficients: JpegCoefficients) {
  return {
    source,
    width: coefficients.width,
    height: coefficients.height,
    colorSpace: coefficients.colorSpace,
    frameType: coefficients.frameType,
    progressive: coefficients.progressive,
    maxHorizontalSampling: coefficients.maxHorizontalSampling,
    maxVerticalSampling: coefficients.maxVerticalSampling,
    jfif: coefficients.jfif,
    adobeTransform: coefficients.adobeTransform,
    exifOrientation: coefficients.exifOrientation,
    restartInterval: coefficients.restartInterval,
    scanCount: coefficients.scanCount,
    partial: coefficients.partial,
    problems: coefficients.problems,
    layout:
      'component-<i>.npy: int16 [heightInBlocks, widthInBlocks, 64], quantized, natural order (u * 8 + v)',
    components: coefficients.components.map((component, index) => ({
      file: `component-${index}.npy`,
      id: component.id,
      horizontalSampling: component.horizontalSampling,
      verticalSampling: component.verticalSampling,
      width: component.width,
      height: component.height,
      widthInBlocks: component.widthInBlocks,
      heightInBlocks: component.heightInBlocks,
      quantizationTableIndex: component.quantizationTableIndex,
      quantization: Array.from(component.quantization),
    })),
  };
}

/**
 * `fdl-dct coefficients <file.jpg> --out <dir>`: the quantized DCT coefficients stored in a JPEG, one
 * int16 .npy per component in frame order, plus meta.json (sizes, sampling, quantization tables).
 */
export function registerCoefficientsCommand(program: Command, context: CliContext): void {
  program
    .command('coefficients')
    .description(
      'write the quantized DCT coefficients stored in a JPEG (no decoding): component-<i>.npy int16 [H/8, W/8, 64] natural order, and meta.json',
    )
    .argument('<input>', 'JPEG file (baseline, extended or progressive Huffman)')
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option(
      '--allow-partial',
      'decode truncated or corrupt data like libjpeg (zero-filled blocks) instead of failing',
    )
    .action((input: string, options: CoefficientsOptions) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(input));
      } catch (error) {
        throw new FdlError(
          'E_IO',
          `cannot read '${input}': ${(error as NodeJS.ErrnoException).code ?? error}`,
          {
            path: input,
          },
        );
      }
      let coefficients: JpegCoefficients;
      try {
        coefficients = readJpegCoefficients(bytes, { allowPartial: options.allowPartial === true });
      } catch (error) {
        if (error instanceof JpegError) {
          throw new JpegError(error.code, `'${input}': ${error.message}`, { ...error.details, path: input });
        }
        throw error;
      }
      mkdirSync(options.out, { recursive: true });
      coefficients.components.forEach((component, index) => {
        const npy = encodeNpy({
          data: component.blocks,
          shape: [component.heightInBlocks, component.widthInBlocks, 64],
        });
        writeFileSync(join(options.out, `component-${index}.npy`), npy);
      });
      writeFileSync(
        join(options.out, 'meta.json'),
        `${JSON.stringify(coefficientsMeta(input, coefficients), null, 2)}\n`,
      );
      const shapes = coefficients.components
        .map((component) => `[${component.heightInBlocks}, ${component.widthInBlocks}, 64]`)
        .join(' ');
      context.stdout(
        `wrote ${coefficients.components.length} components to ${options.out}: ${coefficients.width}x${coefficients.height} ${coefficients.colorSpace} ${coefficients.frameType}${coefficients.partial ? ' (partial)' : ''}, int16 ${shapes}`,
      );
    });
}
