import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyFormatError } from './npy.js';

/** Independent header parse: magic, version, length, dict text; data offset must be 64-aligned. */
function parseHeader(bytes: Uint8Array) {
  const length = bytes[8] | (bytes[9] << 8);
  return {
    version: [bytes[6], bytes[7]],
    text: String.fromCharCode(...bytes.subarray(10, 10 + length)),
    dataStart: 10 + length,
  };
}

describe('encodeNpy / decodeNpy', () => {
  it('writes a NumPy 1.0 header with dtype, C order and shape', () => {
    const bytes = encodeNpy({ data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [1, 2, 3] });
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x93, 78, 85, 77, 80, 89]);
    const header = parseHeader(bytes);
    expect(header.version).toEqual([1, 0]);
    expect(header.text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }")).toBe(
      true,
    );
    expect(header.text.endsWith('\n')).toBe(true);
    expect(header.dataStart % 64).toBe(0);
    expect(new DataView(bytes.buffer).getFloat32(header.dataStart + 4, true)).toBe(2);
    expect(bytes.length).toBe(header.dataStart + 24);
  });
  it('round trips every dtype, 1-D and empty shapes', () => {
    const arrays = [
      { data: Float32Array.of(-1.5, 3.25), shape: [2] },
      { data: Int16Array.of(-32768, 7, 32767), shape: [3, 1] },
      { data: Int32Array.of(-5, 2 ** 30), shape: [2] },
      { data: Uint8Array.of(0, 255, 9, 1), shape: [2, 2] },
      { data: new Float32Array(0), shape: [0, 3] },
    ];
    for (const array of arrays) {
      const decoded = decodeNpy(encodeNpy(array));
      expect(decoded.shape).toEqual(array.shape);
      expect(decoded.data).toEqual(array.data);
    }
    expect(parseHeader(encodeNpy(arrays[0])).text).toContain("'shape': (2,)");
    expect(decodeNpy(encodeNpy(arrays[3])).dtype).toBe('uint8');
  });
  it('reports bad input with the function and the values', () => {
    expect(() => encodeNpy({ data: Float32Array.of(1, 2, 3), shape: [2, 2] })).toThrow(
      "encodeNpy: argument 'array.shape' [2, 2] holds 4 values but data has 3",
    );
    expect(() => decodeNpy(Uint8Array.of(1, 2, 3))).toThrow(NpyFormatError);
    const bytes = encodeNpy({ data: Float32Array.of(1), shape: [1] });
    const header = parseHeader(bytes);
    const big = bytes.slice();
    big.set(
      Array.from("'>f4'", (c) => c.charCodeAt(0)),
      10 + header.text.indexOf("'<f4'"),
    );
    expect(() => decodeNpy(big)).toThrow(
      "decodeNpy: unsupported dtype '>f4' (supported: <f4, <i2, <i4, |u1)",
    );
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 2))).toThrow('needs 4 data bytes, file has 2');
  });
});

describe('decodeNpy on Node Buffers', () => {
  it('reads exactly the array from a small Buffer that lives inside Node’s shared pool', () => {
    const encoded = encodeNpy({ data: Float32Array.of(1.5, -2, 3.25), shape: [3] });
    const pooled = Buffer.from(encoded); // small Buffers are views into one shared 8 KiB pool
    expect(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.byteLength).toBe(true);
    const decoded = decodeNpy(pooled);
    expect(Array.from(decoded.data)).toEqual([1.5, -2, 3.25]);
    const bytes = decodeNpy(Buffer.from(encodeNpy({ data: Uint8Array.of(7, 8), shape: [2] })));
    expect(Array.from(bytes.data)).toEqual([7, 8]);
    expect(bytes.data.buffer.byteLength).toBe(2);
  });
});
