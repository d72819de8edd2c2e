import * as tf from '@tensorflow/tfjs-core';
import { stateDictError } from './errors.js';
import { tfToTorch, torchToTf } from './nn/layout.js';
import type { ParameterStore } from './nn/parameter-store.js';

/** safetensors dtype names. */
export type TensorDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** The typed array holding a tensor's values; F16 and BF16 hold raw 16-bit patterns in a Uint16Array. */
export type TensorData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** One tensor of a checkpoint, row-major, in torch layout (NCHW / [out, in, kh, kw]). */
export interface TensorRecord {
  dtype: TensorDtype;
  shape: number[];
  data: TensorData;
}

/** A checkpoint: torchvision state_dict names -> tensors in torch layout. */
export type StateDict = Record<string, TensorRecord>;

/** What `loadStateDict` did. */
export interface LoadStateDictReport {
  /** Names the network has and the record provided. */
  loaded: string[];
  /** Names the network has but the record lacks (only possible with `strict: false`). */
  missing: string[];
  /** Names the record has but the network lacks (only possible with `strict: false`). */
  unexpected: string[];
}

export interface LoadStateDictOptions {
  /** Reject missing or unexpected names (default true), like torch's `load_state_dict(strict=True)`. */
  strict?: boolean;
}

export const LOAD_STATE_DICT_DEFAULTS: Readonly<Required<LoadStateDictOptions>> = Object.freeze({
  strict: true,
});

/** Names torch keeps in a state_dict that carry no values for inference (ignored on load). */
function isIgnoredName(name: string): boolean {
  return name.endsWith('.num_batches_tracked');
}

function decodeHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The record's values as float32 (F16 / BF16 decoded, integers converted). */
export function toFloat32(record: TensorRecord): Float32Array {
  const { dtype, data } = record;
  switch (dtype) {
    case 'F32':
      return data as Float32Array;
    case 'F16':
      return Float32Array.from(data as Uint16Array, decodeHalf);
    case 'BF16': {
      const bits = new Uint32Array((data as Uint16Array).length);
      (data as Uint16Array).forEach((value, i) => {
        bits[i] = value << 16;
      });
      return new Float32Array(bits.buffer);
    }
    case 'I64':
      return Float32Array.from(data as BigInt64Array, (value) => Number(value));
    default:
      return Float32Array.from(data as ArrayLike<number>);
  }
}

/** Reads every parameter and buffer of a store as a torch-layout float32 state dict. */
export function readStateDict(store: ParameterStore): StateDict {
  const result: StateDict = {};
  for (const entry of store.list()) {
    const values = entry.variable.dataSync() as Float32Array;
    result[entry.name] = {
      dtype: 'F32',
      shape: [...entry.torchShape],
      data: tfToTorch(entry.kind, entry.torchShape, values),
    };
  }
  return result;
}

/**
 * Assigns a torch-layout state dict to a store. Everything is validated before any variable changes,
 * so a failed load leaves the network untouched. Shape mismatches always throw (as torch does).
 */
export function writeStateDict(
  store: ParameterStore,
  record: StateDict,
  options: LoadStateDictOptions = {},
  functionName = 'loadStateDict',
): LoadStateDictReport {
  const { strict } = { ...LOAD_STATE_DICT_DEFAULTS, ...options };
  const entries = store.list();
  const known = new Set(entries.map((entry) => entry.name));
  const missing = entries.filter((entry) => !(entry.name in record)).map((entry) => entry.name);
  const unexpected = Object.keys(record).filter((name) => !known.has(name) && !isIgnoredName(name));
  if (strict && (missing.length > 0 || unexpected.length > 0)) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length} name(s): ${listNames(missing)}`);
    if (unexpected.length > 0)
      parts.push(`unexpected ${unexpected.length} name(s): ${listNames(unexpected)}`);
    throw stateDictError(functionName, `argument 'record' does not match the network: ${parts.join('; ')}`, {
      missing,
      unexpected,
    });
  }
  const mismatched: string[] = [];
  const loadable = entries.filter((entry) => entry.name in record);
  for (const entry of loadable) {
    const tensor = record[entry.name];
    const size = tensor.shape.reduce((product, n) => product * n, 1);
    const sameShape =
      tensor.shape.length === entry.torchShape.length &&
      tensor.shape.every((n, i) => n === entry.torchShape[i]);
    if (!sameShape) {
      mismatched.push(
        `'${entry.name}' has shape [${tensor.shape}] but the network expects [${entry.torchShape}]`,
      );
    } else if (tensor.data.length !== size) {
      mismatched.push(`'${entry.name}' has ${tensor.data.length} values for shape [${tensor.shape}]`);
    }
  }
  if (mismatched.length > 0) {
    throw stateDictError(functionName, `argument 'record' has shape mismatches: ${mismatched.join('; ')}`, {
      mismatched,
    });
  }
  for (const entry of loadable) {
    const values = torchToTf(entry.kind, entry.torchShape, toFloat32(record[entry.name]));
    const value = tf.tensor(values, entry.variable.shape, 'float32');
    entry.variable.assign(value);
    value.dispose();
  }
  return { loaded: loadable.map((entry) => entry.name), missing, unexpected };
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 8).map((name) => `'${name}'`);
  return names.length > 8 ? `${shown.join(', ')}, ... (${names.length - 8} more)` : shown.join(', ');
}
