import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JpegError, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import {
  LIBJPEG_MISSING,
  libjpegReadCoefficients,
  libjpegReferenceBinary,
  listFilesRecursive,
  SHARED_DATA_MISSING,
  sharedDataPath,
} from '@fdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { differencesFromLibjpeg } from './compare-with-libjpeg.js';
import { generateJpegVariants, JPEG_TOOLS_MISSING, jpegToolsAvailable } from './variants.js';

const oracle = libjpegReferenceBinary() !== null;
const tools = jpegToolsAvailable();
const hymenoptera = sharedDataPath('hymenoptera');

describe.skipIf(!oracle || !tools)(
  `readJpegCoefficients equals libjpeg on generated variants (${!oracle ? LIBJPEG_MISSING : !tools ? JPEG_TOOLS_MISSING : 'cjpeg, jpegtran, libjpeg found'})`,
  () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-jpeg-variants-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const variants = oracle && tools ? generateJpegVariants(folder) : [];

    it('covers the planned feature set', () => {
      expect(variants.length).toBeGreaterThanOrEqual(39);
    });

    for (const variant of variants.filter((candidate) => !candidate.unsupported)) {
      it(`${variant.name}`, () => {
        const bytes = new Uint8Array(readFileSync(variant.path));
        const ours = readJpegCoefficients(bytes);
        expect(differencesFromLibjpeg(ours, libjpegReadCoefficients(variant.path))).toEqual([]);
        expect(ours.partial).toBe(false);
      });
    }

    for (const variant of variants.filter((candidate) => candidate.unsupported)) {
      it(`${variant.name} is refused as unsupported, naming arithmetic coding`, () => {
        const bytes = new Uint8Array(readFileSync(variant.path));
        let caught: unknown;
        try {
          readJpegCoefficients(bytes);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(JpegError);
        expect((caught as JpegError).code).toBe('E_JPEG_UNSUPPORTED');
        expect((caught as JpegError).message).toMatch(/arithmetic coding/);
      });
    }

    it('reports what the variants are made of', () => {
      const read = (name: string) =>
        readJpegCoefficients(new Uint8Array(readFileSync(join(folder, `${name}.jpg`))));
      expect(read('444-q1-16bit-tables-64x48').frameType).toBe('extended');
      expect(Math.max(...read('444-q1-16bit-tables-64x48').components[0].quantization)).toBeGreaterThan(255);
      expect(read('420-restart-1row-333x251').restartInterval).toBe(21);
      expect(read('420-sequential-noninterleaved').scanCount).toBe(3);
      expect(read('420-progressive-deep-refinement').scanCount).toBe(16);
      const cmyk = read('cmyk-progressive');
      expect([cmyk.colorSpace, cmyk.adobeTransform, cmyk.components.length]).toEqual(['cmyk', 0, 4]);
      expect(read('stored-rgb-q90-64x48').colorSpace).toBe('rgb');
      const ycck = read('ycck-progressive');
      expect([ycck.colorSpace, ycck.adobeTransform, ycck.progressive]).toEqual(['ycck', 2, true]);
      const odd = read('420-q90-17x9');
      expect(odd.components.map((c) => [c.widthInBlocks, c.heightInBlocks])).toEqual([
        [3, 2],
        [2, 1],
        [2, 1],
      ]);
    });
  },
);

describe.skipIf(!oracle || !hymenoptera)(
  `readJpegCoefficients equals libjpeg on every hymenoptera file (${!oracle ? LIBJPEG_MISSING : !hymenoptera ? SHARED_DATA_MISSING : 'shared data found'})`,
  () => {
    it('397 JPEGs identical, the GIF refused as E_JPEG_NOT_JPEG', () => {
      const files = listFilesRecursive(hymenoptera!);
      const mismatches: string[] = [];
      const refused: string[] = [];
      let progressive = 0;
      for (const file of files) {
        const bytes = new Uint8Array(readFileSync(file));
        let ours: ReturnType<typeof readJpegCoefficients>;
        try {
          ours = readJpegCoefficients(bytes);
        } catch (error) {
          refused.push(`${file.slice(hymenoptera!.length + 1)}: ${(error as JpegError).code}`);
          continue;
        }
        if (ours.progressive) progressive++;
        const differences = differencesFromLibjpeg(ours, libjpegReadCoefficients(file));
        if (differences.length > 0) mismatches.push(`${file}: ${differences[0]}`);
      }
      expect(mismatches).toEqual([]);
      expect(refused).toEqual(['train/ants/imageNotFound.gif: E_JPEG_NOT_JPEG']);
      expect(files.length - refused.length).toBe(397);
      expect(progressive).toBe(2);
    });
  },
);

const pennfudan = sharedDataPath('pennfudan');

describe.skipIf(!oracle || !pennfudan)(
  `readJpegCoefficients equals libjpeg on every pennfudan JPEG (${!oracle ? LIBJPEG_MISSING : !pennfudan ? SHARED_DATA_MISSING : 'shared data found'})`,
  () => {
    it('170 JPEGs identical', () => {
      const files = listFilesRecursive(pennfudan!).filter((path) => /\.jpe?g$/i.test(path));
      const mismatches: string[] = [];
      for (const file of files) {
        const ours = readJpegCoefficients(new Uint8Array(readFileSync(file)));
        const differences = differencesFromLibjpeg(ours, libjpegReadCoefficients(file));
        if (differences.length > 0) mismatches.push(`${file}: ${differences[0]}`);
      }
      expect(files).toHaveLength(170);
      expect(mismatches).toEqual([]);
    });
  },
);
