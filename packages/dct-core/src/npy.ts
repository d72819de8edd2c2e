import { ArgumentError, FdlError } from './errors.js';

/** NumPy dtypes this module reads and writes (little endian). */
export type NpyDtype = 'float32' | 'int16' | 'int32' | 'uint8';
export type NpyData = Float32Array | Int16Array | Int32Array | Uint8Array;

/** An array in C (row-major) order with its shape; `data.length` = product of `shape`. */
export interface NpyArray<T extends NpyData = NpyData> {
  data: T;
  shape: readonly number[];
}

export interface DecodedNpy extends NpyArray {
  dtype: NpyDtype;
}

/** A malformed or unsupported .npy file. */
export class NpyFormatError extends FdlError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('E_NPY_FORMAT', message, details);
  }
}

const DESCRIPTORS: Record<NpyDtype, string> = { float32: '<f4', int16: '<i2', int32: '<i4', uint8: '|u1' };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

function dtypeOf(data: NpyData): NpyDtype | null {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  return null;
}

/**
 * Encodes an array as a NumPy .npy file (format 1.0, C order, little endian; header padded so the data
 * starts at a multiple of 64 bytes). The dtype follows the TypedArray: float32, int16, int32 or uint8.
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { data, shape } = array;
  const dtype = data ? dtypeOf(data) : null;
  if (dtype === null)
    throw new ArgumentError(
      'encodeNpy',
      'array.data',
      'must be a Float32Array, Int16Array, Int32Array or Uint8Array',
    );
  if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ArgumentError(
      'encodeNpy',
      'array.shape',
      `must be a list of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new ArgumentError(
      'encodeNpy',
      'array.shape',
      `[${shape.join(', ')}] holds ${size} values but data has ${data.length}`,
      {
        shape,
        length: data.length,
      },
    );
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCRIPTORS[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (isLittleEndian() || dtype === 'uint8') {
    out.set(bytes, 10 + header.length);
  } else {
    const view = new DataView(out.buffer, 10 + header.length);
    for (let i = 0; i < data.length; i++) {
      if (dtype === 'float32') view.setFloat32(i * 4, data[i], true);
      else if (dtype === 'int16') view.setInt16(i * 2, data[i], true);
      else view.setInt32(i * 4, data[i], true);
    }
  }
  return out;
}

function isLittleEndian(): boolean {
  return new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
}

/** Decodes a .npy file (versions 1.0, 2.0, 3.0; little-endian float32, int16, int32 or uint8; C order). */
export function decodeNpy(bytes: Uint8Array): DecodedNpy {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError('decodeNpy', 'bytes', 'must be a Uint8Array');
  if (bytes.length < 10 || !MAGIC.every((value, i) => bytes[i] === value)) {
    throw new NpyFormatError('decodeNpy: not a .npy file (missing \\x93NUMPY magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyFormatError(`decodeNpy: unsupported .npy version ${major}.${bytes[7]}`, { version: major });
  }
  if (headerStart + headerLength > bytes.length)
    throw new NpyFormatError('decodeNpy: header runs past the end of the file');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError(`decodeNpy: malformed header ${JSON.stringify(header.trim())}`);
  }
  if (fortran === 'True') throw new NpyFormatError('decodeNpy: Fortran-order arrays are not supported');
  const dtype = (Object.keys(DESCRIPTORS) as NpyDtype[]).find(
    (key) => DESCRIPTORS[key] === descr || (key === 'uint8' && descr === '<u1'),
  );
  if (dtype === undefined) {
    throw new NpyFormatError(`decodeNpy: unsupported dtype '${descr}' (supported: <f4, <i2, <i4, |u1)`, {
      descr,
    });
  }
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(Number);
  if (!shape.every((n) => Number.isInteger(n) && n >= 0))
    throw new NpyFormatError(`decodeNpy: bad shape (${shapeText})`);
  const size = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const itemSize = dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'int16' ? 2 : 1;
  if (bytes.length - dataStart < size * itemSize) {
    throw new NpyFormatError(
      `decodeNpy: shape [${shape.join(', ')}] needs ${size * itemSize} data bytes, file has ${bytes.length - dataStart}`,
    );
  }
  let data: NpyData;
  // `new Uint8Array(view)` always copies into a fresh, exactly sized buffer; `slice` on a Node Buffer
  // would return a view into its shared pool instead.
  const copy = () => new Uint8Array(bytes.subarray(dataStart, dataStart + size * itemSize)).buffer;
  if (dtype === 'uint8') data = new Uint8Array(bytes.subarray(dataStart, dataStart + size));
  else if (isLittleEndian()) {
    // A fresh copy is aligned, so the typed array can view it directly.
    data =
      dtype === 'float32'
        ? new Float32Array(copy())
        : dtype === 'int32'
          ? new Int32Array(copy())
          : new Int16Array(copy());
  } else if (dtype === 'float32') {
    data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getFloat32(dataStart + i * 4, true);
  } else if (dtype === 'int32') {
    data = new Int32Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getInt32(dataStart + i * 4, true);
  } else {
    data = new Int16Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getInt16(dataStart + i * 2, true);
  }
  return { data, shape, dtype };
}
