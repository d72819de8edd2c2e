import { describe, expect, it } from 'vitest';
import { ArgumentError, FdlError } from '../errors.js';
import { JpegError } from './errors.js';
import { readJpegCoefficients, readJpegInfo } from './read-coefficients.js';
import { decodeBase64, TWO_BLOCKS, TWO_BLOCKS_PROGRESSIVE, TWO_BLOCKS_RESTART } from './test-fixtures.js';

/** Offset of the first 0xFF `marker` byte pair. */
function markerOffset(bytes: Uint8Array, marker: number): number {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === marker) return i;
  throw new Error(`marker ${marker.toString(16)} not found`);
}

function patched(bytes: Uint8Array, offset: number, values: number[]): Uint8Array {
  const copy = bytes.slice();
  copy.set(values, offset);
  return copy;
}

function thrown(work: () => unknown): JpegError {
  try {
    work();
  } catch (error) {
    if (error instanceof JpegError) return error;
    throw error;
  }
  throw new Error('expected a JpegError');
}

function expectTwoBlocks(bytes: Uint8Array) {
  const result = readJpegCoefficients(bytes);
  expect([result.width, result.height, result.colorSpace]).toEqual([16, 8, 'grayscale']);
  const [luma] = result.components;
  expect([luma.widthInBlocks, luma.heightInBlocks]).toEqual([2, 1]);
  expect(Array.from(luma.quantization)).toEqual(new Array(64).fill(1));
  const expected = new Int16Array(128);
  expected[0] = 8 * (200 - 128);
  expected[64] = 8 * (50 - 128);
  expect(Array.from(luma.blocks)).toEqual(Array.from(expected));
  return result;
}

describe('readJpegCoefficients', () => {
  it('reads hand-checkable DC values of a baseline file: 8 * (value - 128), no AC', () => {
    const result = expectTwoBlocks(decodeBase64(TWO_BLOCKS));
    expect([result.frameType, result.progressive, result.jfif, result.partial]).toEqual([
      'baseline',
      false,
      true,
      false,
    ]);
  });

  it('reads the same coefficients from the progressive and restart-interval transcodings', () => {
    const progressive = expectTwoBlocks(decodeBase64(TWO_BLOCKS_PROGRESSIVE));
    expect([progressive.frameType, progressive.scanCount]).toEqual(['progressive', 6]);
    expect(expectTwoBlocks(decodeBase64(TWO_BLOCKS_RESTART)).restartInterval).toBe(1);
  });

  it('reports an EXIF orientation without applying it', () => {
    const bytes = decodeBase64(TWO_BLOCKS);
    // APP1: "Exif\0\0", little-endian TIFF header, IFD0 with one entry: Orientation (0x0112) SHORT = 6.
    const exif = [
      0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00,
      0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00,
    ];
    const withExif = new Uint8Array(bytes.length + exif.length);
    withExif.set(bytes.subarray(0, 2));
    withExif.set(exif, 2);
    withExif.set(bytes.subarray(2), 2 + exif.length);
    expect(expectTwoBlocks(withExif).exifOrientation).toBe(6);
    expect(readJpegCoefficients(bytes).exifOrientation).toBeNull();
  });

  it('refuses data that is not a JPEG, naming what it is', () => {
    const gif = new TextEncoder().encode('GIF89a....');
    const error = thrown(() => readJpegCoefficients(gif));
    expect(error.code).toBe('E_JPEG_NOT_JPEG');
    expect(error.message).toBe('readJpegCoefficients: not a JPEG: the data is a GIF (starts with "GIF")');
    expect(error).toBeInstanceOf(FdlError);
    expect(thrown(() => readJpegCoefficients(new Uint8Array(0))).message).toMatch(/the input is empty/);
    expect(() => readJpegCoefficients([1, 2] as unknown as Uint8Array)).toThrow(ArgumentError);
  });

  it('refuses unsupported processes by name', () => {
    const bytes = decodeBase64(TWO_BLOCKS);
    const sof = markerOffset(bytes, 0xc0);
    const cases: [number[], RegExp][] = [
      [[0xff, 0xc3], /lossless \(SOF3\)/],
      [[0xff, 0xc9], /arithmetic coding \(SOF9\)/],
      [[0xff, 0xc5], /hierarchical sequential \(SOF5\)/],
    ];
    for (const [marker, message] of cases) {
      const error = thrown(() => readJpegCoefficients(patched(bytes, sof, marker)));
      expect(error.code).toBe('E_JPEG_UNSUPPORTED');
      expect(error.message).toMatch(message);
      expect(error.details.offset).toBe(sof);
    }
    const twelveBit = thrown(() => readJpegCoefficients(patched(bytes, sof + 4, [12])));
    expect(twelveBit.message).toBe(
      `readJpegCoefficients: unsupported JPEG feature: 12-bit sample precision (only 8-bit) at byte ${sof + 4}`,
    );
    const dnl = thrown(() => readJpegCoefficients(patched(bytes, sof + 5, [0, 0])));
    expect(dnl.message).toMatch(/DNL/);
  });

  it('refuses images above the size limits before allocating', () => {
    const bytes = decodeBase64(TWO_BLOCKS);
    const sof = markerOffset(bytes, 0xc0);
    const huge = patched(bytes, sof + 5, [0xff, 0xff, 0xff, 0xff]);
    const error = thrown(() => readJpegCoefficients(huge));
    expect(error.code).toBe('E_JPEG_LIMIT');
    expect(error.message).toMatch(/65535x65535 exceeds the limits/);
    expect(thrown(() => readJpegCoefficients(bytes, { maxPixels: 100 })).code).toBe('E_JPEG_LIMIT');
    const progressive = decodeBase64(TWO_BLOCKS_PROGRESSIVE);
    expect(thrown(() => readJpegCoefficients(progressive, { maxScans: 5 })).message).toBe(
      `readJpegCoefficients: more than maxScans 5 scans`,
    );
    expect(readJpegCoefficients(progressive, { maxScans: 6 }).scanCount).toBe(6);
    expect(() => readJpegCoefficients(bytes, { maxPixels: 0 })).toThrow(
      "readJpegCoefficients: argument 'options.maxPixels' must be a positive number, got 0",
    );
    expect(thrown(() => readJpegCoefficients(bytes, { maxCoefficientBytes: 255 })).message).toMatch(
      /needs 256 bytes of coefficients/,
    );
  });

  it('throws E_JPEG_CORRUPT with the byte offset for truncated entropy data, or decodes partially on request', () => {
    const bytes = decodeBase64(TWO_BLOCKS);
    const sos = markerOffset(bytes, 0xda);
    const truncated = bytes.subarray(0, sos + 12);
    const error = thrown(() => readJpegCoefficients(truncated));
    expect(error.code).toBe('E_JPEG_CORRUPT');
    expect(error.message).toMatch(
      new RegExp(`entropy-coded data ends early .* at byte ${truncated.length}$`),
    );
    expect(error.details.offset).toBe(truncated.length);
    const partial = readJpegCoefficients(truncated, { allowPartial: true });
    expect(partial.partial).toBe(true);
    expect(partial.problems[0]).toMatch(/ends early/);
    // The first block was complete; the second is zero-filled.
    expect(partial.components[0].blocks[0]).toBe(576);
    expect(thrown(() => readJpegCoefficients(bytes.subarray(0, sos))).message).toMatch(
      /unexpected end of data before any image scan/,
    );
  });

  it('throws E_JPEG_CORRUPT for a wrong restart marker in strict mode and resynchronises on request', () => {
    const bytes = decodeBase64(TWO_BLOCKS_RESTART);
    const rst = markerOffset(bytes, 0xd0);
    const wrong = patched(bytes, rst, [0xff, 0xd3]);
    expect(thrown(() => readJpegCoefficients(wrong)).message).toBe(
      `readJpegCoefficients: corrupt JPEG: expected restart marker RST0, found RST3 at byte ${rst}`,
    );
    expectTwoBlocks(bytes);
    expect(readJpegCoefficients(wrong, { allowPartial: true }).components[0].blocks[64]).toBe(-624);
  });
});

describe('readJpegInfo', () => {
  it('reads sizes, sampling and tables without coefficients', () => {
    const info = readJpegInfo(decodeBase64(TWO_BLOCKS_PROGRESSIVE));
    expect([info.width, info.height, info.colorSpace, info.frameType, info.scanCount]).toEqual([
      16,
      8,
      'grayscale',
      'progressive',
      1,
    ]);
    const [luma] = info.components;
    expect([luma.widthInBlocks, luma.heightInBlocks, luma.blocks.length]).toEqual([2, 1, 0]);
    expect(Array.from(luma.quantization)).toEqual(new Array(64).fill(1));
  });

  it('refuses bad headers with its own name and accepts files whose entropy data is truncated', () => {
    const bytes = decodeBase64(TWO_BLOCKS);
    const sos = markerOffset(bytes, 0xda);
    expect(readJpegInfo(bytes.subarray(0, sos + 12)).width).toBe(16);
    const error = thrown(() => readJpegInfo(patched(bytes, markerOffset(bytes, 0xc0), [0xff, 0xc9])));
    expect(error.message).toBe(
      `readJpegInfo: unsupported JPEG feature: arithmetic coding (SOF9) at byte ${markerOffset(bytes, 0xc0)}`,
    );
  });
});
