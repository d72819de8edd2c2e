import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';
import type { ConvPadding } from '../conv-geometry.js';
import { WasmTrainingError } from '../errors.js';
import type { KernelArguments } from '../wasm-kernel-call.js';
import { asWasmBackend, callWasmKernel, release, view } from '../wasm-kernel-call.js';
import type { PhaseConvolution } from './input-gradient-phases.js';
import { phaseInputGradient } from './input-gradient-phases.js';

/** Attributes of `DepthwiseConv2dNativeBackpropInput` (as tfjs-core passes them). */
export interface DepthwiseBackpropInputKernelAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: ConvPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** [batch, height, width, inChannels] */
  inputShape: [number, number, number, number];
}

/**
 * dX is the depthwise "full" convolution of the output gradient with the spatially flipped filter,
 * split into stride*stride phases (`phaseInputGradient`), on wasm's XNNPACK DepthwiseConv2dNative.
 * With a channel multiplier M > 1 each of the M filter slices is applied to its strided slice of dY
 * and the results are summed.
 */
export function depthwiseConv2dNativeBackpropInputWasm(args: KernelArguments): TensorInfo {
  const backend = asWasmBackend(DepthwiseConv2dNativeBackpropInput, args.backend);
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseBackpropInputKernelAttrs;
  const filterShape = filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [filterHeight, filterWidth, channels, multiplier] = filterShape;
  if (
    dy.shape[1] !== info.outHeight ||
    dy.shape[2] !== info.outWidth ||
    dy.shape[3] !== channels * multiplier
  ) {
    throw new WasmTrainingError(
      DepthwiseConv2dNativeBackpropInput,
      `argument 'dy' has shape [${dy.shape}], expected [${attrs.inputShape[0]},${info.outHeight},${info.outWidth},${channels * multiplier}]`,
    );
  }
  const convolve: PhaseConvolution = (x, subFilter, pad, dilations) =>
    callWasmKernel(backend, 'DepthwiseConv2dNative', { x, filter: subFilter }, {
      strides: [1, 1],
      dilations,
      pad,
    } as unknown as NamedAttrMap);
  if (multiplier === 1) {
    return phaseInputGradient(backend, dy, filter, info, channels, 'depthwise', convolve);
  }
  // Channel multiplier M: dY channel c*M + m belongs to input channel c and filter slice m.
  const [batch, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const dyFive = view(dy, [batch, outHeight, outWidth, channels, multiplier]);
  let sum: TensorInfo | undefined;
  for (let m = 0; m < multiplier; m++) {
    const dySlice = callWasmKernel(backend, 'Slice', { x: dyFive }, {
      begin: [0, 0, 0, 0, m],
      size: [batch, outHeight, outWidth, channels, 1],
    } as unknown as NamedAttrMap);
    const filterSlice = callWasmKernel(backend, 'Slice', { x: filter }, {
      begin: [0, 0, 0, m],
      size: [filterHeight, filterWidth, channels, 1],
    } as unknown as NamedAttrMap);
    const part = phaseInputGradient(
      backend,
      view(dySlice, [batch, outHeight, outWidth, channels]),
      filterSlice,
      info,
      channels,
      'depthwise',
      convolve,
    );
    release(backend, dySlice, filterSlice);
    if (sum === undefined) {
      sum = part;
    } else {
      const next = callWasmKernel(backend, 'Add', { a: sum, b: part });
      release(backend, sum, part);
      sum = next;
    }
  }
  return sum!;
}

/** Kernel config: `DepthwiseConv2dNativeBackpropInput` on `wasm`. */
export const depthwiseConv2dNativeBackpropInputWasmConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInputWasm as unknown as KernelConfig['kernelFunc'],
};
