import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * RoIAlign with the semantics of `torchvision.ops.roi_align` (CPU kernel), on NHWC features, plus its
 * exact gradient with respect to the features (a scatter-add of the same bilinear weights), wired in
 * through `tf.customGrad` and computed on TypedArrays so it runs on every backend (cpu, wasm).
 *
 * Per RoI `(b, x1, y1, x2, y2)`: the box is scaled by `spatialScale` (and shifted by -0.5 when `aligned`),
 * split into `outputHeight x outputWidth` bins, each bin averages a `gridH x gridW` grid of bilinear
 * samples (`samplingRatio`, or `ceil(binSize)` when `samplingRatio <= 0`). Samples more than one pixel
 * outside the map contribute 0; samples in the border band are clamped to the edge.
 */
export interface RoiAlignOptions {
  /** `[outputHeight, outputWidth]` of the pooled grid. */
  readonly outputSize: readonly [number, number];
  /** Box coordinates are multiplied by this (1 / stride of the feature map). */
  readonly spatialScale: number;
  /** Samples per bin along each axis; 0 (or negative) = adaptive `ceil(bin size)`. */
  readonly samplingRatio: number;
  /** Pixel-centre alignment (shift by -0.5); torchvision's MultiScaleRoIAlign uses false. */
  readonly aligned: boolean;
}

export const DEFAULT_ROI_ALIGN_OPTIONS: RoiAlignOptions = Object.freeze({
  outputSize: Object.freeze([7, 7]) as readonly [number, number],
  spatialScale: 1,
  samplingRatio: 0,
  aligned: false,
});

/** `[N, H, W, C]` */
export type FeatureShape = readonly [number, number, number, number];

/** Bilinear taps of the samples along one axis, per output row (or column). */
interface AxisSamples {
  /** per bin: start offset into `low/high/weightLow/weightHigh` and sample count */
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly low: Int32Array;
  readonly high: Int32Array;
  readonly weightLow: Float64Array;
  readonly weightHigh: Float64Array;
}

function axisSamples(start: number, binSize: number, bins: number, grid: number, size: number): AxisSamples {
  const low: number[] = [];
  const high: number[] = [];
  const weightLow: number[] = [];
  const weightHigh: number[] = [];
  const starts = new Int32Array(bins);
  const counts = new Int32Array(bins);
  for (let p = 0; p < bins; p++) {
    starts[p] = low.length;
    for (let i = 0; i < grid; i++) {
      let y = start + p * binSize + ((i + 0.5) * binSize) / grid;
      if (y < -1 || y > size) continue; // contributes 0 to every tap of this sample
      if (y <= 0) y = 0;
      let yLow = Math.floor(y);
      let yHigh: number;
      if (yLow >= size - 1) {
        yHigh = yLow = size - 1;
        y = yLow;
      } else {
        yHigh = yLow + 1;
      }
      const ly = y - yLow;
      low.push(yLow);
      high.push(yHigh);
      weightLow.push(1 - ly);
      weightHigh.push(ly);
    }
    counts[p] = low.length - starts[p];
  }
  return {
    start: starts,
    count: counts,
    low: Int32Array.from(low),
    high: Int32Array.from(high),
    weightLow: Float64Array.from(weightLow),
    weightHigh: Float64Array.from(weightHigh),
  };
}

/** Per-RoI sampling geometry: the separable bilinear taps of its rows and columns. */
interface RoiGeometry {
  readonly imageBase: number;
  readonly ys: AxisSamples;
  readonly xs: AxisSamples;
  /** 1 / number of samples per bin */
  readonly norm: number;
}

function roiGeometry(
  featureShape: FeatureShape,
  rois: Float32Array,
  k: number,
  options: RoiAlignOptions,
): RoiGeometry {
  const [batch, height, width] = featureShape;
  const [pooledHeight, pooledWidth] = options.outputSize;
  const offset = options.aligned ? 0.5 : 0;
  const b = rois[5 * k];
  if (!(Number.isInteger(b) && b >= 0 && b < batch)) {
    throw new ArgumentError(
      'roiAlign',
      'rois',
      `row ${k} has batch index ${b}, features have batch ${batch}`,
    );
  }
  const startW = rois[5 * k + 1] * options.spatialScale - offset;
  const startH = rois[5 * k + 2] * options.spatialScale - offset;
  let roiWidth = rois[5 * k + 3] * options.spatialScale - offset - startW;
  let roiHeight = rois[5 * k + 4] * options.spatialScale - offset - startH;
  if (!options.aligned) {
    roiWidth = Math.max(roiWidth, 1);
    roiHeight = Math.max(roiHeight, 1);
  }
  const gridH = options.samplingRatio > 0 ? options.samplingRatio : Math.ceil(roiHeight / pooledHeight);
  const gridW = options.samplingRatio > 0 ? options.samplingRatio : Math.ceil(roiWidth / pooledWidth);
  return {
    imageBase: b * height * width,
    ys: axisSamples(startH, roiHeight / pooledHeight, pooledHeight, gridH, height),
    xs: axisSamples(startW, roiWidth / pooledWidth, pooledWidth, gridW, width),
    norm: 1 / Math.max(gridH * gridW, 1),
  };
}

/**
 * Runs RoIAlign's bilinear taps for every RoI and bin. `forward` accumulates features into the output;
 * otherwise the upstream gradient is scattered into the feature gradient with the same weights.
 */
function runTaps(
  featureShape: FeatureShape,
  rois: Float32Array,
  options: RoiAlignOptions,
  features: Float32Array,
  pooled: Float32Array,
  forward: boolean,
): void {
  const [, , width, channels] = featureShape;
  const [pooledHeight, pooledWidth] = options.outputSize;
  const numRois = rois.length / 5;
  for (let k = 0; k < numRois; k++) {
    const { imageBase, ys, xs, norm } = roiGeometry(featureShape, rois, k, options);
    for (let ph = 0; ph < pooledHeight; ph++) {
      for (let pw = 0; pw < pooledWidth; pw++) {
        const o = ((k * pooledHeight + ph) * pooledWidth + pw) * channels;
        const yEnd = ys.start[ph] + ys.count[ph];
        const xStart = xs.start[pw];
        const xEnd = xStart + xs.count[pw];
        for (let iy = ys.start[ph]; iy < yEnd; iy++) {
          const rowLow = (imageBase + ys.low[iy] * width) * channels;
          const rowHigh = (imageBase + ys.high[iy] * width) * channels;
          const wyLow = ys.weightLow[iy] * norm;
          const wyHigh = ys.weightHigh[iy] * norm;
          for (let ix = xStart; ix < xEnd; ix++) {
            const columnLow = xs.low[ix] * channels;
            const columnHigh = xs.high[ix] * channels;
            const wxLow = xs.weightLow[ix];
            const wxHigh = xs.weightHigh[ix];
            if (forward) {
              accumulate(
                pooled,
                o,
                features,
                rowLow + columnLow,
                rowLow + columnHigh,
                rowHigh + columnLow,
                rowHigh + columnHigh,
                wyLow * wxLow,
                wyLow * wxHigh,
                wyHigh * wxLow,
                wyHigh * wxHigh,
                channels,
              );
            } else {
              scatter(
                features,
                pooled,
                o,
                rowLow + columnLow,
                rowLow + columnHigh,
                rowHigh + columnLow,
                rowHigh + columnHigh,
                wyLow * wxLow,
                wyLow * wxHigh,
                wyHigh * wxLow,
                wyHigh * wxHigh,
                channels,
              );
            }
          }
        }
      }
    }
  }
}

/** `out[o + c] += wa f[a + c] + wb f[b + c] + wc f[c + c] + wd f[d + c]` over the channels. */
function accumulate(
  out: Float32Array,
  o: number,
  f: Float32Array,
  a: number,
  b: number,
  c: number,
  d: number,
  wa: number,
  wb: number,
  wc: number,
  wd: number,
  channels: number,
): void {
  for (let ch = 0; ch < channels; ch++) {
    out[o + ch] += wa * f[a + ch] + wb * f[b + ch] + wc * f[c + ch] + wd * f[d + ch];
  }
}

/** The adjoint of `accumulate`: scatters `g[o + c]` into the four taps. */
function scatter(
  grad: Float32Array,
  g: Float32Array,
  o: number,
  a: number,
  b: number,
  c: number,
  d: number,
  wa: number,
  wb: number,
  wc: number,
  wd: number,
  channels: number,
): void {
  for (let ch = 0; ch < channels; ch++) {
    const upstream = g[o + ch];
    grad[a + ch] += wa * upstream;
    grad[b + ch] += wb * upstream;
    grad[c + ch] += wc * upstream;
    grad[d + ch] += wd * upstream;
  }
}

function checkRois(functionName: string, rois: Float32Array): number {
  if (rois.length % 5 !== 0) {
    throw new ArgumentError(
      functionName,
      'rois',
      `must be [K, 5] (batch index, x1, y1, x2, y2), got length ${rois.length}`,
    );
  }
  return rois.length / 5;
}

function checkOptions(functionName: string, options: RoiAlignOptions): void {
  const [h, w] = options.outputSize;
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0) || !(options.spatialScale > 0)) {
    throw new ArgumentError(
      functionName,
      'options',
      `needs positive integer outputSize and spatialScale > 0, got ${JSON.stringify(options)}`,
    );
  }
}

/** Forward on TypedArrays: `[N, H, W, C]` features, `[K, 5]` rois -> `[K, outH, outW, C]`. */
export function roiAlignForward(
  features: Float32Array | Uint8Array,
  featureShape: FeatureShape,
  rois: Float32Array,
  options: RoiAlignOptions,
): Float32Array {
  const numRois = checkRois('roiAlignForward', rois);
  checkOptions('roiAlignForward', options);
  const channels = featureShape[3];
  const output = new Float32Array(numRois * options.outputSize[0] * options.outputSize[1] * channels);
  const values = features instanceof Float32Array ? features : Float32Array.from(features);
  runTaps(featureShape, rois, options, values, output, true);
  return output;
}

/** Gradient with respect to the features: `[K, outH, outW, C]` upstream -> `[N, H, W, C]`. */
export function roiAlignBackward(
  gradOutput: Float32Array,
  featureShape: FeatureShape,
  rois: Float32Array,
  options: RoiAlignOptions,
): Float32Array {
  checkRois('roiAlignBackward', rois);
  checkOptions('roiAlignBackward', options);
  const grad = new Float32Array(featureShape[0] * featureShape[1] * featureShape[2] * featureShape[3]);
  runTaps(featureShape, rois, options, grad, gradOutput, false);
  return grad;
}

/**
 * Differentiable RoIAlign pooling over several feature maps at once: RoI `k` is pooled from
 * `features[levels[k]]` with `scales[levels[k]]`; the output keeps RoI order. One custom-gradient op, so
 * no gather/scatter kernels are needed on any backend.
 *
 * @param features `[N, H_l, W_l, C]` per level (same N and C)
 * @param rois `[K, 5]` `(batch index, x1, y1, x2, y2)` in image pixels
 * @param levels `[K]` level of each RoI
 * @returns `[K, outH, outW, C]`
 */
export function roiAlignLevels(
  features: readonly tf.Tensor4D[],
  rois: Float32Array,
  levels: Int32Array,
  scales: readonly number[],
  options: Omit<RoiAlignOptions, 'spatialScale'>,
): tf.Tensor4D {
  const numRois = checkRois('roiAlignLevels', rois);
  if (levels.length !== numRois || scales.length !== features.length || features.length === 0) {
    throw new ArgumentError(
      'roiAlignLevels',
      'levels',
      `needs one level per RoI (${numRois}, got ${levels.length}) and one scale per feature map ` +
        `(${features.length}, got ${scales.length})`,
    );
  }
  const channels = features[0].shape[3];
  const [outH, outW] = options.outputSize;
  const perLevel = features.map((_, level) => {
    const members: number[] = [];
    for (let k = 0; k < numRois; k++) if (levels[k] === level) members.push(k);
    const levelRois = new Float32Array(members.length * 5);
    members.forEach((k, i) => {
      levelRois.set(rois.subarray(5 * k, 5 * k + 5), 5 * i);
    });
    return { members, rois: levelRois, options: { ...options, spatialScale: scales[level] } };
  });
  const cell = outH * outW * channels;
  const pool = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const maps = inputs.slice(0, features.length) as tf.Tensor4D[];
    const output = new Float32Array(numRois * cell);
    perLevel.forEach((level, index) => {
      if (level.members.length === 0) return;
      const map = maps[index];
      const pooled = roiAlignForward(map.dataSync() as Float32Array, map.shape, level.rois, level.options);
      level.members.forEach((k, i) => {
        output.set(pooled.subarray(i * cell, (i + 1) * cell), k * cell);
      });
    });
    return {
      value: tf.tensor4d(output, [numRois, outH, outW, channels]),
      gradFunc: (dy: tf.Tensor) => {
        const upstream = dy.dataSync() as Float32Array;
        return maps.map((map, index) => {
          const level = perLevel[index];
          const gathered = new Float32Array(level.members.length * cell);
          level.members.forEach((k, i) => {
            gathered.set(upstream.subarray(k * cell, (k + 1) * cell), i * cell);
          });
          return tf.tensor4d(roiAlignBackward(gathered, map.shape, level.rois, level.options), map.shape);
        });
      },
    };
  });
  return pool(...features) as tf.Tensor4D;
}

/**
 * Differentiable single-map RoIAlign (`torchvision.ops.roi_align`): `[N, H, W, C]` features, `[K, 5]` rois
 * -> `[K, outH, outW, C]`.
 */
export function roiAlign(
  features: tf.Tensor4D,
  rois: Float32Array,
  options: RoiAlignOptions = DEFAULT_ROI_ALIGN_OPTIONS,
): tf.Tensor4D {
  checkOptions('roiAlign', options);
  const numRois = checkRois('roiAlign', rois);
  return roiAlignLevels([features], rois, new Int32Array(numRois), [options.spatialScale], options);
}
