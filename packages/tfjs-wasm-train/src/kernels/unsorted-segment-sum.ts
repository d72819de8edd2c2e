import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { UnsortedSegmentSum } from '@tensorflow/tfjs-core';
import { WasmTrainingError } from '../errors.js';
import type { KernelArguments } from '../wasm-kernel-call.js';
import { asWasmBackend } from '../wasm-kernel-call.js';

/**
 * out[k, ...] = sum of x[i, ...] over the leading positions i whose segment id is k; ids outside
 * [0, numSegments) are dropped (TensorFlow semantics). `segmentIds` may cover several leading axes
 * of `x`. Used by the gradient of gather. A direct loop: it is a scatter-add, memory-bound.
 */
export function unsortedSegmentSumWasm(args: KernelArguments): TensorInfo {
  const backend = asWasmBackend(UnsortedSegmentSum, args.backend);
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new WasmTrainingError(
      UnsortedSegmentSum,
      `attribute 'numSegments' must be a non-negative integer, got ${numSegments}`,
    );
  }
  const idRank = segmentIds.shape.length;
  if (segmentIds.shape.some((size, axis) => size !== x.shape[axis])) {
    throw new WasmTrainingError(
      UnsortedSegmentSum,
      `argument 'segmentIds' has shape [${segmentIds.shape}], which must be a prefix of x's shape [${x.shape}]`,
    );
  }
  const innerShape = x.shape.slice(idRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const outShape = [numSegments, ...innerShape];
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const out =
    x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= numSegments) continue;
    const source = i * inner;
    const target = id * inner;
    for (let k = 0; k < inner; k++) out[target + k]! += xValues[source + k];
  }
  return backend.makeOutput(outShape, x.dtype === 'int32' ? 'int32' : 'float32', undefined, out);
}

/** Kernel config: `UnsortedSegmentSum` on `wasm`. */
export const unsortedSegmentSumWasmConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm as unknown as KernelConfig['kernelFunc'],
};
