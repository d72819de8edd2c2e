import { describe, expect, it } from 'vitest';
import { WeightsError } from './errors.js';
import { loadSafetensors, loadSafetensorsMetadata, saveSafetensors } from './safetensors.js';
import type { StateDict } from './state-dict.js';

/** Builds a file by hand: header JSON (unpadded) + data. */
function handMade(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

describe('saveSafetensors / loadSafetensors', () => {
  it('reads a hand-made file (odd header length, unaligned data)', () => {
    const data = new Uint8Array(new Float32Array([1.5, -2, 3.25]).buffer);
    const bytes = handMade(
      { a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] }, __metadata__: { format: 'pt' } },
      data,
    );
    const record = loadSafetensors(bytes);
    expect(Object.keys(record)).toEqual(['a']);
    expect(record.a.dtype).toBe('F32');
    expect(record.a.shape).toEqual([3]);
    expect(Array.from(record.a.data as Float32Array)).toEqual([1.5, -2, 3.25]);
  });

  it('writes the documented layout: u64 header length, 8-byte aligned space-padded JSON, sorted names', () => {
    const bytes = saveSafetensors({
      b: { dtype: 'I32', shape: [1], data: new Int32Array([7]) },
      a: { dtype: 'U8', shape: [2], data: new Uint8Array([1, 2]) },
    });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    expect(header.trimEnd()).toBe(
      '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"I32","shape":[1],"data_offsets":[2,6]}}',
    );
    expect(Array.from(bytes.subarray(8 + headerLength))).toEqual([1, 2, 7, 0, 0, 0]);
  });

  it('round-trips every dtype bit-exactly, including NaN payloads, -0 and empty tensors', () => {
    const f32 = new Float32Array([Number.NaN, -0, 1e-45, 3.4e38, -1]);
    new Uint32Array(f32.buffer)[0] = 0x7fc00123; // a NaN with a payload
    const record: StateDict = {
      f32: { dtype: 'F32', shape: [5], data: f32 },
      f64: { dtype: 'F64', shape: [1, 2], data: new Float64Array([Math.PI, -Math.E]) },
      f16: { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xfbff]) },
      bf16: { dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) },
      i64: { dtype: 'I64', shape: [2], data: new BigInt64Array([-5n, 2n ** 40n]) },
      i8: { dtype: 'I8', shape: [1], data: new Int8Array([-3]) },
      empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    };
    const bytes = saveSafetensors(record, { note: 'x' });
    const loaded = loadSafetensors(bytes);
    expect(Object.keys(loaded).sort()).toEqual(Object.keys(record).sort());
    for (const [name, tensor] of Object.entries(record)) {
      expect(loaded[name].dtype).toBe(tensor.dtype);
      expect(loaded[name].shape).toEqual(tensor.shape);
      const raw = (t: typeof tensor) =>
        Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      expect(raw(loaded[name]), name).toEqual(raw(tensor));
    }
    expect(Array.from(saveSafetensors(loaded, { note: 'x' }))).toEqual(Array.from(bytes));
  });

  it('reads the metadata map (empty when absent)', () => {
    const options = JSON.stringify({ architecture: 'resnet50' });
    expect(loadSafetensorsMetadata(saveSafetensors({}, { source: 'torchvision', options }))).toEqual({
      source: 'torchvision',
      options,
    });
    expect(loadSafetensorsMetadata(saveSafetensors({}))).toEqual({});
    expect(() => loadSafetensorsMetadata(new Uint8Array(3))).toThrow(
      'loadSafetensorsMetadata: file is 3 bytes, shorter than the 8-byte header length',
    );
  });

  it('reads an empty record', () => {
    expect(loadSafetensors(saveSafetensors({}))).toEqual({});
  });

  it('rejects malformed files with E_SAFETENSORS and a precise message', () => {
    const expectError = (bytes: Uint8Array, message: string) => {
      try {
        loadSafetensors(bytes);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(WeightsError);
        expect((error as WeightsError).code).toBe('E_SAFETENSORS');
        expect((error as Error).message).toContain(message);
      }
    };
    expectError(new Uint8Array(4), 'loadSafetensors: file is 4 bytes, shorter than the 8-byte header length');
    const tooLong = new Uint8Array(16);
    new DataView(tooLong.buffer).setBigUint64(0, 100n, true);
    expectError(tooLong, 'header length 100 does not fit the 16-byte file');
    expectError(handMade('x', new Uint8Array(0)), 'header must be a JSON object');
    const badJson = handMade({}, new Uint8Array(0));
    badJson[8] = 0x7b + 1;
    expectError(badJson, 'header is not valid UTF-8 JSON');
    expectError(
      handMade({ a: { dtype: 'Q8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)),
      `tensor 'a' has unsupported dtype "Q8"`,
    );
    expectError(
      handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(8)),
      "tensor 'a' (F32 [2], 8 bytes) has data_offsets [0, 4] outside or inconsistent with the 8-byte data section",
    );
    expectError(
      handMade(
        {
          a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] },
          b: { dtype: 'U8', shape: [2], data_offsets: [1, 3] },
        },
        new Uint8Array(3),
      ),
      "tensors 'a' and 'b' overlap",
    );
  });

  it('rejects records whose data does not match dtype and shape', () => {
    expect(() => saveSafetensors({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(
      "saveSafetensors: tensor 'a' holds 2 values of 4 bytes, expected 3 of 4 for F32 [3]",
    );
  });
});

describe('loadSafetensors on Node Buffers', () => {
  it('reads exactly each tensor from a Buffer that lives inside Node’s shared pool', () => {
    const bytes = saveSafetensors({
      'a.weight': { dtype: 'F32', shape: [2], data: Float32Array.of(0.5, -1) },
    });
    const pooled = Buffer.from(bytes);
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    const loaded = loadSafetensors(pooled);
    expect(Array.from(loaded['a.weight']!.data as Float32Array)).toEqual([0.5, -1]);
  });
});
