import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-kernel-call.js';

/**
 * x[:, 0 : (outHeight-1)*strideHeight+1 : strideHeight, 0 : ... : strideWidth, :] of an NHWC tensor
 * on the wasm heap, copying whole channel rows. wasm's StridedSlice takes ~135 ms (and a 6-D Slice
 * ~800 ms) for a [8, 56, 56, 256] input where this takes a few milliseconds.
 */
export function gatherStridedPositions(
  backend: WasmBackendLike,
  x: TensorInfo,
  strideHeight: number,
  strideWidth: number,
  outHeight: number,
  outWidth: number,
): TensorInfo {
  const [batch, inHeight, inWidth, channels] = x.shape as [number, number, number, number];
  const out = backend.makeOutput([batch, outHeight, outWidth, channels], x.dtype);
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  let to = 0;
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < outHeight; y++) {
      const rowStart = (n * inHeight + y * strideHeight) * inWidth;
      for (let column = 0; column < outWidth; column++) {
        const from = (rowStart + column * strideWidth) * channels;
        target.set(source.subarray(from, from + channels), to);
        to += channels;
      }
    }
  }
  return out;
}
