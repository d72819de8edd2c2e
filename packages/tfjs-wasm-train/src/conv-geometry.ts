import type { backend_util } from '@tensorflow/tfjs-core';

/** `pad` as tfjs convolution kernels receive it. */
export type ConvPadding = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** A pair of leading/trailing pads along one spatial axis; either may be negative (a crop). */
export interface AxisPads {
  readonly before: number;
  readonly after: number;
}

/**
 * Pads for the input-gradient convolution along one axis: the output gradient, zero-dilated by the
 * forward stride to length `dilatedLength`, is padded so that a stride-1 convolution with the
 * flipped filter (effective size `effectiveFilter`) yields exactly `inputLength` values.
 */
export function inputGradientPads(
  inputLength: number,
  dilatedLength: number,
  effectiveFilter: number,
  forwardPadBefore: number,
): AxisPads {
  const before = effectiveFilter - 1 - forwardPadBefore;
  const after = inputLength + effectiveFilter - 1 - dilatedLength - before;
  return { before, after };
}

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
