import { describe, expect, it } from 'vitest';
import { JpegError } from './errors.js';
import { buildHuffmanTable, LOOKAHEAD_BITS } from './huffman-table.js';
import { standardHuffmanTable } from './standard-huffman-tables.js';

describe('buildHuffmanTable', () => {
  it('assigns canonical codes: the standard luminance DC table', () => {
    // Lengths: one 2-bit code (00 -> 0), five 3-bit codes (010..110 -> 1..5), then 1110 -> 6, ...
    const table = standardHuffmanTable(0, 0);
    const entry = (bits: string) => table.lookup[Number.parseInt(bits.padEnd(LOOKAHEAD_BITS, '0'), 2)];
    expect(entry('00')).toBe((2 << 8) | 0);
    expect(entry('010')).toBe((3 << 8) | 1);
    expect(entry('110')).toBe((3 << 8) | 5);
    expect(entry('1110')).toBe((4 << 8) | 6);
    expect(entry('111111110')).toBe((9 << 8) | 11);
    expect(entry('111111111')).toBe(0);
    expect(table.maxSymbol).toBe(11);
  });

  it('precomputes run, value and total length for short AC codes', () => {
    // Standard luminance AC: 00 -> 0x01 (run 0, size 1). "00" + magnitude bit "1" = +1, "0" = -1.
    const table = standardHuffmanTable(1, 0);
    const fast = (bits: string) => table.fastAc[Number.parseInt(bits.padEnd(LOOKAHEAD_BITS, '0'), 2)];
    expect(fast('001')).toBe((1 << 16) | 3);
    expect(fast('000') >> 16).toBe(-1);
    // 1010 is end-of-block (0x00): no fast entry.
    expect(fast('1010')).toBe(0);
  });

  it('rejects an over-subscribed code with E_JPEG_CORRUPT at the table offset', () => {
    const counts = new Uint8Array(16);
    counts[0] = 3; // three 1-bit codes cannot exist
    let caught: unknown;
    try {
      buildHuffmanTable(counts, Uint8Array.of(0, 1, 2), 42);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JpegError);
    expect((caught as JpegError).code).toBe('E_JPEG_CORRUPT');
    expect((caught as JpegError).message).toBe(
      'readJpegCoefficients: corrupt JPEG: over-subscribed Huffman table at byte 42',
    );
    expect((caught as JpegError).details.offset).toBe(42);
  });
});
