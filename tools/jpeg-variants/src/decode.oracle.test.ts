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
    it('397 JPEGs, max difference 0', () => {
      const files = listFilesRecursive(hymenoptera!).filter((path) => !path.endsWith('.gif'));
      const differing: string[] = [];
      for (const file of files) {
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
