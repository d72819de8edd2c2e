import { ArgumentError } from '@fdl/dct-core';
import { polygonToCounts } from './polygon.js';
import {
  type CompressedRle,
  countsToMask,
  decodeRleString,
  encodeRleString,
  maskToCounts,
  mergeCounts,
  type UncompressedRle,
} from './rle.js';

/** A COCO `segmentation` value: polygons, uncompressed RLE or compressed (string) RLE. */
export type CocoSegmentation = number[][] | UncompressedRle | CompressedRle;

/**
 * Column-major counts of a COCO segmentation, as pycocotools' `annToRLE` computes them:
 * polygons are rasterised one by one (`polygonToCounts`) and merged by union; a list whose first
 * entry has exactly 4 numbers is read as `[x, y, w, h]` boxes, as `frPyObjects` does; RLE sizes must
 * equal (height, width).
 */
export function segmentationToCounts(
  segmentation: CocoSegmentation,
  height: number,
  width: number,
): number[] {
  if (Array.isArray(segmentation)) {
    if (segmentation.length === 0) return [height * width];
    const parts = segmentation.map((polygon, index) => {
      if (
        !Array.isArray(polygon) ||
        polygon.some((value) => typeof value !== 'number' || !Number.isFinite(value))
      ) {
        throw new ArgumentError(
          'segmentationToCounts',
          'segmentation',
          `polygon ${index} is not a list of finite numbers`,
        );
      }
      if (segmentation[0]!.length === 4) {
        const [x, y, w, h] = polygon as [number, number, number, number];
        return polygonToCounts([x, y, x, y + h, x + w, y + h, x + w, y], height, width);
      }
      return polygonToCounts(polygon, height, width);
    });
    return mergeCounts(parts, height, width);
  }
  if (segmentation === null || typeof segmentation !== 'object' || !Array.isArray(segmentation.size)) {
    throw new ArgumentError(
      'segmentationToCounts',
      'segmentation',
      'is neither a polygon list nor an RLE {size, counts}',
    );
  }
  const [rleHeight, rleWidth] = segmentation.size;
  if (rleHeight !== height || rleWidth !== width) {
    throw new ArgumentError(
      'segmentationToCounts',
      'segmentation',
      `has size [${rleHeight}, ${rleWidth}] but the image is [${height}, ${width}]`,
    );
  }
  const counts =
    typeof segmentation.counts === 'string' ? decodeRleString(segmentation.counts) : segmentation.counts;
  if (!Array.isArray(counts)) {
    throw new ArgumentError(
      'segmentationToCounts',
      'segmentation.counts',
      'must be a string or a list of numbers',
    );
  }
  let total = 0;
  for (const count of counts) total += count;
  if (total !== height * width) {
    throw new ArgumentError(
      'segmentationToCounts',
      'segmentation.counts',
      `sum to ${total}, expected ${height}*${width} = ${height * width}`,
    );
  }
  return counts;
}

/** Row-major 0/1 mask `[height, width]` of a COCO segmentation (pycocotools `annToMask`). */
export function decodeMask(segmentation: CocoSegmentation, height: number, width: number): Uint8Array {
  return countsToMask(segmentationToCounts(segmentation, height, width), height, width);
}

/**
 * Compressed COCO RLE of a row-major mask (nonzero = set): byte-identical to
 * `pycocotools.mask.encode(np.asfortranarray(mask))['counts'].decode()`.
 */
export function encodeRle(mask: Uint8Array, height: number, width: number): CompressedRle {
  return { size: [height, width], counts: encodeRleString(maskToCounts(mask, height, width)) };
}
