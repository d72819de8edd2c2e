import { safetensorsError } from './errors.js';
import type { StateDict, TensorData, TensorDtype, TensorRecord } from './state-dict.js';

/**
 * safetensors (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`, then
 * the raw little-endian tensor bytes (offsets relative to the end of the header). Tensors are stored
 * in torch layout; NCHW -> NHWC happens only in nn/layout.ts when a state dict is loaded.
 */

const BYTES_PER_ELEMENT: Readonly<Record<TensorDtype, number>> = Object.freeze({
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
});

/** Header size limit (as the reference implementation: 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

function typedArrayFor(dtype: TensorDtype, bytes: Uint8Array): TensorData {
  // Copy so the result is aligned and independent of the file buffer (`new Uint8Array(view)` always
  // copies into a fresh, exactly sized buffer; `slice` on a Node Buffer returns a view into its pool).
  const buffer = new Uint8Array(bytes).buffer;
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer);
    case 'F32':
      return new Float32Array(buffer);
    case 'F16':
    case 'BF16':
      return new Uint16Array(buffer);
    case 'I64':
      return new BigInt64Array(buffer);
    case 'I32':
      return new Int32Array(buffer);
    case 'I16':
      return new Int16Array(buffer);
    case 'I8':
      return new Int8Array(buffer);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer);
  }
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Validates the length prefix and parses the JSON header. */
function readHeader(
  fn: string,
  bytes: Uint8Array,
): { header: Record<string, unknown>; headerLength: number } {
  if (!littleEndian) throw safetensorsError(fn, 'big-endian platforms are not supported');
  if (!(bytes instanceof Uint8Array)) {
    throw safetensorsError(
      fn,
      `argument 'bytes' must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  }
  if (bytes.length < 8)
    throw safetensorsError(fn, `file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
    throw safetensorsError(fn, `header length ${headerLength} does not fit the ${bytes.length}-byte file`, {
      headerLength,
    });
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (error) {
    throw safetensorsError(fn, `header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw safetensorsError(fn, 'header must be a JSON object');
  }
  return { header, headerLength };
}

/** Parses a safetensors file. Returns name -> {dtype, shape, data} (torch layout). */
export function loadSafetensors(bytes: Uint8Array): StateDict {
  const fn = 'loadSafetensors';
  const { header, headerLength } = readHeader(fn, bytes);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const result: StateDict = {};
  const spans: Array<[number, number, string]> = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = entry?.dtype as TensorDtype;
    if (typeof dtype !== 'string' || !(dtype in BYTES_PER_ELEMENT)) {
      throw safetensorsError(fn, `tensor '${name}' has unsupported dtype ${JSON.stringify(entry?.dtype)}`);
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
      throw safetensorsError(fn, `tensor '${name}' has invalid shape ${JSON.stringify(shape)}`);
    }
    const offsets = entry.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((n) => Number.isInteger(n) && n >= 0)
    ) {
      throw safetensorsError(fn, `tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const expectedBytes =
      shape.reduce((product: number, n: number) => product * n, 1) * BYTES_PER_ELEMENT[dtype];
    if (end < begin || end > dataLength || end - begin !== expectedBytes) {
      throw safetensorsError(
        fn,
        `tensor '${name}' (${dtype} [${shape}], ${expectedBytes} bytes) has data_offsets [${begin}, ${end}] outside or inconsistent with the ${dataLength}-byte data section`,
      );
    }
    spans.push([begin, end, name]);
    result[name] = {
      dtype,
      shape: [...shape],
      data: typedArrayFor(dtype, bytes.subarray(dataStart + begin, dataStart + end)),
    };
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) {
      throw safetensorsError(
        fn,
        `tensors '${spans[i - 1][2]}' and '${spans[i][2]}' overlap in the data section`,
      );
    }
  }
  return result;
}

/** The `__metadata__` string map of a safetensors file (empty when absent), e.g. the converter's options. */
export function loadSafetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  const { header } = readHeader('loadSafetensorsMetadata', bytes);
  const metadata = header.__metadata__;
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw safetensorsError('loadSafetensorsMetadata', '__metadata__ must be an object of strings');
  }
  return { ...(metadata as Record<string, string>) };
}

/** Serialises a state dict (names sorted, header space-padded to 8 bytes). */
export function saveSafetensors(record: StateDict, metadata?: Record<string, string>): Uint8Array {
  const fn = 'saveSafetensors';
  const names = Object.keys(record).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const tensor: TensorRecord = record[name];
    const size = tensor.shape.reduce((product, n) => product * n, 1);
    if (!(tensor.dtype in BYTES_PER_ELEMENT)) {
      throw safetensorsError(fn, `tensor '${name}' has unsupported dtype ${JSON.stringify(tensor.dtype)}`);
    }
    if (tensor.data.length !== size || tensor.data.BYTES_PER_ELEMENT !== BYTES_PER_ELEMENT[tensor.dtype]) {
      throw safetensorsError(
        fn,
        `tensor '${name}' holds ${tensor.data.length} values of ${tensor.data.BYTES_PER_ELEMENT} bytes, expected ${size} of ${BYTES_PER_ELEMENT[tensor.dtype]} for ${tensor.dtype} [${tensor.shape}]`,
      );
    }
    const byteLength = size * BYTES_PER_ELEMENT[tensor.dtype];
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + byteLength] };
    offset += byteLength;
  }
  let headerText = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(headerText);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    headerText += ' '.repeat(padding);
    headerBytes = encoder.encode(headerText);
  }
  const output = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(output.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  output.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const name of names) {
    const data = record[name].data;
    output.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return output;
}
