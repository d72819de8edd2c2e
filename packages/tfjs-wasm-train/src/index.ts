export type { BatchNormTrainingOptions, BatchNormTrainingResult } from './batch-norm-training.js';
export { batchNormTraining, DEFAULT_BATCH_NORM_TRAINING_OPTIONS } from './batch-norm-training.js';
export type { ConvPadding } from './conv-geometry.js';
export { WasmTrainingError } from './errors.js';
export type { Conv2DBackpropFilterKernelAttrs } from './kernels/conv2d-backprop-filter.js';
export { conv2DBackpropFilterWasm } from './kernels/conv2d-backprop-filter.js';
export type { Conv2DBackpropInputKernelAttrs } from './kernels/conv2d-backprop-input.js';
export { conv2DBackpropInputWasm } from './kernels/conv2d-backprop-input.js';
export type { DepthwiseBackpropFilterKernelAttrs } from './kernels/depthwise-conv2d-backprop-filter.js';
export { depthwiseConv2dNativeBackpropFilterWasm } from './kernels/depthwise-conv2d-backprop-filter.js';
export type { DepthwiseBackpropInputKernelAttrs } from './kernels/depthwise-conv2d-backprop-input.js';
export { depthwiseConv2dNativeBackpropInputWasm } from './kernels/depthwise-conv2d-backprop-input.js';
export { identitySharedWasm } from './kernels/identity-shared.js';
export { tileWasm } from './kernels/tile.js';
export { unsortedSegmentSumWasm } from './kernels/unsorted-segment-sum.js';
export type { RegisterWasmTrainingKernelsOptions } from './register.js';
export {
  DEFAULT_REGISTER_WASM_TRAINING_KERNELS_OPTIONS,
  registeredWasmTrainingKernels,
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNEL_CONFIGS,
} from './register.js';
export { registerAllGradients } from './register-all-gradients.js';
export type { ThreadedWasmBackend, ThreadedWasmOptions } from './threaded-wasm.js';
export { setThreadedWasmBackend } from './threaded-wasm.js';
