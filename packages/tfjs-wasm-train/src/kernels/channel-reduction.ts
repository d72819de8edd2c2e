import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { Mean, Sum, util } from '@tensorflow/tfjs-core';
import type { KernelArguments, WasmBackendLike } from '../wasm-kernel-call.js';
import { asWasmBackend, callWasmKernel, view } from '../wasm-kernel-call.js';

/**
 * `Sum` / `Mean` over every axis but the last (per-channel reductions of NHWC activations: BatchNorm
 * statistics and its gradients) as one matrix product w[1, P] x X[P, C] on wasm's BatchMatMul, with
 * w = 1 (Sum) or 1/P (Mean). Measured on [8, 56, 56, 64]: 0.24 ms CPU against 2.3-3.0 ms for wasm's
 * own reductions. Every other reduction goes to the original kernel.
 */
function channelReduction(kernelName: typeof Sum | typeof Mean, args: KernelArguments): TensorInfo {
  const backend = asWasmBackend(kernelName, args.backend);
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  const positions = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (!leading || x.dtype !== 'float32' || positions === 0) {
    return callWasmKernel(backend, kernelName, { x }, args.attrs as NamedAttrMap);
  }
  const channels = x.shape[rank - 1]!;
  const weights = filledRow(backend, positions, kernelName === Mean ? 1 / positions : 1);
  const product = callWasmKernel(
    backend,
    'BatchMatMul',
    { a: weights, b: view(x, [1, positions, channels]) },
    {
      transposeA: false,
      transposeB: false,
    } as unknown as NamedAttrMap,
  );
  backend.disposeData(weights.dataId);
  return view(product, keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels]);
}

function filledRow(backend: WasmBackendLike, length: number, value: number): TensorInfo {
  const row = backend.makeOutput([1, 1, length], 'float32');
  (backend.typedArrayFromHeap(row) as Float32Array).fill(value);
  return row;
}

/** `Sum` on wasm with the per-channel fast path (see `channelReduction`). */
export function sumWasm(args: KernelArguments): TensorInfo {
  return channelReduction(Sum, args);
}

/** `Mean` on wasm with the per-channel fast path (see `channelReduction`). */
export function meanWasm(args: KernelArguments): TensorInfo {
  return channelReduction(Mean, args);
}

/** Kernel configs: `Sum` and `Mean` on `wasm` (replace the built-in ones, which they fall back to). */
export const sumWasmConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sumWasm as unknown as KernelConfig['kernelFunc'],
};
export const meanWasmConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: meanWasm as unknown as KernelConfig['kernelFunc'],
};
