/**
 * Reads the torchvision fixtures written by tools/torch-fixtures/detection/generate.py (safetensors
 * layout: u64 header length, JSON header, little-endian data). Test-only helper.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StateDict } from '../state-dict.js';

export interface FixtureTensor {
  readonly shape: number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

export interface Fixture {
  readonly meta: Record<string, unknown>;
  has(name: string): boolean;
  float(name: string): Float32Array;
  int(name: string): Int32Array;
  bytes(name: string): Uint8Array;
  shape(name: string): number[];
  names(): string[];
}

const fixtureRoot = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../tools/torch-fixtures/detection/fixtures',
);

export function readFixture(name: string): Fixture {
  const buffer = readFileSync(join(fixtureRoot, `${name}.safetensors`));
  const headerLength = Number(buffer.readBigUInt64LE(0));
  const header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const metaEntry = header.__metadata__ as unknown as { json?: string } | undefined;
  const meta = metaEntry?.json ? (JSON.parse(metaEntry.json) as Record<string, unknown>) : {};
  const tensors = new Map<string, FixtureTensor>();
  for (const [key, entry] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const [start, end] = entry.data_offsets;
    const bytes = new Uint8Array(
      buffer.buffer.slice(buffer.byteOffset + base + start, buffer.byteOffset + base + end),
    );
    const data =
      entry.dtype === 'F32'
        ? new Float32Array(bytes.buffer)
        : entry.dtype === 'I32'
          ? new Int32Array(bytes.buffer)
          : bytes;
    tensors.set(key, { shape: entry.shape, data });
  }
  const get = (key: string): FixtureTensor => {
    const tensor = tensors.get(key);
    if (!tensor) throw new Error(`fixture ${name}: no tensor '${key}'`);
    return tensor;
  };
  return {
    meta,
    has: (key) => tensors.has(key),
    float: (key) => get(key).data as Float32Array,
    int: (key) => get(key).data as Int32Array,
    bytes: (key) => get(key).data as Uint8Array,
    shape: (key) => get(key).shape,
    names: () => [...tensors.keys()],
  };
}

/** Largest absolute difference between two arrays of equal length (Infinity when lengths differ). */
export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

/** The fixture tensors whose names start with `prefix`, as a torch-layout state dict (names kept). */
export function fixtureStateDict(fixture: Fixture, prefix: string): StateDict {
  const record: StateDict = {};
  for (const name of fixture.names()) {
    if (name.startsWith(prefix))
      record[name] = { dtype: 'F32', shape: fixture.shape(name), data: fixture.float(name) };
  }
  return record;
}
