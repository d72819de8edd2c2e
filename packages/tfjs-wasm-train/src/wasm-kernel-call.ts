import type { DataId, DataType, KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import { WasmTrainingError } from './errors.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` the training kernels use. */
export interface WasmBackendLike extends KernelBackend {
  /** Decrements the reference count of `dataId`; frees the heap block when it reaches zero. */
  disposeData(dataId: DataId, force?: boolean): boolean;
  /** A view of the tensor's data on the wasm heap (invalidated when the heap grows). */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Increments the reference count of `dataId` (a second tensor shares the heap block). */
  incRef(dataId: DataId): void;
  /** Allocates an output tensor on the wasm heap (zero-filled only if `values` is given). */
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: ArrayLike<number>): TensorInfo;
}

/** A `kernelFunc` argument, typed loosely the way tfjs passes it. */
export interface KernelArguments {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs?: NamedAttrMap;
}

/**
 * Runs a kernel that tfjs-backend-wasm itself registered (never one of ours, so replacements can call
 * the originals). The caller owns the returned tensor and must `release` it unless it is returned.
 */
export function callWasmKernel(
  backend: WasmBackendLike,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = originalWasmKernel(kernelName);
  ensureSetUp(config, backend);
  const result = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(result)) {
    throw new WasmTrainingError(kernelName, `returned ${result.length} tensors where one was expected`);
  }
  return result as TensorInfo;
}

/** Frees intermediate tensors made by `callWasmKernel` (reference-counted, so views stay safe). */
export function release(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The same data under another shape, without a copy or a reference (never `release` a view). */
export function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

type KernelConfigLike = NonNullable<ReturnType<typeof getKernel>>;
const originals = new Map<string, KernelConfigLike>();
/** Original kernels whose setupFunc ran for a backend instance. */
const setUp = new WeakMap<object, Set<KernelConfigLike>>();

/**
 * tfjs runs a kernel's setupFunc (wasm: binding its C++ function) only for kernels registered when
 * the backend initialises, so an original replaced before `setBackend('wasm')` is set up here, once
 * per backend, before its first call.
 */
function ensureSetUp(config: KernelConfigLike, backend: WasmBackendLike): void {
  if (config.setupFunc === undefined) return;
  let done = setUp.get(backend);
  if (done === undefined) {
    done = new Set();
    setUp.set(backend, done);
  }
  if (done.has(config)) return;
  config.setupFunc(backend);
  done.add(config);
}

/** Remembers a wasm kernel before it is replaced, so `callWasmKernel` keeps reaching the original. */
export function rememberOriginalWasmKernel(kernelName: string): void {
  if (originals.has(kernelName)) return;
  const config = getKernel(kernelName, 'wasm');
  if (config !== undefined) originals.set(kernelName, config);
}

/** The original wasm kernel (as registered by tfjs-backend-wasm) for `kernelName`, if any. */
export function originalWasmKernelOrUndefined(kernelName: string): KernelConfigLike | undefined {
  return originals.get(kernelName) ?? getKernel(kernelName, 'wasm');
}

function originalWasmKernel(kernelName: string): KernelConfigLike {
  const config = originalWasmKernelOrUndefined(kernelName);
  if (config === undefined) {
    throw new WasmTrainingError(
      kernelName,
      'is not registered for the wasm backend; import @tensorflow/tfjs-backend-wasm before registering training kernels',
    );
  }
  return config;
}

/** Narrows the backend passed to a kernel, with a clear error when it is not wasm. */
export function asWasmBackend(kernelName: string, backend: KernelBackend): WasmBackendLike {
  const candidate = backend as Partial<WasmBackendLike>;
  if (
    typeof candidate.typedArrayFromHeap !== 'function' ||
    typeof candidate.makeOutput !== 'function' ||
    typeof candidate.incRef !== 'function'
  ) {
    throw new WasmTrainingError(kernelName, 'runs only on the wasm backend', {
      backend: backend.constructor?.name,
    });
  }
  return backend as WasmBackendLike;
}
