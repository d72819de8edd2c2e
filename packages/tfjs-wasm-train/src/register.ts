import type { KernelConfig } from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { WasmTrainingError } from './errors.js';
import { conv2DBackpropFilterWasmConfig } from './kernels/conv2d-backprop-filter.js';
import { conv2DBackpropInputWasmConfig } from './kernels/conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterWasmConfig } from './kernels/depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputWasmConfig } from './kernels/depthwise-conv2d-backprop-input.js';
import { identitySharedWasmConfig } from './kernels/identity-shared.js';
import { tileWasmConfig } from './kernels/tile.js';
import { unsortedSegmentSumWasmConfig } from './kernels/unsorted-segment-sum.js';
import { rememberOriginalWasmKernel } from './wasm-kernel-call.js';

/** Options of `registerWasmTrainingKernels`. */
export interface RegisterWasmTrainingKernelsOptions {
  /**
   * Replace tfjs-backend-wasm's own `Conv2DBackpropInput` (a scalar loop) with the XNNPACK-based one.
   * Default true.
   */
  readonly replaceConv2DBackpropInput: boolean;
  /**
   * Replace wasm's copying `Identity` with one that shares the heap block (see `identitySharedWasm`):
   * halves the memory a training step keeps for the backward pass. Default true.
   */
  readonly shareIdentity: boolean;
  /** Replace wasm's element-wise `Tile` with block copies (see `tileWasm`). Default true. */
  readonly replaceTile: boolean;
}

/** Defaults of `registerWasmTrainingKernels`. */
export const DEFAULT_REGISTER_WASM_TRAINING_KERNELS_OPTIONS: Readonly<RegisterWasmTrainingKernelsOptions> =
  Object.freeze({
    replaceConv2DBackpropInput: true,
    shareIdentity: true,
    replaceTile: true,
  });

/** Every kernel this package can provide for `wasm`, in registration order. */
export const WASM_TRAINING_KERNEL_CONFIGS: readonly KernelConfig[] = Object.freeze([
  conv2DBackpropFilterWasmConfig,
  conv2DBackpropInputWasmConfig,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
  unsortedSegmentSumWasmConfig,
  identitySharedWasmConfig,
  tileWasmConfig,
]);

/** Kernels this package registered, so registration is idempotent and can be undone. */
const registered = new Map<string, KernelConfig>();
const ours = new Set(WASM_TRAINING_KERNEL_CONFIGS.map((config) => config.kernelFunc));

/**
 * Registers, for the `wasm` backend, the kernels a training step needs that tfjs-backend-wasm lacks
 * (filter gradients, depthwise gradients, UnsortedSegmentSum), and replaces three slow ones: a fast
 * Conv2DBackpropInput, a non-copying Identity and a block-copy Tile.
 * Kernels wasm already has are left alone unless listed for replacement. Call once after importing
 * `@tensorflow/tfjs-backend-wasm` (before or after `setBackend('wasm')`). Idempotent: returns the
 * names of all kernels this package has registered, in registration order.
 */
export function registerWasmTrainingKernels(
  options: Partial<RegisterWasmTrainingKernelsOptions> = {},
): string[] {
  const resolved = { ...DEFAULT_REGISTER_WASM_TRAINING_KERNELS_OPTIONS, ...options };
  if (getKernel('Conv2D', 'wasm') === undefined) {
    throw new WasmTrainingError(
      'registerWasmTrainingKernels',
      "found no wasm kernels; import '@tensorflow/tfjs-backend-wasm' before calling it",
    );
  }
  for (const config of WASM_TRAINING_KERNEL_CONFIGS) {
    const name = config.kernelName;
    if (registered.has(name)) continue;
    const existing = getKernel(name, 'wasm');
    if (existing !== undefined && ours.has(existing.kernelFunc)) {
      registered.set(name, config);
      continue;
    }
    if (existing !== undefined) {
      const replace =
        (name === conv2DBackpropInputWasmConfig.kernelName && resolved.replaceConv2DBackpropInput) ||
        (name === identitySharedWasmConfig.kernelName && resolved.shareIdentity) ||
        (name === tileWasmConfig.kernelName && resolved.replaceTile);
      if (!replace) continue;
      rememberOriginalWasmKernel(name);
      unregisterKernel(name, 'wasm');
    }
    registerKernel(config);
    registered.set(name, config);
  }
  return [...registered.keys()];
}

/** Names of the kernels currently registered by this package (empty before registration). */
export function registeredWasmTrainingKernels(): string[] {
  return [...registered.keys()];
}
