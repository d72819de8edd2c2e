import type { backend_util, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm-kernel-call.js';
import { callWasmKernel, release } from '../wasm-kernel-call.js';

/**
 * One residue class of input positions along one axis of a strided convolution's input gradient.
 *
 * Input position h = q*stride + residue receives dY[o] * W[i] exactly when o*stride + i*dilation - pad = h,
 * i.e. from the taps i with (residue + pad - i*dilation) divisible by the stride, at
 * o = q + offset(i), offset(i) = (residue + pad - i*dilation) / stride. Taps ordered by increasing offset
 * make a stride-1 correlation of dY with a sub-filter of those taps, dilated by the offset step, so a
 * stride-s gradient is s*s small stride-1 convolutions with no zero-dilated copy of dY (which would
 * cost s*s times the multiply-adds).
 */
export interface AxisPhase {
  readonly residue: number;
  /** Number of input positions in this class: ceil((inLength - residue) / stride). */
  readonly length: number;
  /** Forward filter taps used, in sub-filter order (increasing offset = decreasing tap). */
  readonly taps: readonly number[];
  /** Dilation of the sub-filter (offset step between consecutive taps); 1 for a single tap. */
  readonly dilation: number;
  /** Offset of the first tap: dY index read for q = 0. */
  readonly firstOffset: number;
}

/** The residue classes of one axis (see `AxisPhase`); classes with no input positions are omitted. */
export function axisPhases(
  inLength: number,
  filterLength: number,
  stride: number,
  dilation: number,
  padBefore: number,
): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let residue = 0; residue < stride; residue++) {
    const length = Math.ceil((inLength - residue) / stride);
    if (length <= 0) continue;
    const taps: number[] = [];
    for (let tap = filterLength - 1; tap >= 0; tap--) {
      const numerator = residue + padBefore - tap * dilation;
      if (((numerator % stride) + stride) % stride === 0) taps.push(tap);
    }
    const offsets = taps.map((tap) => (residue + padBefore - tap * dilation) / stride);
    phases.push({
      residue,
      length,
      taps,
      dilation: taps.length > 1 ? offsets[1]! - offsets[0]! : 1,
      firstOffset: offsets[0] ?? 0,
    });
  }
  return phases;
}

/** How a sub-filter is laid out for the stride-1 convolution that computes one phase. */
export type SubFilterLayout = 'conv-swap-channels' | 'depthwise';

/**
 * Builds the sub-filter of taps (tapsY x tapsX) on the wasm heap. `conv-swap-channels`:
 * [kh, kw, Ci, Co] -> [Ty, Tx, Co, Ci] (the input gradient contracts over Co); `depthwise`:
 * [kh, kw, C, M] -> [Ty, Tx, C, M]. A direct loop: these are small (at most the filter's size) and
 * wasm's Reverse kernel is slow (60 ms for a 3x3x512x512 filter).
 */
export function buildSubFilter(
  backend: WasmBackendLike,
  filter: TensorInfo,
  tapsY: readonly number[],
  tapsX: readonly number[],
  layout: SubFilterLayout,
): TensorInfo {
  const [, filterWidth, inner, outer] = filter.shape as [number, number, number, number];
  const plane = inner * outer;
  const shape =
    layout === 'conv-swap-channels'
      ? [tapsY.length, tapsX.length, outer, inner]
      : [tapsY.length, tapsX.length, inner, outer];
  const out = backend.makeOutput(shape, 'float32');
  const source = backend.typedArrayFromHeap(filter) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  const block = 32;
  for (let a = 0; a < tapsY.length; a++) {
    for (let b = 0; b < tapsX.length; b++) {
      const from = (tapsY[a]! * filterWidth + tapsX[b]!) * plane;
      const to = (a * tapsX.length + b) * plane;
      if (layout === 'depthwise') {
        target.set(source.subarray(from, from + plane), to);
        continue;
      }
      // Blocked transpose of the [inner, outer] plane into [outer, inner].
      for (let i0 = 0; i0 < inner; i0 += block) {
        const i1 = Math.min(i0 + block, inner);
        for (let o0 = 0; o0 < outer; o0 += block) {
          const o1 = Math.min(o0 + block, outer);
          for (let i = i0; i < i1; i++) {
            const row = from + i * outer;
            for (let o = o0; o < o1; o++) target[to + o * inner + i] = source[row + o]!;
          }
        }
      }
    }
  }
  return out;
}

/** Runs the stride-1 convolution of one phase: `x` [N, h, w, C] with explicit pads and a dilation. */
export type PhaseConvolution = (
  x: TensorInfo,
  subFilter: TensorInfo,
  pad: [[number, number], [number, number], [number, number], [number, number]],
  dilations: [number, number],
) => TensorInfo;

/**
 * The input gradient dX [N, H, W, inChannels] of a (depthwise) convolution from dY [N, Ho, Wo, C],
 * as stride*stride phase convolutions (`AxisPhase`) interleaved into the output. For stride 1 this
 * is the single "full" convolution with the flipped filter and no copy.
 */
export function phaseInputGradient(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  inChannels: number,
  layout: SubFilterLayout,
  convolve: PhaseConvolution,
): TensorInfo {
  const [batch, outHeight, outWidth, dyChannels] = dy.shape as [number, number, number, number];
  const rows = axisPhases(
    info.inHeight,
    info.filterHeight,
    info.strideHeight,
    info.dilationHeight,
    info.padInfo.top,
  );
  const columns = axisPhases(
    info.inWidth,
    info.filterWidth,
    info.strideWidth,
    info.dilationWidth,
    info.padInfo.left,
  );
  const results: { row: AxisPhase; column: AxisPhase; value: TensorInfo }[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const value = phaseConvolution(
        backend,
        dy,
        filter,
        row,
        column,
        [batch, outHeight, outWidth, dyChannels],
        layout,
        convolve,
      );
      if (value !== undefined) results.push({ row, column, value });
    }
  }
  const outShape = [batch, info.inHeight, info.inWidth, inChannels];
  const single = results[0];
  if (results.length === 1 && rows.length === 1 && columns.length === 1 && single !== undefined) {
    return single.value;
  }
  const out = backend.makeOutput(outShape, 'float32');
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  target.fill(0);
  const strideHeight = info.strideHeight;
  const strideWidth = info.strideWidth;
  for (const { row, column, value } of results) {
    const source = backend.typedArrayFromHeap(value) as Float32Array;
    let from = 0;
    for (let n = 0; n < batch; n++) {
      for (let q = 0; q < row.length; q++) {
        const h = q * strideHeight + row.residue;
        for (let p = 0; p < column.length; p++) {
          const w = p * strideWidth + column.residue;
          const to = ((n * info.inHeight + h) * info.inWidth + w) * inChannels;
          target.set(source.subarray(from, from + inChannels), to);
          from += inChannels;
        }
      }
    }
  }
  release(backend, ...results.map((r) => r.value));
  return out;
}

function phaseConvolution(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  row: AxisPhase,
  column: AxisPhase,
  dyShape: [number, number, number, number],
  layout: SubFilterLayout,
  convolve: PhaseConvolution,
): TensorInfo | undefined {
  if (row.taps.length === 0 || column.taps.length === 0) return undefined;
  const [batch, outHeight, outWidth, channels] = dyShape;
  const rowWindow = window(row, outHeight);
  const columnWindow = window(column, outWidth);
  if (rowWindow === undefined || columnWindow === undefined) return undefined;
  const toRelease: TensorInfo[] = [];
  let input = dy;
  if (rowWindow.size !== outHeight || columnWindow.size !== outWidth) {
    input = callWasmKernel(backend, 'Slice', { x: dy }, {
      begin: [0, rowWindow.begin, columnWindow.begin, 0],
      size: [batch, rowWindow.size, columnWindow.size, channels],
    } as unknown as NamedAttrMap);
    toRelease.push(input);
  }
  const subFilter = buildSubFilter(backend, filter, row.taps, column.taps, layout);
  toRelease.push(subFilter);
  const value = convolve(
    input,
    subFilter,
    [
      [0, 0],
      [rowWindow.padBefore, rowWindow.padAfter],
      [columnWindow.padBefore, columnWindow.padAfter],
      [0, 0],
    ],
    [row.dilation, column.dilation],
  );
  release(backend, ...toRelease);
  return value;
}

/**
 * The part of dY one phase reads, [begin, begin + size), and the zero padding around it so that a
 * stride-1 convolution yields exactly `phase.length` outputs; undefined if it reads nothing.
 */
function window(
  phase: AxisPhase,
  outLength: number,
): { begin: number; size: number; padBefore: number; padAfter: number } | undefined {
  const first = phase.firstOffset;
  const last = phase.length - 1 + phase.firstOffset + (phase.taps.length - 1) * phase.dilation;
  const begin = Math.max(first, 0);
  const end = Math.min(last, outLength - 1);
  if (end < begin) return undefined;
  return { begin, size: end - begin + 1, padBefore: begin - first, padAfter: last - end };
}
