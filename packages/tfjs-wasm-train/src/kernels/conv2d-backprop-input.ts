import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { ConvPadding } from '../conv-geometry.js';
import { WasmTrainingError } from '../errors.js';
import type { KernelArguments } from '../wasm-kernel-call.js';
import { asWasmBackend, callWasmKernel, release } from '../wasm-kernel-call.js';
import { convolveOutputGradient } from './output-gradient-convolution.js';

/**
 * Attributes of `Conv2DBackpropInput`. `dilations` is an extension (tfjs' conv2d gradient only
 * supports dilation 1 and never passes it); direct callers may set it.
 */
export interface Conv2DBackpropInputKernelAttrs {
  strides: number | [number, number];
  pad: ConvPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** [batch, height, width, inChannels] */
  inputShape: [number, number, number, number];
  dilations?: number | [number, number];
}

/**
 * dX is the "full" convolution of the output gradient (zero-dilated by the stride) with the filter
 * flipped in space and with in/out channels swapped. That runs on wasm's XNNPACK Conv2D, replacing
 * tfjs-backend-wasm's own Conv2DBackpropInput (a scalar loop, ~35x slower than the forward conv).
 */
export function conv2DBackpropInputWasm(args: KernelArguments): TensorInfo {
  const backend = asWasmBackend(Conv2DBackpropInput, args.backend);
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropInputKernelAttrs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
    throw new WasmTrainingError(
      Conv2DBackpropInput,
      `supports dataFormat 'NHWC' only, got '${attrs.dataFormat}'`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth || dy.shape[3] !== info.outChannels) {
    throw new WasmTrainingError(
      Conv2DBackpropInput,
      `argument 'dy' has shape [${dy.shape}], expected [${attrs.inputShape[0]},${info.outHeight},${info.outWidth},${info.outChannels}]`,
    );
  }
  // Flip the filter in space and swap its channel axes: [kh, kw, Ci, Co] -> [kh, kw, Co, Ci].
  const flipped = callWasmKernel(backend, 'Reverse', { x: filter }, {
    dims: [0, 1],
  } as unknown as NamedAttrMap);
  const swapped = callWasmKernel(backend, 'Transpose', { x: flipped }, {
    perm: [0, 1, 3, 2],
  } as unknown as NamedAttrMap);
  release(backend, flipped);
  const result = convolveOutputGradient(backend, dy, info, (prepared, pad) =>
    callWasmKernel(backend, 'Conv2D', { x: prepared, filter: swapped }, {
      strides: [1, 1],
      dilations: [info.dilationHeight, info.dilationWidth],
      pad,
      dataFormat: 'NHWC',
    } as unknown as NamedAttrMap),
  );
  release(backend, swapped);
  return result;
}

/** Kernel config: the fast `Conv2DBackpropInput` on `wasm` (replaces the built-in one). */
export const conv2DBackpropInputWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm as unknown as KernelConfig['kernelFunc'],
};
