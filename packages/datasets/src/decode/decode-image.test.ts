import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LIBJPEG_MISSING,
  libjpegDecode,
  libjpegReferenceBinary,
  SHARED_DATA_MISSING,
  sharedDataPath,
  skipNote,
} from '@fdl/test-utils';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { createDecoderSet, decodeImage } from './decode-image.js';
import { loadSharp } from './sharp-decoder.js';

const sharp = await loadSharp();
const hymenoptera = sharedDataPath('hymenoptera');
const libjpeg = libjpegReferenceBinary();

/** A 4x2 image with distinct flat colours, encoded as RGBA for the encoders. */
function testPattern(width = 16, height = 8): { rgba: Uint8Array; rgb: Uint8Array } {
  const rgba = new Uint8Array(width * height * 4);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const value = [x < width / 2 ? 200 : 40, y < height / 2 ? 180 : 60, 120];
      rgba.set([...value, 255], (y * width + x) * 4);
      rgb.set(value, (y * width + x) * 3);
    }
  return { rgba, rgb };
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('decodeImage', () => {
  it('decodes a JPEG with jpeg-js close to its source pixels', async () => {
    const { rgba, rgb } = testPattern();
    const bytes = jpeg.encode({ data: rgba, width: 16, height: 8 }, 100).data;
    const decoders = await createDecoderSet('jpeg-js');
    const result = await decodeImage(bytes, 'pattern.jpg', decoders);
    expect(result.decoder).toBe('jpeg-js');
    expect(result.format).toBe('jpeg');
    expect([result.image.width, result.image.height]).toEqual([16, 8]);
    expect(meanAbsoluteDifference(result.image.data, rgb)).toBeLessThan(2);
  });

  it('decodes a PNG named .jpg from its magic bytes, dropping alpha', async () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([10, 20, 30, 0, 40, 50, 60, 255]);
    const bytes = PNG.sync.write(png);
    const result = await decodeImage(bytes, 'really-a-png.JPEG', await createDecoderSet('jpeg-js'));
    expect(result.format).toBe('png');
    expect(Array.from(result.image.data)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('names the path and reason for corrupt, truncated and unknown data', async () => {
    const decoders = await createDecoderSet('jpeg-js');
    const { rgba } = testPattern();
    const bytes = jpeg.encode({ data: rgba, width: 16, height: 8 }, 90).data;
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    await expect(decodeImage(truncated, '/data/half.jpg', decoders)).rejects.toThrow(
      /decodeImage: jpeg-js cannot decode jpeg: .*\(corrupt: \/data\/half\.jpg\)/,
    );
    const unknown = decodeImage(new TextEncoder().encode('not an image'), '/data/x.jpg', decoders);
    await expect(unknown).rejects.toBeInstanceOf(DatasetError);
    await expect(unknown).rejects.toMatchObject({
      code: 'E_DATASET',
      reason: 'unsupported',
      path: '/data/x.jpg',
    });
    await expect(decodeImage(new Uint8Array(0), 'empty.jpg', decoders)).rejects.toThrow(
      /unsupported: empty\.jpg/,
    );
  });

  it('applies EXIF orientation by default and ignores it on request', async () => {
    const { rgba } = testPattern();
    const plain = jpeg.encode({ data: rgba, width: 16, height: 8 }, 95).data;
    // APP1 Exif segment, little-endian TIFF, one IFD entry: Orientation (0x0112) = 6, spliced after SOI.
    const tiff = [
      0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0,
    ];
    const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    const app1 = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
    const rotated = new Uint8Array([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)]);
    const decoders = await createDecoderSet('jpeg-js');
    const upright = await decodeImage(rotated, 'rotated.jpg', decoders);
    expect([upright.image.width, upright.image.height]).toEqual([8, 16]);
    const asStored = await decodeImage(rotated, 'rotated.jpg', decoders, { orientation: 'ignore' });
    expect([asStored.image.width, asStored.image.height]).toEqual([16, 8]);
    // Rotating 90 degrees clockwise puts the stored bottom-left pixel at the display top-left.
    expect(upright.image.data[0]).toBe(asStored.image.data[(7 * 16 + 0) * 3]);
  });

  it('rejects an unknown decoder name', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    await expect(createDecoderSet('libpng' as any)).rejects.toThrow(
      /createDecoderSet: argument 'name' must be/,
    );
  });

  it.skipIf(!sharp || !libjpeg)(
    "decodes CMYK JPEGs with Pillow's formula on libjpeg's ink values",
    async () => {
      const rgb = new Uint8Array(16 * 8 * 3).map((_, i) => (i * 37) % 256);
      const cmyk = await sharpEncode(rgb, 'cmyk');
      // libjpeg returns the Adobe-inverted stored values (ink = 255 - stored), so R = round(stored_C * stored_K / 255).
      const stored = libjpegDecode(cmyk);
      expect(stored.channels).toBe(4);
      const expected = new Uint8Array(16 * 8 * 3);
      for (let p = 0; p < 16 * 8; p++) {
        for (let c = 0; c < 3; c++)
          expected[p * 3 + c] = Math.round((stored.data[p * 4 + c]! * stored.data[p * 4 + 3]!) / 255);
      }
      const viaSharp = await decodeImage(cmyk, 'cmyk.jpg', await createDecoderSet('sharp'));
      expect(Array.from(viaSharp.image.data)).toEqual(Array.from(expected));
      const fdl = await createDecoderSet('fdl').catch(() => null);
      if (fdl)
        expect(Array.from((await decodeImage(cmyk, 'cmyk.jpg', fdl)).image.data)).toEqual(
          Array.from(expected),
        );
      const viaJpegJs = await decodeImage(cmyk, 'cmyk.jpg', await createDecoderSet('jpeg-js'));
      let worst = 0;
      for (let i = 0; i < expected.length; i++)
        worst = Math.max(worst, Math.abs(viaJpegJs.image.data[i]! - expected[i]!));
      expect(worst).toBeLessThanOrEqual(1);
    },
  );

  it.skipIf(!sharp)('expands grayscale JPEGs to three equal channels', async () => {
    const { rgb } = testPattern();
    const gray = await sharpEncode(rgb, 'b-w');
    for (const name of ['jpeg-js', 'sharp'] as const) {
      const d = (await decodeImage(gray, 'gray.jpg', await createDecoderSet(name))).image.data;
      expect(d.length).toBe(16 * 8 * 3);
      for (let i = 0; i < d.length; i += 3) expect(d[i] === d[i + 1] && d[i] === d[i + 2]).toBe(true);
      expect(d[0]).toBeGreaterThan(d[d.length - 3]!);
    }
  });
});

/** Encodes a 16x8 RGB buffer to JPEG in another colour space with sharp (libvips). */
async function sharpEncode(rgb: Uint8Array, space: 'cmyk' | 'b-w'): Promise<Uint8Array> {
  const s = sharp as unknown as (
    input: Uint8Array,
    options: object,
  ) => { toColourspace(space: string): { jpeg(o: object): { toBuffer(): Promise<Buffer> } } };
  return s(rgb, { raw: { width: 16, height: 8, channels: 3 } })
    .toColourspace(space)
    .jpeg({ quality: 100 })
    .toBuffer();
}

describe.skipIf(!hymenoptera)(
  `decodeImage on hymenoptera quirks${skipNote(!hymenoptera, SHARED_DATA_MISSING)}`,
  () => {
    const file = (...parts: string[]) => readFileSync(join(hymenoptera!, ...parts));
    const quirks = [
      ['train', 'ants', 'Nepenthes_rafflesiana_ant.jpg'], // 4:4:0
      [
        'val',
        'ants',
        'ants-devouring-remains-of-large-dead-insect-on-red-tile-in-Stellenbosch-South-Africa-closeup-1-DHD.jpg',
      ], // 4:2:2, 5 MP
      ['train', 'ants', 'ant photos.jpg'], // progressive
      ['val', 'bees', '6a00d8341c630a53ef00e553d0beb18834-800wi.jpg'], // progressive
      ['train', 'ants', 'kurokusa.jpg'], // Adobe APP14
    ];

    it.skipIf(!sharp || !libjpeg)(
      `sharp equals libjpeg exactly on 4:4:0, 4:2:2, progressive and Adobe files${libjpeg ? '' : ` (${LIBJPEG_MISSING})`}`,
      async () => {
        const decoders = await createDecoderSet('sharp');
        for (const parts of quirks) {
          const bytes = file(...parts);
          const result = await decodeImage(bytes, parts.join('/'), decoders);
          const reference = libjpegDecode(bytes);
          expect([result.image.width, result.image.height]).toEqual([reference.width, reference.height]);
          expect(meanAbsoluteDifference(result.image.data, reference.data), parts.at(-1)).toBe(0);
        }
      },
    );

    it.skipIf(!libjpeg)('jpeg-js stays within 2 levels mean of libjpeg on the same files', async () => {
      const decoders = await createDecoderSet('jpeg-js');
      for (const parts of quirks) {
        const bytes = file(...parts);
        const result = await decodeImage(bytes, parts.join('/'), decoders);
        const reference = libjpegDecode(bytes);
        expect([result.image.width, result.image.height]).toEqual([reference.width, reference.height]);
        expect(meanAbsoluteDifference(result.image.data, reference.data), parts.at(-1)).toBeLessThan(2);
      }
    });

    it.skipIf(!libjpeg)(
      'the fdl decoder (when @fdl/dct-core/jpeg provides decodeJpeg) matches libjpeg',
      async () => {
        const fdl = await createDecoderSet('fdl').catch(() => null);
        if (!fdl) return;
        for (const parts of quirks) {
          const bytes = file(...parts);
          const result = await decodeImage(bytes, parts.join('/'), fdl);
          expect(result.decoder).toBe('fdl');
          const reference = libjpegDecode(bytes);
          expect([result.image.width, result.image.height]).toEqual([reference.width, reference.height]);
          expect(meanAbsoluteDifference(result.image.data, reference.data), parts.at(-1)).toBeLessThan(0.01);
        }
      },
    );

    it('the GIF named .gif is decoded by sharp when present, else a clear unsupported error', async () => {
      const bytes = file('train', 'ants', 'imageNotFound.gif');
      if (sharp) {
        const result = await decodeImage(bytes, 'imageNotFound.gif', await createDecoderSet('sharp'));
        expect([result.format, result.image.width, result.image.height]).toEqual(['gif', 300, 300]);
      }
      const withoutSharp = {
        primary: (await createDecoderSet('jpeg-js')).primary,
        all: [(await createDecoderSet('jpeg-js')).primary],
      };
      await expect(decodeImage(bytes, 'imageNotFound.gif', withoutSharp)).rejects.toThrow(
        /the file is GIF and no installed decoder reads gif.*unsupported: imageNotFound\.gif/,
      );
    });
  },
);
