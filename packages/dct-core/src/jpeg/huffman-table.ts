import { corrupt } from './errors.js';

/** Bits of lookahead used by the table-driven fast path. Codes up to this length decode in one lookup. */
export const LOOKAHEAD_BITS = 11;
const LOOKAHEAD_SIZE = 1 << LOOKAHEAD_BITS;

/**
 * A Huffman decoding table built from a DHT segment (JPEG spec Annex C and F.2.2.3).
 *
 * `lookup[peek]` = (code length << 8) | symbol for codes of at most LOOKAHEAD_BITS bits, else 0.
 * `fastAc[peek]` additionally resolves an AC (run, size) symbol together with its magnitude bits when
 * both fit in the lookahead: (value << 16) | (run << 4) | total length, else 0.
 * Longer codes use `maxCode` / `valueOffset` per length (index 1..16; maxCode[17] is a sentinel).
 */
export interface HuffmanTable {
  readonly lookup: Int32Array;
  readonly fastAc: Int32Array;
  readonly maxCode: Int32Array;
  readonly valueOffset: Int32Array;
  readonly symbols: Uint8Array;
  /** Largest symbol, used to check DC tables (DC symbols are magnitudes 0..15). */
  readonly maxSymbol: number;
}

/**
 * Builds a decoding table from the 16 code counts and the symbols of a DHT table.
 * Throws `E_JPEG_CORRUPT` for an over-subscribed code (as libjpeg's "Bogus Huffman table definition").
 */
export function buildHuffmanTable(counts: Uint8Array, symbols: Uint8Array, offset: number): HuffmanTable {
  const lookup = new Int32Array(LOOKAHEAD_SIZE);
  const fastAc = new Int32Array(LOOKAHEAD_SIZE);
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(18);
  let code = 0;
  let index = 0;
  let maxSymbol = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1];
    valueOffset[length] = index - code;
    for (let i = 0; i < count; i++) {
      const symbol = symbols[index];
      if (symbol > maxSymbol) maxSymbol = symbol;
      if (length <= LOOKAHEAD_BITS) fillLookahead(lookup, fastAc, code, length, symbol);
      index++;
      code++;
    }
    if (count > 0) maxCode[length] = code - 1;
    // The next code must still fit in `length` bits: an all-ones code is forbidden (spec C.2).
    if (code >= 1 << length) throw corrupt('readJpegCoefficients', 'over-subscribed Huffman table', offset);
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { lookup, fastAc, maxCode, valueOffset, symbols, maxSymbol };
}

function fillLookahead(lookup: Int32Array, fastAc: Int32Array, code: number, length: number, symbol: number) {
  const spare = LOOKAHEAD_BITS - length;
  const first = code << spare;
  const entry = (length << 8) | symbol;
  const run = symbol >> 4;
  const size = symbol & 15;
  for (let peek = first; peek < first + (1 << spare); peek++) {
    lookup[peek] = entry;
    if (size !== 0 && length + size <= LOOKAHEAD_BITS) {
      const raw = (peek >> (spare - size)) & ((1 << size) - 1);
      const value = raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
      fastAc[peek] = (value << 16) | (run << 4) | (length + size);
    }
  }
}
