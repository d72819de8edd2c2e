import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJpeg } from '@fdl/dct-core/jpeg';
import {
  LIBJPEG_MISSING,
  libjpegDecode,
  libjpegReferenceBinary,
  listFilesRecursive,
  SHARED_DATA_MISSING,
  sharedDataPath,
} from '@fdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { maxPixelDifference } from './compare-pixels.js';
import { generateJpegVariants, JPEG_TOOLS_MISSING, jpegToolsAvailable } from './variants.js';

const oracle = libjpegReferenceBinary() !== null;
const tools = jpegToolsAvailable();
const hymenoptera = sharedDataPath('hymenoptera');
/**
 * The pixel oracle is slower than the coefficient one (a libjpeg process and a 3-channel comparison per
 * file), so by default it checks every 4th shared file; FDL_JPEG_FULL_ORACLE=1 checks them all.
 */
const stride = process.env.FDL_JPEG_FULL_ORACLE === '1' ? 1 : 4;
const sampled = (files: string[]) => files.filter((_, index) => index % stride === 0);

describe.skipIf(!oracle || !tools)(
  `decodeJpeg is bit-exact with libjpeg-turbo (islow, fancy upsampling) on generated variants (${!oracle ? LIBJPEG_MISSING : !tools ? JPEG_TOOLS_MISSING : 'tools found'})`,
  () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-jpeg-decode-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const variants =
      oracle && tools ? generateJpegVariants(folder).filter((variant) => !variant.unsupported) : [];
    for (const variant of variants) {
      it(variant.name, () => {
        const ours = decodeJpeg(new Uint8Array(readFileSync(variant.path)));
        expect(maxPixelDifference(ours, libjpegDecode(variant.path))).toBe(0);
      });
    }
  },
);

describe.skipIf(!oracle || !hymenoptera)(
  `decodeJpeg is bit-exact with libjpeg-turbo on every hymenoptera JPEG (${!oracle ? LIBJPEG_MISSING : !hymenoptera ? SHARED_DATA_MISSING : 'shared data found'})`,
  () => {
    it(`397 JPEGs (every ${stride === 1 ? '' : `${stride}th `}file), max difference 0`, () => {
      const files = listFilesRecursive(hymenoptera!).filter((path) => !path.endsWith('.gif'));
      const differing: string[] = [];
      for (const file of sampled(files)) {
        const difference = maxPixelDifference(
          decodeJpeg(new Uint8Array(readFileSync(file))),
          libjpegDecode(file),
        );
        if (difference !== 0) differing.push(`${file}: max difference ${difference}`);
      }
      expect(files).toHaveLength(397);
      expect(differing).toEqual([]);
    });
  },
);

const pennfudan = sharedDataPath('pennfudan');

describe.skipIf(!oracle || !pennfudan)(
  `decodeJpeg is bit-exact with libjpeg-turbo on every pennfudan JPEG (${!oracle ? LIBJPEG_MISSING : !pennfudan ? SHARED_DATA_MISSING : 'shared data found'})`,
  () => {
    it(`170 JPEGs (every ${stride === 1 ? '' : `${stride}th `}file), max difference 0`, () => {
      const files = listFilesRecursive(pennfudan!).filter((path) => /\.jpe?g$/i.test(path));
      const differing: string[] = [];
      for (const file of sampled(files)) {
        const difference = maxPixelDifference(
          decodeJpeg(new Uint8Array(readFileSync(file))),
          libjpegDecode(file),
        );
        if (difference !== 0) differing.push(`${file}: max difference ${difference}`);
      }
      expect(files).toHaveLength(170);
      expect(differing).toEqual([]);
    });
  },
);
