import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testImage, writeNetpbm } from './test-image.js';

const CJPEG = '/usr/bin/cjpeg';
const JPEGTRAN = '/usr/bin/jpegtran';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
/** The committed CMYK fixture (Adobe transform 0), made by make-cmyk-fixture.py. */
export const CMYK_FIXTURE = join(FIXTURES, 'cmyk-40x24.jpg');
/** The committed YCCK fixture (Adobe transform 2, Y and K 2x2, chroma 1x1), made by make-ycck-fixture.c. */
export const YCCK_FIXTURE = join(FIXTURES, 'ycck-40x24.jpg');

export const JPEG_TOOLS_MISSING =
  'cjpeg/jpegtran not found in /usr/bin (apt-get install libjpeg-turbo-progs): JPEG variant tests skipped';

export function jpegToolsAvailable(): boolean {
  return existsSync(CJPEG) && existsSync(JPEGTRAN);
}

/** One generated JPEG and what makes it interesting. */
export interface JpegVariant {
  readonly name: string;
  readonly path: string;
  /** True when libjpeg-based readers must refuse it as unsupported (e.g. arithmetic coding). */
  readonly unsupported: boolean;
}

interface Source {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * Writes the variant set into `folder` and returns it. Each variant is made by cjpeg from a seeded
 * picture, or by jpegtran from another variant (lossless transcoding keeps the coefficients and changes
 * only the entropy coding, scan structure or restart markers).
 */
export function generateJpegVariants(folder: string): JpegVariant[] {
  const variants: JpegVariant[] = [];
  const sources = new Map<string, string>();
  const source = ({ name, width, height, channels }: Source): string => {
    const key = `${name}`;
    let path = sources.get(key);
    if (path === undefined) {
      path = join(folder, `${name}.${channels === 3 ? 'ppm' : 'pgm'}`);
      writeNetpbm(path, testImage(width, height, channels, width * 7919 + height), width, height, channels);
      sources.set(key, path);
    }
    return path;
  };
  const photo = (width: number, height: number): string =>
    source({ name: `rgb-${width}x${height}`, width, height, channels: 3 });
  const gray = (width: number, height: number): string =>
    source({ name: `gray-${width}x${height}`, width, height, channels: 1 });

  const cjpeg = (name: string, input: string, args: string[], unsupported = false): string => {
    const path = join(folder, `${name}.jpg`);
    execFileSync(CJPEG, [...args, '-outfile', path, input], { stdio: 'pipe' });
    variants.push({ name, path, unsupported });
    return path;
  };
  const jpegtran = (name: string, input: string, args: string[], unsupported = false): string => {
    const path = join(folder, `${name}.jpg`);
    execFileSync(JPEGTRAN, [...args, '-outfile', path, input], { stdio: 'pipe' });
    variants.push({ name, path, unsupported });
    return path;
  };
  const script = (name: string, text: string): string => {
    const path = join(folder, `${name}.scans`);
    writeFileSync(path, text);
    return path;
  };

  // Sampling factors (Y first, then Cb, Cr), odd sizes and qualities.
  cjpeg('444-q90-64x48', photo(64, 48), ['-quality', '90', '-sample', '1x1']);
  const s420 = cjpeg('420-q75-333x251', photo(333, 251), ['-quality', '75', '-sample', '2x2']);
  cjpeg('422-q85-333x251', photo(333, 251), ['-quality', '85', '-sample', '2x1']);
  cjpeg('440-q85-333x251', photo(333, 251), ['-quality', '85', '-sample', '1x2']);
  cjpeg('411-q80-333x251', photo(333, 251), ['-quality', '80', '-sample', '4x1']);
  cjpeg('h4v2-q80-333x251', photo(333, 251), ['-quality', '80', '-sample', '4x2,1x1,1x1']);
  cjpeg('h3v1-q80-100x37', photo(100, 37), ['-quality', '80', '-sample', '3x1,1x1,1x1']);
  cjpeg('chroma-above-luma-q80-45x29', photo(45, 29), ['-quality', '80', '-sample', '1x1,2x2,1x2']);
  cjpeg('444-q90-1x1', photo(1, 1), ['-quality', '90', '-sample', '1x1']);
  cjpeg('420-q90-1x1', photo(1, 1), ['-quality', '90', '-sample', '2x2']);
  cjpeg('420-q90-17x9', photo(17, 9), ['-quality', '90', '-sample', '2x2']);
  cjpeg('422-q90-17x9', photo(17, 9), ['-quality', '90', '-sample', '2x1']);
  cjpeg('420-q100-333x251', photo(333, 251), ['-quality', '100', '-sample', '2x2']);
  cjpeg('420-q5-333x251', photo(333, 251), ['-quality', '5', '-sample', '2x2']);
  // Quality 1 without -baseline: steps above 255 need 16-bit DQT tables and an extended (SOF1) frame.
  cjpeg('444-q1-16bit-tables-64x48', photo(64, 48), ['-quality', '1', '-sample', '1x1']);
  cjpeg('420-optimized-333x251', photo(333, 251), ['-quality', '85', '-sample', '2x2', '-optimize']);
  cjpeg('420-restart-1row-333x251', photo(333, 251), ['-quality', '85', '-sample', '2x2', '-restart', '1']);
  cjpeg('444-restart-5blocks-17x9', photo(17, 9), ['-quality', '85', '-sample', '1x1', '-restart', '5B']);
  cjpeg('gray-q85-333x251', gray(333, 251), ['-quality', '85', '-grayscale']);
  cjpeg('gray-q85-1x1', gray(1, 1), ['-quality', '85', '-grayscale']);
  const grayRestart = cjpeg('gray-restart-7blocks-17x9', gray(17, 9), ['-quality', '85', '-restart', '7B']);
  cjpeg('rgb-to-gray-q85-64x48', photo(64, 48), ['-quality', '85', '-grayscale']);
  // RGB stored without colour transform (Adobe transform 0, component ids 'R', 'G', 'B').
  cjpeg('stored-rgb-q90-64x48', photo(64, 48), ['-quality', '90', '-rgb']);

  // Progressive: the default script (spectral selection + successive approximation) and odd sizes.
  const progressive = cjpeg('420-progressive-333x251', photo(333, 251), [
    '-quality',
    '85',
    '-sample',
    '2x2',
    '-progressive',
  ]);
  cjpeg('422-progressive-17x9', photo(17, 9), ['-quality', '90', '-sample', '2x1', '-progressive']);
  cjpeg('444-progressive-1x1', photo(1, 1), ['-quality', '90', '-sample', '1x1', '-progressive']);
  cjpeg('gray-progressive-333x251', gray(333, 251), ['-quality', '85', '-grayscale', '-progressive']);
  jpegtran('420-progressive-restart-2rows', s420, ['-progressive', '-restart', '2']);
  jpegtran('420-progressive-restart-3blocks', s420, ['-progressive', '-restart', '3B']);
  jpegtran('420-progressive-optimized', progressive, ['-optimize']);
  jpegtran('gray-progressive-restart-1block', grayRestart, ['-progressive', '-restart', '1B']);

  // Scan scripts: non-interleaved sequential scans, and a deep successive-approximation progression.
  jpegtran('420-sequential-noninterleaved', s420, ['-scans', script('sequential', '0;\n1;\n2;\n')]);
  jpegtran('420-sequential-partly-interleaved-restart', s420, [
    '-restart',
    '1',
    '-scans',
    script('partly', '1 2;\n0;\n'),
  ]);
  jpegtran('420-progressive-deep-refinement', s420, [
    '-scans',
    script(
      'refinement',
      [
        '0: 0-0, 0, 2;',
        '1: 0-0, 0, 1;',
        '2: 0-0, 0, 1;',
        '0: 1-5, 0, 3;',
        '2: 1-63, 0, 2;',
        '1: 1-63, 0, 1;',
        '0: 6-63, 0, 3;',
        '0: 1-63, 3, 2;',
        '0: 1-63, 2, 1;',
        '0: 0-0, 2, 1;',
        '0: 0-0, 1, 0;',
        '1 2: 0-0, 1, 0;',
        '2: 1-63, 2, 1;',
        '2: 1-63, 1, 0;',
        '1: 1-63, 1, 0;',
        '0: 1-63, 1, 0;',
      ].join('\n'),
    ),
  ]);

  // CMYK (Adobe transform 0) from the committed fixture, transcoded by jpegtran.
  if (existsSync(CMYK_FIXTURE)) {
    variants.push({ name: 'cmyk-fixture', path: CMYK_FIXTURE, unsupported: false });
    jpegtran('cmyk-progressive', CMYK_FIXTURE, ['-progressive']);
    jpegtran('cmyk-restart-2blocks', CMYK_FIXTURE, ['-restart', '2B']);
  }
  if (existsSync(YCCK_FIXTURE)) {
    variants.push({ name: 'ycck-fixture', path: YCCK_FIXTURE, unsupported: false });
    jpegtran('ycck-progressive', YCCK_FIXTURE, ['-progressive']);
  }

  // Motion-JPEG style: no DHT segment, so decoders must fall back to the standard tables.
  const withoutTables = join(folder, '420-without-dht.jpg');
  writeFileSync(withoutTables, withoutMarkerSegments(readFileSync(s420), 0xc4));
  variants.push({ name: '420-without-dht', path: withoutTables, unsupported: false });

  // Arithmetic coding: readable by libjpeg-turbo, refused by this reader.
  jpegtran('420-arithmetic', s420, ['-arithmetic'], true);
  jpegtran('420-arithmetic-progressive', s420, ['-arithmetic', '-progressive'], true);
  return variants;
}

/** Copies a JPEG without its header segments of one marker type (before the first SOS). */
export function withoutMarkerSegments(bytes: Uint8Array, marker: number): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let position = 2;
  while (position + 4 <= bytes.length && bytes[position] === 0xff && bytes[position + 1] !== 0xda) {
    const length = (bytes[position + 2] << 8) | bytes[position + 3];
    if (bytes[position + 1] !== marker) kept.push(bytes.subarray(position, position + 2 + length));
    position += 2 + length;
  }
  kept.push(bytes.subarray(position));
  const out = new Uint8Array(kept.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of kept) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
