import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { checkpointError } from '../errors.js';

/**
 * The checkpoint container: one file, so one rename makes it appear atomically.
 *
 *   bytes 0-7    magic "FDLCKPT1"
 *   bytes 8-15   header length N, uint64 little-endian
 *   next N       UTF-8 JSON header {format, metadata, tensors: [{key, dtype, shape, offset, byteLength}], sha256}
 *   rest         tensor data, little-endian, concatenated in header order; sha256 is over these bytes
 *
 * Keys are namespaced by the caller (`model/layer1.0.conv1.weight`, `optimizer/...`, `ema/...`).
 */
export const CHECKPOINT_MAGIC = 'FDLCKPT1';
export const CHECKPOINT_EXTENSION = '.fdlckpt';

export type CheckpointDtype = 'float32' | 'int32';

/** A tensor as plain data: `data.length` equals the product of `shape`. */
export interface StoredTensor {
  dtype: CheckpointDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface CheckpointPayload {
  /** JSON-serializable metadata (epoch, step, RNG state, config...). */
  metadata: Record<string, unknown>;
  tensors: Record<string, StoredTensor>;
}

interface HeaderEntry {
  key: string;
  dtype: CheckpointDtype;
  shape: number[];
  offset: number;
  byteLength: number;
}

/** Encodes a checkpoint to bytes. */
export function encodeCheckpoint(payload: CheckpointPayload): Buffer {
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const [key, tensor] of Object.entries(payload.tensors)) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) {
      throw checkpointError(
        '(encoding)',
        `tensor '${key}' has shape [${tensor.shape}] but ${tensor.data.length} values`,
      );
    }
    entries.push({
      key,
      dtype: tensor.dtype,
      shape: tensor.shape,
      offset,
      byteLength: tensor.data.byteLength,
    });
    offset += tensor.data.byteLength;
  }
  const data = Buffer.alloc(offset);
  for (const entry of entries) {
    const tensor = payload.tensors[entry.key];
    Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).copy(data, entry.offset);
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  const header = Buffer.from(
    JSON.stringify({ format: 1, metadata: payload.metadata, tensors: entries, sha256 }),
    'utf8',
  );
  const prefix = Buffer.alloc(16);
  prefix.write(CHECKPOINT_MAGIC, 0, 'latin1');
  prefix.writeBigUInt64LE(BigInt(header.length), 8);
  return Buffer.concat([prefix, header, data]);
}

/** Decodes and verifies checkpoint bytes; `path` names the file in error messages. */
export function decodeCheckpoint(bytes: Uint8Array, path: string): CheckpointPayload {
  if (bytes.length < 16 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== CHECKPOINT_MAGIC) {
    throw checkpointError(
      path,
      `is not an fdl checkpoint (expected magic "${CHECKPOINT_MAGIC}", file has ${bytes.length} bytes)`,
    );
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.readBigUInt64LE(8));
  if (16 + headerLength > bytes.length) {
    throw checkpointError(
      path,
      `is truncated: header of ${headerLength} bytes but the file has ${bytes.length} bytes`,
    );
  }
  let header: { format: number; metadata: Record<string, unknown>; tensors: HeaderEntry[]; sha256: string };
  try {
    header = JSON.parse(view.subarray(16, 16 + headerLength).toString('utf8'));
  } catch (cause) {
    throw checkpointError(path, `has a corrupt header (${(cause as Error).message})`);
  }
  const data = view.subarray(16 + headerLength);
  const expectedLength = header.tensors.reduce((end, e) => Math.max(end, e.offset + e.byteLength), 0);
  if (data.length !== expectedLength) {
    throw checkpointError(
      path,
      `is truncated or padded: ${data.length} data bytes, header describes ${expectedLength}`,
    );
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (sha256 !== header.sha256) {
    throw checkpointError(path, 'is corrupt: the tensor data does not match its sha256 checksum', {
      expected: header.sha256,
      actual: sha256,
    });
  }
  const tensors: Record<string, StoredTensor> = {};
  for (const entry of header.tensors) {
    // copy so each tensor owns aligned memory
    const slice = new Uint8Array(entry.byteLength);
    slice.set(data.subarray(entry.offset, entry.offset + entry.byteLength));
    const values = entry.dtype === 'int32' ? new Int32Array(slice.buffer) : new Float32Array(slice.buffer);
    tensors[entry.key] = { dtype: entry.dtype, shape: entry.shape, data: values };
  }
  return { metadata: header.metadata, tensors };
}

/** Writes to `<path>.tmp-<pid>`, fsyncs, then renames over `path`: readers see the old or the new file, never half. */
export function writeFileAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function writeCheckpoint(path: string, payload: CheckpointPayload): void {
  writeFileAtomically(path, encodeCheckpoint(payload));
}

export function readCheckpoint(path: string): CheckpointPayload {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw checkpointError(
      path,
      `cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`,
    );
  }
  return decodeCheckpoint(bytes, path);
}
