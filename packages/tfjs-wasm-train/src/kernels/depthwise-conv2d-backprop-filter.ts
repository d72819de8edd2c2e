import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type { ConvPadding } from '../conv-geometry.js';
import { WasmTrainingError } from '../errors.js';
import type { KernelArguments } from '../wasm-kernel-call.js';
import { asWasmBackend } from '../wasm-kernel-call.js';

/** Attributes of `DepthwiseConv2dNativeBackpropFilter` (as tfjs-core passes them). */
export interface DepthwiseBackpropFilterKernelAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: ConvPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** [filterHeight, filterWidth, inChannels, channelMultiplier] */
  filterShape: [number, number, number, number];
}

/**
 * dW[i, j, c, m] = sum over n, y, x of X[n, y*s + i*d - pad, x*s + j*d - pad, c] * dY[n, y, x, c*M + m].
 *
 * A depthwise filter gradient has no channel contraction, so no wasm matmul or convolution computes
 * it without a C-fold waste; it is a direct loop over the heap views, innermost over contiguous
 * channels (memory-bound: about N*Ho*Wo*kh*kw*C multiply-adds, 3x3 taps in MobileNetV2).
 */
export function depthwiseConv2dNativeBackpropFilterWasm(args: KernelArguments): TensorInfo {
  const backend = asWasmBackend(DepthwiseConv2dNativeBackpropFilter, args.backend);
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseBackpropFilterKernelAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [batch, inHeight, inWidth, channels] = x.shape as [number, number, number, number];
  const multiplier = attrs.filterShape[3];
  const { outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== channels * multiplier) {
    throw new WasmTrainingError(
      DepthwiseConv2dNativeBackpropFilter,
      `argument 'dy' has shape [${dy.shape}], expected [${batch},${outHeight},${outWidth},${channels * multiplier}]`,
    );
  }
  const { dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const outChannels = channels * multiplier;
  // Accumulate in float64 per tap, then store: keeps long sums (N*Ho*Wo terms) accurate.
  const accumulator = new Float64Array(filterHeight * filterWidth * outChannels);
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < outHeight; y++) {
      for (let i = 0; i < filterHeight; i++) {
        const row = y * strideHeight + i * dilationHeight - padTop;
        if (row < 0 || row >= inHeight) continue;
        for (let xo = 0; xo < outWidth; xo++) {
          const dyBase = ((n * outHeight + y) * outWidth + xo) * outChannels;
          for (let j = 0; j < filterWidth; j++) {
            const column = xo * strideWidth + j * dilationWidth - padLeft;
            if (column < 0 || column >= inWidth) continue;
            const xBase = ((n * inHeight + row) * inWidth + column) * channels;
            const accBase = (i * filterWidth + j) * outChannels;
            if (multiplier === 1) {
              for (let c = 0; c < channels; c++)
                accumulator[accBase + c]! += xValues[xBase + c]! * dyValues[dyBase + c]!;
            } else {
              for (let c = 0; c < channels; c++) {
                const xValue = xValues[xBase + c]!;
                for (let m = 0; m < multiplier; m++) {
                  const k = c * multiplier + m;
                  accumulator[accBase + k]! += xValue * dyValues[dyBase + k]!;
                }
              }
            }
          }
        }
      }
    }
  }
  return backend.makeOutput(attrs.filterShape, 'float32', undefined, Float32Array.from(accumulator));
}

/** Kernel config: `DepthwiseConv2dNativeBackpropFilter` on `wasm`. */
export const depthwiseConv2dNativeBackpropFilterWasmConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilterWasm as unknown as KernelConfig['kernelFunc'],
};
