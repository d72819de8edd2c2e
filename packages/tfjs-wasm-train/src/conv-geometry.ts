import type { backend_util } from '@tensorflow/tfjs-core';

/** `pad` as tfjs convolution kernels receive it. */
export type ConvPadding = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/**
 * Trailing pad of the input for the filter-gradient convolution along one axis, chosen so that a
 * convolution of the input with the output gradient (dilated by the forward stride, stepped by the
 * forward dilation) yields exactly `filterLength` taps. Negative means crop the input.
 */
export function filterGradientPadAfter(
  inputLength: number,
  outputLength: number,
  filterLength: number,
  stride: number,
  dilation: number,
  forwardPadBefore: number,
): number {
  return (filterLength - 1) * dilation + (outputLength - 1) * stride + 1 - inputLength - forwardPadBefore;
}
