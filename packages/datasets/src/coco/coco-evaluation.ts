import { ArgumentError } from '@fdl/dct-core';
import type { CocoAnnotation, CocoDataset } from './coco-dataset.js';
import { boxIou, maskIou } from './coco-iou.js';
import { summarizeCoco } from './coco-summary.js';
import { type CompressedRle, decodeRleString, type UncompressedRle } from './rle.js';
import { segmentationToCounts } from './segmentation.js';

/**
 * The ground truth `evaluateCoco` reads: the three lists of a COCO instances file (extra fields are
 * ignored). Annotation order matters (as in pycocotools: among equal IoUs the later ground truth wins),
 * so this form reproduces pycocotools exactly for any file.
 */
export interface CocoGroundTruth {
  images: readonly { id: number; width: number; height: number }[];
  annotations: readonly CocoAnnotation[];
  categories: readonly { id: number; name?: string }[];
}

/** One COCO result entry (the `results.json` format of the COCO detection challenge). */
export interface CocoDetection {
  image_id: number;
  category_id: number;
  score: number;
  /** [x, y, w, h]; required for iouType 'bbox'. */
  bbox?: readonly number[];
  /** The detection's mask; required for iouType 'segm'. Its size must be the image's [height, width]. */
  segmentation?: CompressedRle | UncompressedRle;
}

export type CocoIouType = 'bbox' | 'segm';

/** An object-area interval, bounds included, in pixels². */
export interface CocoAreaRange {
  label: string;
  min: number;
  max: number;
}

export interface CocoEvaluationOptions {
  /** 'bbox' (default) or 'segm'. */
  iouType?: CocoIouType;
  /** IoU thresholds T; default 0.50:0.05:0.95 exactly as numpy.linspace builds them. */
  iouThresholds?: readonly number[];
  /** Recall thresholds R; default 0:0.01:1 (101 points, numpy.linspace values). */
  recallThresholds?: readonly number[];
  /** Detections kept per image, M values; default [1, 10, 100]. Sorted ascending. */
  maxDetections?: readonly number[];
  /** Area ranges A; default all / small / medium / large with pycocotools' bounds. */
  areaRanges?: readonly CocoAreaRange[];
  /** false = class-agnostic (pycocotools `useCats=0`): one pseudo-category -1. Default true. */
  useCategories?: boolean;
  /** Images to evaluate (default: all images of the ground truth). */
  imageIds?: readonly number[];
  /** Categories to evaluate (default: all categories of the ground truth). */
  categoryIds?: readonly number[];
}

/** numpy.linspace(start, stop, count): i * step + start, the last value set to `stop`. */
function linspace(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : i * step + start));
}

export const DEFAULT_COCO_EVALUATION_OPTIONS: Readonly<{
  iouType: CocoIouType;
  iouThresholds: readonly number[];
  recallThresholds: readonly number[];
  maxDetections: readonly number[];
  areaRanges: readonly Readonly<CocoAreaRange>[];
  useCategories: boolean;
}> = Object.freeze({
  iouType: 'bbox',
  iouThresholds: Object.freeze(linspace(0.5, 0.95, 10)),
  recallThresholds: Object.freeze(linspace(0, 1, 101)),
  maxDetections: Object.freeze([1, 10, 100]),
  areaRanges: Object.freeze([
    Object.freeze({ label: 'all', min: 0, max: 1e10 }),
    Object.freeze({ label: 'small', min: 0, max: 32 ** 2 }),
    Object.freeze({ label: 'medium', min: 32 ** 2, max: 96 ** 2 }),
    Object.freeze({ label: 'large', min: 96 ** 2, max: 1e10 }),
  ]),
  useCategories: true,
});

/** Result of `evaluateCoco`. Arrays are flat, row-major (C order), like numpy's `ravel()`. */
export interface CocoEvaluation {
  iouType: CocoIouType;
  iouThresholds: number[];
  recallThresholds: number[];
  maxDetections: number[];
  areaRanges: CocoAreaRange[];
  /** Evaluated image ids, sorted. */
  imageIds: number[];
  /** Evaluated category ids (K), sorted; `[-1]` when `useCategories` is false. */
  categoryIds: number[];
  /** Category names by id (from the ground truth). */
  categoryNames: Map<number, string>;
  /** [T, R, K, A, M]. */
  precisionShape: [number, number, number, number, number];
  /** Interpolated precision at each recall threshold; -1 where the setting has no ground truth. */
  precision: Float64Array;
  /** [T, K, A, M]. */
  recallShape: [number, number, number, number];
  /** Highest recall reached; -1 where the setting has no ground truth. */
  recall: Float64Array;
  /** [T, R, K, A, M]: score of the detection at which each recall threshold is reached (0 if never). */
  scores: Float64Array;
  /**
   * The 12 COCO numbers (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl), -1 where
   * nothing was measured. See `summarizeCoco` for the slots used.
   */
  stats: number[];
  /** The same 12 numbers for each category alone (empty when `useCategories` is false). */
  perCategory: { categoryId: number; name: string; stats: number[] }[];
}

/** A detection prepared for matching. */
interface PreparedDetection {
  score: number;
  area: number;
  box: readonly number[];
  mask: UncompressedRle | null;
}

/** A ground-truth object prepared for matching. */
interface PreparedObject {
  crowd: boolean;
  area: number;
  box: readonly number[];
  mask: UncompressedRle | null;
}

/** Per (image, category, area range): what `accumulate` needs of the matching. */
interface ImageEvaluation {
  /** Scores of the kept detections, best first. */
  scores: Float64Array;
  /** [T, D]: 1 = matched to a ground truth at that threshold. */
  matched: Uint8Array;
  /** [T, D]: 1 = matched to an ignored ground truth, or unmatched and outside the area range. */
  ignored: Uint8Array;
  /** Ground truth that counts (not crowd, inside the area range). */
  countedObjects: number;
}

const FUNCTION = 'evaluateCoco';
/** numpy.spacing(1): keeps precision finite when a threshold has no detection yet. */
const EPSILON = 2.220446049250313e-16;

/**
 * COCO detection evaluation with pycocotools' COCOeval semantics (evaluate + accumulate + summarize),
 * for boxes or masks. `groundTruth` is a COCO instances structure or a `CocoDataset` from
 * `loadCocoDataset` (then annotations are read per image in annotation-id order, the loader's order,
 * which equals pycocotools whenever the file lists annotations in id order; images skipped by the
 * loader are not evaluated). Inputs are validated up front; see README "COCO evaluation".
 */
export function evaluateCoco(
  groundTruth: CocoGroundTruth | CocoDataset,
  detections: readonly CocoDetection[],
  options: CocoEvaluationOptions = {},
): CocoEvaluation {
  const truth = 'samples' in groundTruth ? groundTruthOfDataset(groundTruth) : groundTruth;
  const settings = resolveOptions(options, truth);
  const { iouType, iouThresholds, recallThresholds, maxDetections, areaRanges } = settings;
  const sizes = new Map(truth.images.map((image) => [image.id, [image.height, image.width] as const]));
  const knownCategories = new Set(truth.categories.map((category) => category.id));

  if (!Array.isArray(detections)) {
    throw new ArgumentError(FUNCTION, 'detections', `must be an array, got ${typeof detections}`);
  }
  const imageSet = new Set(settings.imageIds);
  const categorySet = new Set(settings.categoryIds);
  // Detections and ground truth grouped by image, then category, keeping list order.
  const detectionGroups = new Map<string, PreparedDetection[]>();
  detections.forEach((detection, index) => {
    const prepared = prepareDetection(detection, index, iouType, sizes, knownCategories);
    if (!imageSet.has(detection.image_id) || !categorySet.has(detection.category_id)) return;
    pushTo(detectionGroups, `${detection.image_id}/${detection.category_id}`, prepared);
  });
  const objectGroups = new Map<string, PreparedObject[]>();
  truth.annotations.forEach((annotation, index) => {
    if (!imageSet.has(annotation.image_id) || !categorySet.has(annotation.category_id)) return;
    const size = sizes.get(annotation.image_id);
    if (!size) {
      throw new ArgumentError(
        FUNCTION,
        `groundTruth.annotations[${index}].image_id`,
        `must be an image id of the ground truth, got ${annotation.image_id}`,
      );
    }
    pushTo(
      objectGroups,
      `${annotation.image_id}/${annotation.category_id}`,
      prepareObject(annotation, index, iouType, size),
    );
  });

  const T = iouThresholds.length;
  const R = recallThresholds.length;
  const evaluatedCategories = settings.useCategories ? settings.categoryIds : [-1];
  const K = evaluatedCategories.length;
  const A = areaRanges.length;
  const M = maxDetections.length;
  const largestMaxDetections = maxDetections[M - 1]!;

  // evaluations[k][a][i]: null when the image has neither ground truth nor detections for k.
  const evaluations: (ImageEvaluation | null)[][][] = evaluatedCategories.map(() => areaRanges.map(() => []));
  for (const imageId of settings.imageIds) {
    for (let k = 0; k < K; k++) {
      // Class-agnostic: every category's objects in category-id order, as pycocotools concatenates them.
      const members = settings.useCategories ? [evaluatedCategories[k]!] : settings.categoryIds;
      const objects = members.flatMap((c) => objectGroups.get(`${imageId}/${c}`) ?? []);
      const all = members.flatMap((c) => detectionGroups.get(`${imageId}/${c}`) ?? []);
      if (objects.length === 0 && all.length === 0) {
        for (let a = 0; a < A; a++) evaluations[k]![a]!.push(null);
        continue;
      }
      const kept = stableSortByScore(all).slice(0, largestMaxDetections);
      const crowd = objects.map((object) => (object.crowd ? 1 : 0));
      const ious =
        iouType === 'bbox'
          ? boxIou(
              kept.map((d) => d.box),
              objects.map((o) => o.box),
              crowd,
            )
          : maskIou(
              kept.map((d) => d.mask!),
              objects.map((o) => o.mask!),
              crowd,
            );
      for (let a = 0; a < A; a++) {
        evaluations[k]![a]!.push(matchImage(kept, objects, ious, areaRanges[a]!, iouThresholds));
      }
    }
  }

  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const present = evaluations[k]![a]!.filter((e): e is ImageEvaluation => e !== null);
      if (present.length === 0) continue;
      for (let m = 0; m < M; m++) {
        const cut = maxDetections[m]!;
        let counted = 0;
        for (const e of present) counted += e.countedObjects;
        if (counted === 0) continue;
        // Every kept detection of every image (first `cut` of each), merged in score order; ties keep
        // image order then per-image order (numpy mergesort is stable).
        const entries: { score: number; e: ImageEvaluation; d: number; n: number }[] = [];
        for (const e of present) {
          const n = e.scores.length;
          for (let d = 0; d < Math.min(cut, n); d++) entries.push({ score: e.scores[d]!, e, d, n });
        }
        entries.sort((x, y) => (x.score > y.score ? -1 : x.score < y.score ? 1 : 0));
        const count = entries.length;
        const precisionAt = new Float64Array(count);
        const recallAt = new Float64Array(count);
        for (let t = 0; t < T; t++) {
          let tp = 0;
          let fp = 0;
          for (let i = 0; i < count; i++) {
            const { e, d, n } = entries[i]!;
            if (!e.ignored[t * n + d]) {
              if (e.matched[t * n + d]) tp++;
              else fp++;
            }
            recallAt[i] = tp / counted;
            precisionAt[i] = tp / (fp + tp + EPSILON);
          }
          recall[((t * K + k) * A + a) * M + m] = count > 0 ? recallAt[count - 1]! : 0;
          // Precision envelope: the best precision at any recall at least as high.
          for (let i = count - 1; i > 0; i--) {
            if (precisionAt[i]! > precisionAt[i - 1]!) precisionAt[i - 1] = precisionAt[i]!;
          }
          let i = 0;
          for (let r = 0; r < R; r++) {
            // First detection whose recall reaches the threshold (searchsorted, side 'left').
            while (i < count && recallAt[i]! < recallThresholds[r]!) i++;
            const at = (((t * R + r) * K + k) * A + a) * M + m;
            precision[at] = i < count ? precisionAt[i]! : 0;
            scores[at] = i < count ? entries[i]!.score : 0;
          }
        }
      }
    }
  }

  const categoryNames = new Map(truth.categories.map((c) => [c.id, c.name ?? String(c.id)]));
  const evaluation: CocoEvaluation = {
    iouType,
    iouThresholds: [...iouThresholds],
    recallThresholds: [...recallThresholds],
    maxDetections: [...maxDetections],
    areaRanges: areaRanges.map((range) => ({ ...range })),
    imageIds: [...settings.imageIds],
    categoryIds: [...evaluatedCategories],
    categoryNames,
    precisionShape: [T, R, K, A, M],
    precision,
    recallShape: [T, K, A, M],
    recall,
    scores,
    stats: [],
    perCategory: [],
  };
  evaluation.stats = summarizeCoco(evaluation);
  if (settings.useCategories) {
    evaluation.perCategory = evaluatedCategories.map((categoryId, k) => ({
      categoryId,
      name: categoryNames.get(categoryId)!,
      stats: summarizeCoco(evaluation, k),
    }));
  }
  return evaluation;
}

/**
 * Greedy matching of one image and category for one area range, pycocotools `evaluateImg`:
 * detections best score first; ground truth that is ignored (crowd, or area outside the range) goes
 * last, so a detection prefers a counted object and only falls back to an ignored one; each counted
 * object is matched once, a crowd region any number of times.
 */
function matchImage(
  detections: readonly PreparedDetection[],
  objects: readonly PreparedObject[],
  ious: Float64Array,
  range: CocoAreaRange,
  iouThresholds: readonly number[],
): ImageEvaluation {
  const G = objects.length;
  const D = detections.length;
  const T = iouThresholds.length;
  const outside = (area: number) => area < range.min || area > range.max;
  const objectIgnored = objects.map((o) => o.crowd || outside(o.area));
  // Stable: counted objects first, each group in list order.
  const order = [...objects.keys()].sort((x, y) => Number(objectIgnored[x]) - Number(objectIgnored[y]));
  const matched = new Uint8Array(T * D);
  const ignored = new Uint8Array(T * D);
  const taken = new Uint8Array(G);
  if (G > 0) {
    for (let t = 0; t < T; t++) {
      taken.fill(0);
      for (let d = 0; d < D; d++) {
        let best = Math.min(iouThresholds[t]!, 1 - 1e-10);
        let match = -1;
        for (let j = 0; j < G; j++) {
          const g = order[j]!;
          if (taken[g] && !objects[g]!.crowd) continue;
          // Already on a counted object: stop before the ignored ones.
          if (match > -1 && !objectIgnored[match] && objectIgnored[g]) break;
          const iou = ious[d * G + g]!;
          if (iou < best) continue;
          best = iou;
          match = g;
        }
        if (match === -1) continue;
        matched[t * D + d] = 1;
        ignored[t * D + d] = objectIgnored[match] ? 1 : 0;
        taken[match] = 1;
      }
    }
  }
  for (let d = 0; d < D; d++) {
    if (!outside(detections[d]!.area)) continue;
    for (let t = 0; t < T; t++) if (!matched[t * D + d]) ignored[t * D + d] = 1;
  }
  let countedObjects = 0;
  for (const flag of objectIgnored) if (!flag) countedObjects++;
  return { scores: Float64Array.from(detections, (d) => d.score), matched, ignored, countedObjects };
}

/** Highest score first; equal scores keep their order (numpy argsort of -score, kind 'mergesort'). */
function stableSortByScore<T extends { score: number }>(items: readonly T[]): T[] {
  return [...items].sort((x, y) => (x.score > y.score ? -1 : x.score < y.score ? 1 : 0));
}

function pushTo<T>(groups: Map<string, T[]>, key: string, value: T): void {
  let list = groups.get(key);
  if (!list) groups.set(key, (list = []));
  list.push(value);
}

function groundTruthOfDataset(dataset: CocoDataset): CocoGroundTruth {
  return {
    images: dataset.samples.map((sample) => sample.image),
    annotations: dataset.samples.flatMap((sample) => sample.annotations),
    categories: dataset.categories,
  };
}

interface ResolvedOptions {
  iouType: CocoIouType;
  iouThresholds: readonly number[];
  recallThresholds: readonly number[];
  maxDetections: number[];
  areaRanges: readonly CocoAreaRange[];
  useCategories: boolean;
  imageIds: number[];
  categoryIds: number[];
}

function resolveOptions(options: CocoEvaluationOptions, truth: CocoGroundTruth): ResolvedOptions {
  const defaults = DEFAULT_COCO_EVALUATION_OPTIONS;
  const iouType = options.iouType ?? defaults.iouType;
  if (iouType !== 'bbox' && iouType !== 'segm') {
    throw new ArgumentError(
      FUNCTION,
      'options.iouType',
      `must be 'bbox' or 'segm', got ${JSON.stringify(iouType)}`,
    );
  }
  const numbers = (name: string, values: readonly number[], check: (v: number) => boolean, rule: string) => {
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((v) => typeof v === 'number' && check(v))
    ) {
      throw new ArgumentError(
        FUNCTION,
        `options.${name}`,
        `must be a non-empty list of ${rule}, got ${JSON.stringify(values)}`,
      );
    }
    return values;
  };
  const unit = (v: number) => v >= 0 && v <= 1;
  const iouThresholds = numbers(
    'iouThresholds',
    options.iouThresholds ?? defaults.iouThresholds,
    unit,
    'numbers in [0, 1]',
  );
  const recallThresholds = numbers(
    'recallThresholds',
    options.recallThresholds ?? defaults.recallThresholds,
    unit,
    'numbers in [0, 1]',
  );
  const maxDetections = [
    ...numbers(
      'maxDetections',
      options.maxDetections ?? defaults.maxDetections,
      (v) => Number.isInteger(v) && v > 0,
      'integers > 0',
    ),
  ].sort((x, y) => x - y);
  const areaRanges = options.areaRanges ?? defaults.areaRanges;
  if (
    !Array.isArray(areaRanges) ||
    areaRanges.length === 0 ||
    !areaRanges.every(
      (r) =>
        typeof r?.label === 'string' &&
        typeof r.min === 'number' &&
        typeof r.max === 'number' &&
        r.min <= r.max,
    )
  ) {
    throw new ArgumentError(
      FUNCTION,
      'options.areaRanges',
      `must be a non-empty list of {label, min, max} with min <= max, got ${JSON.stringify(areaRanges)}`,
    );
  }
  if (new Set(areaRanges.map((r) => r.label)).size !== areaRanges.length) {
    throw new ArgumentError(
      FUNCTION,
      'options.areaRanges',
      `must have distinct labels, got ${JSON.stringify(areaRanges.map((r) => r.label))}`,
    );
  }
  const knownImages = new Set(truth.images.map((image) => image.id));
  const knownCategories = new Set(truth.categories.map((category) => category.id));
  const subset = (
    name: string,
    requested: readonly number[] | undefined,
    known: Set<number>,
    what: string,
  ) => {
    if (requested === undefined) return [...known].sort((x, y) => x - y);
    if (!Array.isArray(requested))
      throw new ArgumentError(FUNCTION, `options.${name}`, `must be an array, got ${typeof requested}`);
    for (const id of requested) {
      if (!known.has(id))
        throw new ArgumentError(
          FUNCTION,
          `options.${name}`,
          `must hold ${what} ids of the ground truth, got ${id}`,
        );
    }
    return [...new Set(requested)].sort((x, y) => x - y);
  };
  return {
    iouType,
    iouThresholds,
    recallThresholds,
    maxDetections,
    areaRanges,
    useCategories: options.useCategories ?? defaults.useCategories,
    imageIds: subset('imageIds', options.imageIds, knownImages, 'image'),
    categoryIds: subset('categoryIds', options.categoryIds, knownCategories, 'category'),
  };
}

function prepareDetection(
  detection: CocoDetection,
  index: number,
  iouType: CocoIouType,
  sizes: Map<number, readonly [number, number]>,
  knownCategories: Set<number>,
): PreparedDetection {
  const where = `detections[${index}]`;
  if (detection === null || typeof detection !== 'object') {
    throw new ArgumentError(FUNCTION, where, `must be an object, got ${JSON.stringify(detection)}`);
  }
  const size = sizes.get(detection.image_id);
  if (!size) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.image_id`,
      `must be an image id of the ground truth, got ${detection.image_id}`,
    );
  }
  if (!knownCategories.has(detection.category_id)) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.category_id`,
      `must be a category id of the ground truth, got ${detection.category_id}`,
    );
  }
  if (typeof detection.score !== 'number' || !Number.isFinite(detection.score)) {
    throw new ArgumentError(FUNCTION, `${where}.score`, `must be a finite number, got ${detection.score}`);
  }
  if (iouType === 'bbox') {
    const box = detection.bbox;
    if (
      !Array.isArray(box) ||
      box.length !== 4 ||
      !box.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new ArgumentError(
        FUNCTION,
        `${where}.bbox`,
        `must be [x, y, w, h] of finite numbers for iouType 'bbox', got ${JSON.stringify(box)}`,
      );
    }
    // pycocotools loadRes: the area of a box result is w * h.
    return { score: detection.score, area: box[2]! * box[3]!, box, mask: null };
  }
  const segmentation = detection.segmentation;
  if (segmentation === null || typeof segmentation !== 'object' || !Array.isArray(segmentation.size)) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.segmentation`,
      `must be an RLE {size, counts} for iouType 'segm', got ${JSON.stringify(segmentation)}`,
    );
  }
  const [height, width] = size;
  if (segmentation.size[0] !== height || segmentation.size[1] !== width) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.segmentation.size`,
      `must be [${height}, ${width}] (the size of image ${detection.image_id}), got [${segmentation.size.join(', ')}]`,
    );
  }
  const counts =
    typeof segmentation.counts === 'string' ? decodeRleString(segmentation.counts) : segmentation.counts;
  let total = 0;
  let area = 0;
  for (let i = 0; i < (Array.isArray(counts) ? counts.length : 0); i++) {
    const count = counts[i]!;
    if (!Number.isInteger(count) || count < 0) total = Number.NaN;
    total += count;
    if (i % 2 === 1) area += count;
  }
  if (!Array.isArray(counts) || total !== height * width) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.segmentation.counts`,
      `must be runs of integers >= 0 summing to ${height}*${width} = ${height * width}, got a sum of ${total}`,
    );
  }
  // pycocotools loadRes: the area of a mask result is its pixel count.
  return { score: detection.score, area, box: [], mask: { size: [height, width], counts } };
}

function prepareObject(
  annotation: CocoAnnotation,
  index: number,
  iouType: CocoIouType,
  size: readonly [number, number],
): PreparedObject {
  const where = `groundTruth.annotations[${index}]`;
  if (typeof annotation.area !== 'number' || Number.isNaN(annotation.area)) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.area`,
      `must be a number, got ${JSON.stringify(annotation.area)}`,
    );
  }
  // pycocotools reads the ground truth's `area` field (not the mask's pixel count) for the area ranges,
  // and only `iscrowd` decides ignore (it overwrites any `ignore` field).
  const crowd = Boolean(annotation.iscrowd);
  if (iouType === 'bbox') {
    const box = annotation.bbox;
    if (!Array.isArray(box) || box.length !== 4) {
      throw new ArgumentError(FUNCTION, `${where}.bbox`, `must be [x, y, w, h], got ${JSON.stringify(box)}`);
    }
    return { crowd, area: annotation.area, box, mask: null };
  }
  if (annotation.segmentation === undefined) {
    throw new ArgumentError(
      FUNCTION,
      `${where}.segmentation`,
      `is required for iouType 'segm', got undefined`,
    );
  }
  const [height, width] = size;
  let counts: number[];
  try {
    counts = segmentationToCounts(annotation.segmentation, height, width);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArgumentError(
      FUNCTION,
      `${where}.segmentation`,
      `is not a usable mask of image ${annotation.image_id}: ${reason}`,
    );
  }
  return { crowd, area: annotation.area, box: [], mask: { size: [height, width], counts } };
}
