import type { HuffmanTable } from './huffman-table.js';
import { buildHuffmanTable } from './huffman-table.js';

/**
 * The example tables of the JPEG spec (Annex K.3), as code counts for lengths 1..16 and symbols (hex).
 * libjpeg installs them for DC/AC slots 0 and 1 that are still empty when decoding starts, because
 * Motion-JPEG frames omit DHT when they use these tables; this reader does the same.
 */
const STANDARD_TABLES: Record<'dc0' | 'ac0' | 'dc1' | 'ac1', [number[], string]> = {
  dc0: [[0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], '000102030405060708090a0b'],
  ac0: [
    [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125],
    '01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa',
  ],
  dc1: [[0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], '000102030405060708090a0b'],
  ac1: [
    [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119],
    '000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa',
  ],
};

const built = new Map<string, HuffmanTable>();

/** The standard table for a DC (class 0) or AC (class 1) slot 0 or 1 (built once; tables are read-only). */
export function standardHuffmanTable(tableClass: 0 | 1, index: 0 | 1): HuffmanTable {
  const key = `${tableClass === 0 ? 'dc' : 'ac'}${index}` as const;
  let table = built.get(key);
  if (table === undefined) {
    table = buildStandardTable(key);
    built.set(key, table);
  }
  return table;
}

function buildStandardTable(key: keyof typeof STANDARD_TABLES): HuffmanTable {
  const [counts, symbols] = STANDARD_TABLES[key];
  const bytes = new Uint8Array(symbols.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(symbols.slice(2 * i, 2 * i + 2), 16);
  return buildHuffmanTable(Uint8Array.from(counts), bytes, 0);
}
