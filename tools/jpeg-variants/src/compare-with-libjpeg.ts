import type { JpegCoefficients, JpegColorSpace } from '@fdl/dct-core/jpeg';
import type { ReferenceCoefficients } from '@fdl/test-utils';

/** libjpeg's J_COLOR_SPACE numbers. */
const LIBJPEG_COLOR_SPACES: Record<JpegColorSpace, number> = {
  unknown: 0,
  grayscale: 1,
  rgb: 2,
  ycbcr: 3,
  cmyk: 4,
  ycck: 5,
};

/**
 * Lists every difference between our coefficients and libjpeg's `jpeg_read_coefficients` (empty when
 * identical): header facts, per-component geometry, quantization tables and the first differing block.
 */
export function differencesFromLibjpeg(ours: JpegCoefficients, reference: ReferenceCoefficients): string[] {
  const differences: string[] = [];
  const same = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) differences.push(`${what}: ours ${String(actual)}, libjpeg ${String(expected)}`);
  };
  same('width', ours.width, reference.width);
  same('height', ours.height, reference.height);
  same('colour space', LIBJPEG_COLOR_SPACES[ours.colorSpace], reference.colorSpace);
  same('progressive', ours.progressive, reference.progressive);
  same('adobe transform', ours.adobeTransform, reference.adobeTransform);
  same('components', ours.components.length, reference.components.length);
  const count = Math.min(ours.components.length, reference.components.length);
  for (let c = 0; c < count; c++) {
    const a = ours.components[c];
    const b = reference.components[c];
    same(`component ${c} id`, a.id, b.id);
    same(`component ${c} horizontal sampling`, a.horizontalSampling, b.horizontalSampling);
    same(`component ${c} vertical sampling`, a.verticalSampling, b.verticalSampling);
    same(`component ${c} widthInBlocks`, a.widthInBlocks, b.widthInBlocks);
    same(`component ${c} heightInBlocks`, a.heightInBlocks, b.heightInBlocks);
    for (let k = 0; k < 64; k++) {
      if (a.quantization[k] !== b.quantization[k]) {
        differences.push(
          `component ${c} quantization[${k}]: ours ${a.quantization[k]}, libjpeg ${b.quantization[k]}`,
        );
        break;
      }
    }
    same(`component ${c} blocks length`, a.blocks.length, b.blocks.length);
    for (let k = 0; k < Math.min(a.blocks.length, b.blocks.length); k++) {
      if (a.blocks[k] !== b.blocks[k]) {
        const block = Math.floor(k / 64);
        differences.push(
          `component ${c} block (${Math.floor(block / a.widthInBlocks)}, ${block % a.widthInBlocks}) coefficient ${k % 64}: ours ${a.blocks[k]}, libjpeg ${b.blocks[k]}`,
        );
        break;
      }
    }
  }
  return differences;
}
