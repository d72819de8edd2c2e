#!/usr/bin/env python3
"""Reference fixtures for @fdl/datasets' COCO evaluation, computed with the real pycocotools.

Builds a small synthetic COCO ground truth and synthetic detections in code (fixed seed), runs
pycocotools' COCOeval for several parameter sets and writes one JSON file that the vitest suite
replays. See README.md beside this file for how to build pycocotools.

Usage: PYTHONPATH=/path/to/cocoapi/PythonAPI python3 tools/coco-fixtures/generate.py [output.json]
"""

import contextlib
import io
import json
import math
import os
import random
import sys

import numpy as np

# cocoeval.accumulate still spells np.float, removed in numpy 1.24; it meant the builtin float.
if not hasattr(np, 'float'):
    np.float = float  # type: ignore[attr-defined]

from pycocotools import mask as mask_utils  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402

SEED = 20240611
DEFAULT_OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    '..', '..', 'packages', 'datasets', 'test', 'fixtures', 'coco-eval-pycocotools.json',
)

# id, width, height; images 4 and 9 have no ground truth (9 gets detections anyway).
IMAGES = [(1, 640, 480), (2, 320, 240), (3, 500, 375), (4, 200, 300), (7, 427, 640), (9, 128, 96)]
# Category 5 never appears in the ground truth: its slots must stay -1.
CATEGORIES = [(1, 'person'), (2, 'car'), (3, 'dog'), (5, 'kite')]
# Objects per image: (category, radius) - radii chosen to land in all three area ranges.
OBJECTS = {
    1: [(1, 60), (1, 12), (2, 30), (2, 80), (3, 8), (1, 25), (3, 45)],
    2: [(1, 20), (2, 6), (2, 40), (1, 35)],
    3: [(3, 90), (1, 15), (1, 16), (2, 22)],
    7: [(1, 100), (1, 50), (2, 10), (3, 28), (3, 5)],
}


def star_polygon(rng, cx, cy, radius, width, height, points=10):
    """A random star-shaped polygon around (cx, cy), clipped to the image, as a flat list."""
    flat = []
    for i in range(points):
        angle = 2 * math.pi * i / points + rng.uniform(-0.2, 0.2)
        r = radius * rng.uniform(0.6, 1.0)
        x = min(max(cx + r * math.cos(angle), 0.0), width - 0.01)
        y = min(max(cy + r * math.sin(angle), 0.0), height - 0.01)
        flat += [round(x, 2), round(y, 2)]
    return flat


def polygon_extent(flat):
    xs, ys = flat[0::2], flat[1::2]
    return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]


def rle_of_polygons(polygons, height, width):
    return mask_utils.merge(mask_utils.frPyObjects(polygons, height, width))


def uncompressed_counts(mask):
    """Column-major run lengths of a 0/1 mask, starting with a run of zeros."""
    flat = mask.flatten(order='F')
    counts, previous, run = [], 0, 0
    for value in flat:
        if value != previous:
            counts.append(run)
            run, previous = 0, value
        run += 1
    counts.append(run)
    return counts


def ellipse_mask(height, width, cx, cy, rx, ry):
    y, x = np.mgrid[0:height, 0:width]
    return (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1).astype(np.uint8)


def build_ground_truth(rng):
    images = [{'id': i, 'file_name': f'{i:06d}.jpg', 'width': w, 'height': h} for i, w, h in IMAGES]
    sizes = {i: (h, w) for i, w, h in IMAGES}
    annotations = []

    def add(image_id, category_id, segmentation, bbox, area, iscrowd=0):
        annotations.append({
            'id': len(annotations) + 1, 'image_id': image_id, 'category_id': category_id,
            'segmentation': segmentation, 'bbox': bbox, 'area': area, 'iscrowd': iscrowd,
        })

    for image_id, objects in OBJECTS.items():
        height, width = sizes[image_id]
        for index, (category_id, radius) in enumerate(objects):
            cx = rng.uniform(radius * 0.5, width - radius * 0.5)
            cy = rng.uniform(radius * 0.5, height - radius * 0.5)
            if index == 2 and image_id in (1, 3):
                # Compressed-RLE ground truth of an ellipse (area = pixel count).
                mask = ellipse_mask(height, width, cx, cy, radius, radius * 0.7)
                rle = mask_utils.encode(np.asfortranarray(mask))
                box = [float(v) for v in mask_utils.toBbox(rle)]
                add(image_id, category_id, {'size': [height, width], 'counts': rle['counts'].decode('ascii')},
                    box, int(mask_utils.area(rle)))
                continue
            polygons = [star_polygon(rng, cx, cy, radius, width, height)]
            if index == 3:
                # A two-part object (e.g. an occluded person): two polygons merged by union.
                polygons.append(star_polygon(rng, cx + radius, cy, radius * 0.4, width, height, points=6))
            rle = rle_of_polygons(polygons, height, width)
            xs = [v for p in polygons for v in p[0::2]]
            ys = [v for p in polygons for v in p[1::2]]
            box = [min(xs), min(ys), round(max(xs) - min(xs), 2), round(max(ys) - min(ys), 2)]
            # COCO's own areas are polygon areas (floats); use them half of the time.
            area = int(mask_utils.area(rle)) if index % 2 == 0 else round(float(mask_utils.area(rle)) + 0.37, 2)
            add(image_id, category_id, polygons, box, area)

    # Crowd regions as uncompressed RLE (how COCO stores them).
    for image_id, category_id, (cx, cy, rx, ry) in [(1, 1, (500, 380, 90, 60)), (7, 3, (300, 150, 60, 40))]:
        height, width = sizes[image_id]
        mask = ellipse_mask(height, width, cx, cy, rx, ry)
        rle = mask_utils.encode(np.asfortranarray(mask))
        add(image_id, category_id, {'size': [height, width], 'counts': uncompressed_counts(mask)},
            [float(v) for v in mask_utils.toBbox(rle)], int(mask_utils.area(rle)), iscrowd=1)
    # A non-crowd uncompressed RLE too.
    height, width = sizes[2]
    mask = ellipse_mask(height, width, 250, 60, 30, 20)
    rle = mask_utils.encode(np.asfortranarray(mask))
    add(2, 3, {'size': [height, width], 'counts': uncompressed_counts(mask)},
        [float(v) for v in mask_utils.toBbox(rle)], int(mask_utils.area(rle)))

    categories = [{'id': c, 'name': n, 'supercategory': 'thing'} for c, n in CATEGORIES]
    return {'images': images, 'annotations': annotations, 'categories': categories}


def jitter_polygon(rng, flat, shift, width, height):
    dx, dy = rng.uniform(-shift, shift), rng.uniform(-shift, shift)
    out = []
    for i in range(0, len(flat), 2):
        out.append(round(min(max(flat[i] + dx + rng.uniform(-1, 1), 0.0), width - 0.01), 2))
        out.append(round(min(max(flat[i + 1] + dy + rng.uniform(-1, 1), 0.0), height - 0.01), 2))
    return out


def build_detections(rng, ground_truth):
    """Detections as (image, category, score, polygon list); boxes and masks both derive from them."""
    sizes = {i['id']: (i['height'], i['width']) for i in ground_truth['images']}
    raw = []

    def score(high=0.99):
        # Two decimals so that equal scores (ties) are common.
        return round(rng.uniform(0.05, high), 2)

    for ann in ground_truth['annotations']:
        height, width = sizes[ann['image_id']]
        x, y, w, h = ann['bbox']
        if isinstance(ann['segmentation'], list):
            polygons = ann['segmentation']
        else:
            polygons = [[x, y, x + w, y, x + w, y + h, x, y + h, x + w * 0.5, y + h * 1.02]]
        copies = 0 if rng.random() < 0.12 else (2 if rng.random() < 0.25 else 1)
        if ann['iscrowd']:
            copies = 3  # several detections on a crowd region: matched (ignored) repeatedly
        for _ in range(copies):
            shift = max(w, h) * rng.choice([0.02, 0.08, 0.2, 0.45])
            jittered = [jitter_polygon(rng, p, shift, width, height) for p in polygons]
            category = ann['category_id'] if rng.random() > 0.08 else rng.choice([1, 2, 3, 5])
            raw.append((ann['image_id'], category, score(), jittered))
        if copies and rng.random() < 0.15:
            raw.append(raw[-1])  # exact duplicate: same score, same region
    # False positives everywhere, including images without ground truth and category 5.
    for image_id, (height, width) in sizes.items():
        count = 130 if image_id == 1 else rng.randint(2, 8)
        for _ in range(count):
            radius = rng.choice([4, 10, 25, 60])
            cx, cy = rng.uniform(0, width), rng.uniform(0, height)
            polygon = star_polygon(rng, cx, cy, radius, width, height, points=6)
            raw.append((image_id, rng.choice([1, 2, 3, 5]), score(0.75), [polygon]))
    rng.shuffle(raw)

    bbox_results, segm_results = [], []
    for image_id, category, s, polygons in raw:
        height, width = sizes[image_id]
        xs = [v for p in polygons for v in p[0::2]]
        ys = [v for p in polygons for v in p[1::2]]
        box = [min(xs), min(ys), round(max(xs) - min(xs), 3), round(max(ys) - min(ys), 3)]
        bbox_results.append({'image_id': image_id, 'category_id': category, 'score': s, 'bbox': box})
        rle = rle_of_polygons(polygons, height, width)
        segm_results.append({
            'image_id': image_id, 'category_id': category, 'score': s,
            'segmentation': {'size': [height, width], 'counts': rle['counts'].decode('ascii')},
        })
    return bbox_results, segm_results


def pack(values, axes=None):
    """Lossless compact form of a float array: distinct values + run-length pairs of their indices,
    read in the order of `axes` (a transposition that makes runs long, e.g. recall thresholds last)."""
    array = np.asarray(values)
    axes = list(range(array.ndim)) if axes is None else axes
    flat = [float(v) for v in np.transpose(array, axes).ravel()]
    table = sorted(set(flat))
    index = {v: i for i, v in enumerate(table)}
    runs = []
    for v in flat:
        i = index[v]
        if runs and runs[-2] == i:
            runs[-1] += 1
        else:
            runs += [i, 1]
    return {'shape': list(array.shape), 'axes': axes, 'values': table, 'runs': runs}


def per_category_ap(precision):
    out = []
    for k in range(precision.shape[2]):
        s = precision[:, :, k, 0, -1]
        out.append(float(np.mean(s[s > -1])) if np.any(s > -1) else -1.0)
    return out


def evaluate(ground_truth, results, iou_type, params):
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = json.loads(json.dumps(ground_truth))
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(json.loads(json.dumps(results)))
        evaluator = COCOeval(coco_gt, coco_dt, iou_type)
        if 'imgIds' in params:
            evaluator.params.imgIds = params['imgIds']
        if 'useCats' in params:
            evaluator.params.useCats = params['useCats']
        if 'maxDets' in params:
            evaluator.params.maxDets = params['maxDets']
        if 'iouThrs' in params:
            evaluator.params.iouThrs = np.array(params['iouThrs'])
        if 'recThrs' in params:
            evaluator.params.recThrs = np.array(params['recThrs'])
        evaluator.evaluate()
        evaluator.accumulate()
        summary = io.StringIO()
        stats = None
        if len(evaluator.params.maxDets) >= 3:
            with contextlib.redirect_stdout(summary):
                evaluator.summarize()
            stats = [float(s) for s in evaluator.stats]
    return {
        'iouThresholds': [float(v) for v in evaluator.params.iouThrs],
        'recallThresholds': [float(v) for v in evaluator.params.recThrs],
        'stats': stats,
        # Per-category AP@[.5:.95] (area all, largest maxDets), the usual per-class table.
        'perCategoryAp': per_category_ap(evaluator.eval['precision']) if evaluator.params.useCats else None,
        'summary': summary.getvalue(),
        'precision': pack(evaluator.eval['precision'], [0, 2, 3, 4, 1]),
        'recall': pack(evaluator.eval['recall']),
        'scores': pack(evaluator.eval['scores'], [0, 2, 3, 4, 1]),
    }


def iou_reference(ground_truth, bbox_results, segm_results, image_ids):
    """pycocotools.mask.iou between every detection and every ground truth of some images (crowd
    flags included), detections and ground truth in list order; rows = detections."""
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = json.loads(json.dumps(ground_truth))
        coco_gt.createIndex()
    out = []
    for image_id in image_ids:
        gts = [a for a in ground_truth['annotations'] if a['image_id'] == image_id]
        crowd = [a['iscrowd'] for a in gts]
        boxes = [d['bbox'] for d in bbox_results if d['image_id'] == image_id]
        masks = [d['segmentation'] for d in segm_results if d['image_id'] == image_id]
        box_iou = mask_utils.iou(boxes, [a['bbox'] for a in gts], crowd)
        mask_iou = mask_utils.iou(masks, [coco_gt.annToRLE(a) for a in gts], crowd)
        out.append({
            'imageId': image_id,
            'bbox': [float(v) for v in np.asarray(box_iou).ravel()],
            'segm': [float(v) for v in np.asarray(mask_iou).ravel()],
            'shape': [len(boxes), len(gts)],
        })
    return out


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    rng = random.Random(SEED)
    ground_truth = build_ground_truth(rng)
    bbox_results, segm_results = build_detections(rng, ground_truth)
    cases = []
    for name, iou_type, params in [
        ('bbox default', 'bbox', {}),
        ('segm default', 'segm', {}),
        ('bbox useCats=0', 'bbox', {'useCats': 0}),
        ('segm useCats=0', 'segm', {'useCats': 0}),
        ('segm imgIds [1, 3, 9, 4]', 'segm', {'imgIds': [1, 3, 9, 4]}),
        ('bbox maxDets [1, 5]', 'bbox', {'maxDets': [1, 5]}),
        ('segm maxDets [1, 5]', 'segm', {'maxDets': [1, 5]}),
        ('bbox iouThrs [0.3, 0.5, 0.7], 11 recall thresholds', 'bbox',
         {'iouThrs': [0.3, 0.5, 0.7], 'recThrs': [float(v) for v in np.linspace(0, 1, 11)]}),
    ]:
        results = bbox_results if iou_type == 'bbox' else segm_results
        case = {'name': name, 'iouType': iou_type, 'params': params}
        case.update(evaluate(ground_truth, results, iou_type, params))
        cases.append(case)
    fixture = {
        'generator': 'tools/coco-fixtures/generate.py',
        'seed': SEED,
        'numpyVersion': np.__version__,
        'groundTruth': ground_truth,
        'bboxDetections': bbox_results,
        'segmDetections': segm_results,
        'iouReference': iou_reference(ground_truth, bbox_results, segm_results, [3, 7]),
        'cases': cases,
    }
    with open(output, 'w') as handle:
        json.dump(fixture, handle, separators=(',', ':'))
    print(f'wrote {output}: {os.path.getsize(output)} bytes, {len(bbox_results)} detections')
    for case in cases:
        print(f"  {case['name']}: stats {case['stats']}")


if __name__ == '__main__':
    main()
