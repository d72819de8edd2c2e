import { ArgumentError } from '@fdl/dct-core';

/**
 * torchvision's `Matcher`: each prediction (column of the `[M gt, N predictions]` quality matrix) gets
 * the index of its best ground truth, `BELOW_LOW_THRESHOLD` (-1) when its best quality is below `low`,
 * `BETWEEN_THRESHOLDS` (-2) when in `[low, high)`. With `allowLowQualityMatches`, every prediction that
 * ties for the best quality of some ground truth keeps its original best match (torchvision's rule,
 * including its quirk for a ground truth whose best quality is 0).
 */
export interface MatcherOptions {
  readonly highThreshold: number;
  readonly lowThreshold: number;
  readonly allowLowQualityMatches: boolean;
}

export const BELOW_LOW_THRESHOLD = -1;
export const BETWEEN_THRESHOLDS = -2;

/** RPN anchors: foreground IoU >= 0.7, background < 0.3, low-quality matches allowed. */
export const RPN_MATCHER_OPTIONS: MatcherOptions = Object.freeze({
  highThreshold: 0.7,
  lowThreshold: 0.3,
  allowLowQualityMatches: true,
});
/** RoI heads proposals: foreground IoU >= 0.5, background below. */
export const ROI_MATCHER_OPTIONS: MatcherOptions = Object.freeze({
  highThreshold: 0.5,
  lowThreshold: 0.5,
  allowLowQualityMatches: false,
});

/**
 * @param quality `[numGt, numPredictions]` row-major (e.g. `boxIou(gt, anchors)`), numGt >= 1
 * @returns `[numPredictions]` matched gt index or -1 / -2
 */
export function matchPredictions(quality: Float32Array, numGt: number, options: MatcherOptions): Int32Array {
  if (numGt <= 0 || quality.length % numGt !== 0) {
    throw new ArgumentError(
      'matchPredictions',
      'quality',
      `must be [numGt, N] with numGt >= 1, got length ${quality.length} for numGt ${numGt}`,
    );
  }
  if (options.lowThreshold > options.highThreshold) {
    throw new ArgumentError('matchPredictions', 'options', 'lowThreshold must be <= highThreshold', {
      ...options,
    });
  }
  const n = quality.length / numGt;
  const low = Math.fround(options.lowThreshold);
  const high = Math.fround(options.highThreshold);
  const all = new Int32Array(n);
  const matches = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let best = quality[j];
    let bestIndex = 0;
    for (let g = 1; g < numGt; g++) {
      if (quality[g * n + j] > best) {
        best = quality[g * n + j];
        bestIndex = g;
      }
    }
    all[j] = bestIndex;
    matches[j] = best < low ? BELOW_LOW_THRESHOLD : best < high ? BETWEEN_THRESHOLDS : bestIndex;
  }
  if (options.allowLowQualityMatches) {
    for (let g = 0; g < numGt; g++) {
      let highest = -Infinity;
      for (let j = 0; j < n; j++) highest = Math.max(highest, quality[g * n + j]);
      for (let j = 0; j < n; j++) if (quality[g * n + j] === highest) matches[j] = all[j];
    }
  }
  return matches;
}
