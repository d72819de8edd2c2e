import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError, errorMessage } from '../errors.js';
import type { DatasetSkip, ErrorPolicy } from '../folder/image-folder.js';
import type { CocoSegmentation } from './segmentation.js';

/** One entry of a COCO `images` list (fields this package uses). */
export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

/** One entry of a COCO `annotations` list. */
export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** [x, y, w, h], x/y = top-left pixel edge. */
  bbox: [number, number, number, number];
  area: number;
  /** 1 = crowd region (RLE over several objects): kept for evaluation, ignored by training targets. */
  iscrowd: 0 | 1;
  segmentation?: CocoSegmentation;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
}

/** An image of a COCO dataset with everything needed to build its targets. */
export interface CocoSample {
  /** Absolute path of the image file. */
  path: string;
  image: CocoImage;
  /** All annotations of the image (crowd included), in annotation-id order. */
  annotations: CocoAnnotation[];
}

/** A loaded instances file. */
export interface CocoDataset {
  annotationFile: string;
  imageRoot: string;
  categories: CocoCategory[];
  /**
   * Contiguous training labels: category id -> 1..K in increasing category-id order; 0 is reserved
   * for the background (torchvision's Mask R-CNN convention).
   */
  categoryIdToLabel: Map<number, number>;
  /** label -> category id; index 0 (background) holds 0. */
  labelToCategoryId: number[];
  samples: CocoSample[];
  /** Images left out under `onError: 'skip'` (missing files), with the reason. */
  skipped: DatasetSkip[];
}

/** Options of `loadCocoDataset`. */
export interface CocoDatasetOptions {
  /**
   * Remove images that have no annotation or whose boxes all have a side <= 1 pixel, as torchvision's
   * detection references do for training (`_coco_remove_images_without_annotations`). Default false
   * (evaluation keeps every image).
   */
  removeImagesWithoutAnnotations?: boolean;
  /** Missing image files: `error` (default) throws before any work, `skip` leaves them out and lists them. */
  onError?: ErrorPolicy;
}

export const DEFAULT_COCO_DATASET_OPTIONS: Readonly<Required<CocoDatasetOptions>> = Object.freeze({
  removeImagesWithoutAnnotations: false,
  onError: 'error',
});

/**
 * Reads and validates a COCO instances file. Everything is checked before returning: the JSON, the
 * schema of images / annotations / categories, unique ids, annotations that point at unknown images or
 * categories, and that every image file exists under `imageRoot`. Problems are `DatasetError`s that
 * name the file and the offending entry.
 */
export function loadCocoDataset(
  annotationFile: string,
  imageRoot: string,
  options: CocoDatasetOptions = {},
): CocoDataset {
  const functionName = 'loadCocoDataset';
  const removeEmpty =
    options.removeImagesWithoutAnnotations ?? DEFAULT_COCO_DATASET_OPTIONS.removeImagesWithoutAnnotations;
  const onError = options.onError ?? DEFAULT_COCO_DATASET_OPTIONS.onError;
  if (!existsSync(imageRoot))
    throw new DatasetError('missing', imageRoot, `${functionName}: image folder does not exist`);
  let text: string;
  try {
    text = readFileSync(annotationFile, 'utf8');
  } catch (error) {
    throw new DatasetError(
      'missing',
      annotationFile,
      `${functionName}: cannot read annotation file: ${errorMessage(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(
      'invalid-annotation',
      annotationFile,
      `${functionName}: not valid JSON: ${errorMessage(error)}`,
    );
  }
  const invalid = (message: string, details: Record<string, unknown> = {}) =>
    new DatasetError('invalid-annotation', annotationFile, `${functionName}: ${message}`, details);
  const root = json as { images?: unknown; annotations?: unknown; categories?: unknown };
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    throw invalid('top level must be an object');
  for (const key of ['images', 'annotations', 'categories'] as const) {
    if (!Array.isArray(root[key])) throw invalid(`'${key}' must be an array, got ${typeof root[key]}`);
  }
  const images = root.images as CocoImage[];
  const annotations = root.annotations as CocoAnnotation[];
  const categories = root.categories as CocoCategory[];

  const categoryIds = new Set<number>();
  categories.forEach((category, index) => {
    if (!Number.isInteger(category?.id) || typeof category.name !== 'string') {
      throw invalid(`categories[${index}] needs an integer id and a string name`, { entry: category });
    }
    if (categoryIds.has(category.id)) throw invalid(`category id ${category.id} appears twice`);
    categoryIds.add(category.id);
  });
  const imageById = new Map<number, CocoImage>();
  images.forEach((image, index) => {
    if (
      !Number.isInteger(image?.id) ||
      typeof image.file_name !== 'string' ||
      !Number.isInteger(image.width) ||
      !Number.isInteger(image.height) ||
      image.width <= 0 ||
      image.height <= 0
    ) {
      throw invalid(`images[${index}] needs an integer id, a file_name and positive integer width/height`, {
        entry: image,
      });
    }
    if (imageById.has(image.id)) throw invalid(`image id ${image.id} appears twice`);
    imageById.set(image.id, image);
  });
  const annotationsByImage = new Map<number, CocoAnnotation[]>();
  const annotationIds = new Set<number>();
  annotations.forEach((annotation, index) => {
    const where = `annotations[${index}] (id ${annotation?.id})`;
    if (!Number.isInteger(annotation?.id)) throw invalid(`annotations[${index}] needs an integer id`);
    if (annotationIds.has(annotation.id)) throw invalid(`annotation id ${annotation.id} appears twice`);
    annotationIds.add(annotation.id);
    if (!imageById.has(annotation.image_id)) {
      throw invalid(`${where} points at image ${annotation.image_id}, which is not in 'images'`);
    }
    if (!categoryIds.has(annotation.category_id)) {
      throw invalid(`${where} has category ${annotation.category_id}, which is not in 'categories'`);
    }
    const box = annotation.bbox;
    if (
      !Array.isArray(box) ||
      box.length !== 4 ||
      box.some((v) => typeof v !== 'number' || !Number.isFinite(v))
    ) {
      throw invalid(`${where} needs bbox [x, y, w, h] of finite numbers`, { bbox: box });
    }
    if (annotation.iscrowd !== 0 && annotation.iscrowd !== 1 && annotation.iscrowd !== undefined) {
      throw invalid(`${where} has iscrowd ${JSON.stringify(annotation.iscrowd)}, expected 0 or 1`);
    }
    let list = annotationsByImage.get(annotation.image_id);
    if (!list) annotationsByImage.set(annotation.image_id, (list = []));
    list.push({ ...annotation, iscrowd: annotation.iscrowd ?? 0 });
  });

  const sortedCategories = [...categories].sort((a, b) => a.id - b.id);
  const categoryIdToLabel = new Map(sortedCategories.map((category, index) => [category.id, index + 1]));
  const labelToCategoryId = [0, ...sortedCategories.map((category) => category.id)];

  const samples: CocoSample[] = [];
  const skipped: DatasetSkip[] = [];
  const missing: string[] = [];
  for (const image of [...images].sort((a, b) => a.id - b.id)) {
    const imageAnnotations = (annotationsByImage.get(image.id) ?? []).sort((a, b) => a.id - b.id);
    if (removeEmpty && !hasUsableAnnotation(imageAnnotations)) continue;
    const path = join(imageRoot, image.file_name);
    if (!existsSync(path)) {
      missing.push(path);
      skipped.push({
        path,
        reason: 'missing',
        message: `image ${image.id} of ${annotationFile} has no file`,
      });
      continue;
    }
    samples.push({ path, image, annotations: imageAnnotations });
  }
  if (missing.length > 0 && onError === 'error') {
    throw new DatasetError(
      'missing',
      missing[0]!,
      `${functionName}: ${missing.length} image file(s) named in ${annotationFile} do not exist`,
      { missing: missing.slice(0, 20) },
    );
  }
  return {
    annotationFile,
    imageRoot,
    categories: sortedCategories,
    categoryIdToLabel,
    labelToCategoryId,
    samples,
    skipped,
  };
}

/** torchvision's rule: at least one annotation and not all boxes degenerate (a side <= 1 pixel). */
function hasUsableAnnotation(annotations: readonly CocoAnnotation[]): boolean {
  if (annotations.length === 0) return false;
  return !annotations.every((annotation) => annotation.bbox[2] <= 1 || annotation.bbox[3] <= 1);
}
