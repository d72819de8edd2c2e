import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassifyError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';

const payload = {
  metadata: { epoch: 3, rng: [1, 2, 3, 4], note: 'ünïcode' },
  tensors: {
    'model/fc.weight': {
      dtype: 'float32' as const,
      shape: [2, 3],
      data: new Float32Array([1, 2, 3, 4, 5, 6.5]),
    },
    'model/bn.num_batches_tracked': { dtype: 'int32' as const, shape: [], data: new Int32Array([7]) },
    'optimizer/empty': { dtype: 'float32' as const, shape: [0], data: new Float32Array(0) },
  },
};

describe('checkpoint file', () => {
  it('round-trips metadata, dtypes, shapes and values exactly', () => {
    const decoded = decodeCheckpoint(encodeCheckpoint(payload), 'x');
    expect(decoded.metadata).toEqual(payload.metadata);
    expect(decoded.tensors['model/fc.weight'].shape).toEqual([2, 3]);
    expect(Array.from(decoded.tensors['model/fc.weight'].data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(decoded.tensors['model/bn.num_batches_tracked'].data).toBeInstanceOf(Int32Array);
    expect(Array.from(decoded.tensors['model/bn.num_batches_tracked'].data)).toEqual([7]);
    expect(decoded.tensors['optimizer/empty'].data.length).toBe(0);
  });

  it('starts with the magic and a little-endian header length', () => {
    const bytes = encodeCheckpoint(payload);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('FDLCKPT1');
    const headerLength = Number(bytes.readBigUInt64LE(8));
    expect(JSON.parse(bytes.subarray(16, 16 + headerLength).toString('utf8')).format).toBe(1);
    expect(bytes.length).toBe(16 + headerLength + 6 * 4 + 4);
  });

  it('writes atomically (no temporary file left) and reads back', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-ckpt-'));
    const path = join(folder, 'last.fdlckpt');
    writeCheckpoint(path, payload);
    writeCheckpoint(path, { ...payload, metadata: { epoch: 4 } });
    expect(readdirSync(folder)).toEqual(['last.fdlckpt']);
    expect(readCheckpoint(path).metadata).toEqual({ epoch: 4 });
  });

  it('names the file and the problem for missing, foreign, truncated and bit-flipped files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-ckpt-'));
    const missing = join(folder, 'nope.fdlckpt');
    expect(() => readCheckpoint(missing)).toThrow(`checkpoint '${missing}': cannot be read (ENOENT)`);

    const foreign = join(folder, 'foreign.fdlckpt');
    writeFileSync(foreign, 'hello world, not a checkpoint');
    expect(() => readCheckpoint(foreign)).toThrow(/is not an fdl checkpoint \(expected magic "FDLCKPT1"/);

    const bytes = encodeCheckpoint(payload);
    const truncated = join(folder, 'truncated.fdlckpt');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 5));
    expect(() => readCheckpoint(truncated)).toThrow(
      /is truncated or padded: 23 data bytes, header describes 28/,
    );

    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0xff;
    const corrupt = join(folder, 'corrupt.fdlckpt');
    writeFileSync(corrupt, flipped);
    let error: unknown;
    try {
      readCheckpoint(corrupt);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClassifyError);
    expect((error as ClassifyError).code).toBe('E_CHECKPOINT');
    expect((error as Error).message).toContain('does not match its sha256 checksum');
    expect(existsSync(corrupt)).toBe(true);
    expect(readFileSync(corrupt).length).toBe(bytes.length);
  });

  it('rejects a tensor whose data does not fit its shape', () => {
    expect(() =>
      encodeCheckpoint({
        metadata: {},
        tensors: { a: { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) } },
      }),
    ).toThrow("tensor 'a' has shape [2,2] but 3 values");
  });
});
