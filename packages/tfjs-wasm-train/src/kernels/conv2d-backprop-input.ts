import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { ConvPadding } from '../conv-geometry.js';
import { WasmTrainingError } from '../errors.js';
import type { KernelArguments } from '../wasm-kernel-call.js';
import { asWasmBackend, callWasmKernel } from '../wasm-kernel-call.js';
import { phaseInputGradient } from './input-gradient-phases.js';

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
 * dX is the "full" convolution of the output gradient with the filter flipped in space and its
 * channel axes swapped; with stride s it splits into s*s stride-1 phase convolutions
 * (`phaseInputGradient`). All run on wasm's XNNPACK Conv2D, replacing tfjs-backend-wasm's own
 * Conv2DBackpropInput (a scalar loop, measured ~35x slower than the forward convolution).
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
  return phaseInputGradient(
    backend,
    dy,
    filter,
    info,
    info.inChannels,
    'conv-swap-channels',
    (x, subFilter, pad, dilations) =>
      callWasmKernel(backend, 'Conv2D', { x, filter: subFilter }, {
        strides: [1, 1],
        dilations,
        pad,
        dataFormat: 'NHWC',
      } as unknown as NamedAttrMap),
  );
}

/** Kernel config: the fast `Conv2DBackpropInput` on `wasm` (replaces the built-in one). */
export const conv2DBackpropInputWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm as unknown as KernelConfig['kernelFunc'],
};
