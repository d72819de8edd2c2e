import type { backend_util, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { inputGradientPads } from '../conv-geometry.js';
import type { WasmBackendLike } from '../wasm-kernel-call.js';
import { callWasmKernel, release, view } from '../wasm-kernel-call.js';

/** Explicit NHWC pads as wasm's Conv2D / DepthwiseConv2dNative accept them. */
export type ExplicitPads = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Shared by the conv and depthwise input gradients: zero-dilates `dy` [N, Ho, Wo, C] by the forward
 * stride (a reshape to [N, Ho, 1, Wo, 1, C], a PadV2, a reshape back: all wasm), crops where the
 * forward pass padded more than the filter reach, and hands the result plus the explicit pads that
 * make a stride-1 convolution land exactly on the input size to `convolve`.
 */
export function convolveOutputGradient(
  backend: WasmBackendLike,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  convolve: (prepared: TensorInfo, pad: ExplicitPads) => TensorInfo,
): TensorInfo {
  const [batch, outHeight, outWidth, channels] = dy.shape as [number, number, number, number];
  const { strideHeight, strideWidth, inHeight, inWidth } = info;
  const toRelease: TensorInfo[] = [];
  let prepared = dy;
  if (strideHeight > 1 || strideWidth > 1) {
    const six = view(dy, [batch, outHeight, 1, outWidth, 1, channels]);
    const dilated = callWasmKernel(backend, 'PadV2', { x: six }, {
      paddings: [
        [0, 0],
        [0, 0],
        [0, strideHeight - 1],
        [0, 0],
        [0, strideWidth - 1],
        [0, 0],
      ],
      constantValue: 0,
    } as unknown as NamedAttrMap);
    toRelease.push(dilated);
    prepared = view(dilated, [batch, outHeight * strideHeight, outWidth * strideWidth, channels]);
  }
  const heightPads = inputGradientPads(
    inHeight,
    prepared.shape[1]!,
    info.effectiveFilterHeight,
    info.padInfo.top,
  );
  const widthPads = inputGradientPads(
    inWidth,
    prepared.shape[2]!,
    info.effectiveFilterWidth,
    info.padInfo.left,
  );
  if (heightPads.before < 0 || heightPads.after < 0 || widthPads.before < 0 || widthPads.after < 0) {
    const top = Math.max(-heightPads.before, 0);
    const left = Math.max(-widthPads.before, 0);
    const height = prepared.shape[1]! - top - Math.max(-heightPads.after, 0);
    const width = prepared.shape[2]! - left - Math.max(-widthPads.after, 0);
    prepared = callWasmKernel(backend, 'Slice', { x: prepared }, {
      begin: [0, top, left, 0],
      size: [batch, height, width, channels],
    } as unknown as NamedAttrMap);
    toRelease.push(prepared);
  }
  const result = convolve(prepared, [
    [0, 0],
    [Math.max(heightPads.before, 0), Math.max(heightPads.after, 0)],
    [Math.max(widthPads.before, 0), Math.max(widthPads.after, 0)],
    [0, 0],
  ]);
  release(backend, ...toRelease);
  return result;
}
