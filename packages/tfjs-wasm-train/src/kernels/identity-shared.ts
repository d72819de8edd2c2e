import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { Identity } from '@tensorflow/tfjs-core';
import type { KernelArguments } from '../wasm-kernel-call.js';
import { asWasmBackend, callWasmKernel } from '../wasm-kernel-call.js';

/**
 * `Identity` that shares the input's heap block (a reference count, as the cpu backend does) instead
 * of copying it. tfjs clones every tensor it saves for the backward pass through Identity, so with
 * wasm's copying Identity a training step held a second copy of every saved activation (measured:
 * ~60% of the peak memory of a DCT-ResNet-50 step, and ~0.5 s of copies at batch 8). Tensors are
 * immutable in tfjs and wasm kernels never write into their inputs, so sharing is safe; wasm's
 * Reshape already shares the same way.
 */
export function identitySharedWasm(args: KernelArguments): TensorInfo {
  const backend = asWasmBackend(Identity, args.backend);
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return callWasmKernel(backend, Identity, { x });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Kernel config: the sharing `Identity` on `wasm` (replaces the copying one). */
export const identitySharedWasmConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identitySharedWasm as unknown as KernelConfig['kernelFunc'],
};
