"""Fixtures for @fdl/fd-models/detection, computed with torchvision 0.14 (run with /usr/bin/python3).

Every fixture is a small safetensors-layout file (8-byte little-endian header length, JSON header,
raw little-endian data) in ./fixtures, read by packages/fd-models/src/detection/test-fixtures.ts.
Image tensors are stored NHWC (the layout of fdl); weights keep torchvision's state_dict names and
layouts. Randomness: torch.manual_seed per fixture, so a rerun reproduces the files byte for byte.
"""

import json
import math
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection import _utils as det_utils
from torchvision.models.detection.rpn import RPNHead, RegionProposalNetwork
from torchvision.models.detection.roi_heads import RoIHeads
from torchvision.models.detection.faster_rcnn import TwoMLPHead, FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
from torchvision.models.detection.transform import GeneralizedRCNNTransform, paste_masks_in_image
from torchvision.ops import FeaturePyramidNetwork, MultiScaleRoIAlign, roi_align, nms, batched_nms, box_iou
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool
from torchvision.ops.poolers import LevelMapper

assert torchvision.__version__.startswith('0.14'), torchvision.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures')
os.makedirs(OUT, exist_ok=True)
torch.set_num_threads(1)

DTYPES = {np.float32: 'F32', np.int32: 'I32', np.uint8: 'U8', np.float64: 'F64'}


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def save(name, tensors, meta=None):
    header = OrderedDict()
    if meta is not None:
        header['__metadata__'] = {'json': json.dumps(meta)}
    blobs = []
    offset = 0
    for key, value in tensors.items():
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        value = np.asarray(value)
        if value.dtype == np.int64 or value.dtype == np.bool_:
            value = value.astype(np.int32)
        if value.dtype == np.float64:
            value = value.astype(np.float32)
        code = DTYPES[value.dtype.type]
        data = np.ascontiguousarray(value).astype(value.dtype.newbyteorder('<')).tobytes()
        header[key] = {'dtype': code, 'shape': list(value.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    path = os.path.join(OUT, name + '.safetensors')
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    print(f'{path}: {os.path.getsize(path)} bytes')


def random_boxes(n, width, height, min_side=1.0, max_side=None, generator=None):
    max_side = max_side or max(width, height) / 2
    x1 = torch.rand(n, generator=generator) * width
    y1 = torch.rand(n, generator=generator) * height
    w = min_side + torch.rand(n, generator=generator) * (max_side - min_side)
    h = min_side + torch.rand(n, generator=generator) * (max_side - min_side)
    return torch.stack([x1, y1, x1 + w, y1 + h], 1)


def fixture_anchors():
    generator = AnchorGenerator(((32,), (64,), (128,), (256,), (512,)), ((0.5, 1.0, 2.0),) * 5)
    tensors = torch.zeros(2, 3, 70, 100)
    images = ImageList(tensors, [(70, 100), (64, 90)])
    sizes = [(18, 25), (9, 13), (5, 7), (3, 4), (2, 2)]
    features = [torch.zeros(2, 1, h, w) for h, w in sizes]
    anchors = generator(images, features)
    cell = generator.cell_anchors
    save('anchors', {
        'anchors': anchors[0],
        **{f'cell_anchors.{i}': c for i, c in enumerate(cell)},
    }, {'imageHeight': 70, 'imageWidth': 100, 'featureSizes': sizes})


def fixture_nms():
    g = torch.Generator().manual_seed(1)
    out = {}
    boxes = random_boxes(300, 100, 80, 2, 40, g)
    scores = torch.rand(300, generator=g)
    scores[10:20] = scores[5]  # ties: torchvision sorts stably
    boxes[30] = boxes[31]  # duplicates
    boxes[40] = torch.tensor([5.0, 5.0, 5.0, 9.0])  # zero area
    out['boxes'] = boxes
    out['scores'] = scores
    for threshold in (0.3, 0.5, 0.7):
        out[f'keep_{threshold}'] = nms(boxes, scores, threshold)
    idxs = torch.randint(0, 4, (300,), generator=g)
    out['idxs'] = idxs
    out['batched_keep_0.5'] = batched_nms(boxes, scores, idxs, 0.5)  # coordinate-trick path (<= 1000 boxes)
    big = random_boxes(1500, 300, 200, 2, 60, g)
    big_scores = torch.rand(1500, generator=g)
    big_idxs = torch.randint(0, 5, (1500,), generator=g)
    out['big_boxes'] = big
    out['big_scores'] = big_scores
    out['big_idxs'] = big_idxs
    out['big_batched_keep_0.7'] = batched_nms(big, big_scores, big_idxs, 0.7)  # per-class path
    out['iou'] = box_iou(boxes[:7], boxes[:9])
    save('nms', out)


def fixture_box_coder():
    g = torch.Generator().manual_seed(2)
    proposals = random_boxes(50, 200, 150, 1, 80, g)
    gt = random_boxes(50, 200, 150, 1, 80, g)
    out = {'proposals': proposals, 'gt': gt}
    for name, weights in (('rpn', (1.0, 1.0, 1.0, 1.0)), ('roi', (10.0, 10.0, 5.0, 5.0))):
        coder = det_utils.BoxCoder(weights)
        out[f'{name}.encoded'] = coder.encode_single(gt, proposals)
        codes = torch.randn(50, 8, generator=g) * 2
        codes[0, 2] = 20.0  # exercises the clamp at log(1000/16)
        codes[1, 7] = 15.0
        out[f'{name}.codes'] = codes
        out[f'{name}.decoded'] = coder.decode_single(codes, proposals)
    save('box_coder', out)


def fixture_matcher():
    g = torch.Generator().manual_seed(3)
    gt = random_boxes(6, 100, 100, 5, 50, g)
    anchors = random_boxes(200, 100, 100, 5, 50, g)
    quality = box_iou(gt, anchors)
    out = {'gt': gt, 'anchors': anchors, 'quality': quality}
    out['rpn'] = det_utils.Matcher(0.7, 0.3, True)(quality)
    out['roi'] = det_utils.Matcher(0.5, 0.5, False)(quality)
    out['low'] = det_utils.Matcher(0.4, 0.1, True)(quality)
    save('matcher', out)


def fixture_roi_align():
    g = torch.Generator().manual_seed(4)
    features = torch.randn(2, 3, 11, 13, generator=g, dtype=torch.float64)
    rois = torch.tensor([
        [0, 1.0, 1.0, 10.0, 8.0],
        [1, 0.0, 0.0, 12.0, 10.0],
        [0, -3.0, -2.0, 5.5, 4.5],
        [1, 8.3, 6.1, 15.0, 14.0],
        [0, 4.2, 3.3, 4.6, 3.5],  # smaller than one bin
        [1, 20.0, 20.0, 30.0, 30.0],  # fully outside
        [0, 2.5, 7.25, 11.75, 9.0],
    ], dtype=torch.float64)
    out = {'features': nhwc(features).float(), 'rois': rois.float()}
    cases = []
    for aligned in (False, True):
        for sampling in (0, 2, 3):
            for (ph, pw), scale in (((7, 7), 1.0), ((5, 4), 0.5)):
                name = f'a{int(aligned)}_s{sampling}_{ph}x{pw}_{scale}'
                x = features.clone().requires_grad_(True)
                result = roi_align(x, rois, (ph, pw), scale, sampling if sampling > 0 else -1, aligned)
                upstream = torch.randn(result.shape, generator=g, dtype=torch.float64)
                (result * upstream).sum().backward()
                out[f'{name}.output'] = nhwc(result).float()
                out[f'{name}.upstream'] = nhwc(upstream).float()
                out[f'{name}.grad'] = nhwc(x.grad).float()
                cases.append({'name': name, 'aligned': aligned, 'samplingRatio': sampling,
                              'outputHeight': ph, 'outputWidth': pw, 'spatialScale': scale})
    save('roi_align', out, {'cases': cases})


def fixture_multiscale():
    g = torch.Generator().manual_seed(5)
    image_sizes = [(120, 96), (100, 128)]
    sizes = [(32, 32), (16, 16), (8, 8), (4, 4)]
    features = OrderedDict((str(i), torch.randn(2, 4, h, w, generator=g)) for i, (h, w) in enumerate(sizes))
    boxes = [random_boxes(12, 96, 120, 2, 110, g), random_boxes(9, 128, 100, 2, 100, g)]
    pooler = MultiScaleRoIAlign(['0', '1', '2', '3'], 7, 2)
    result = pooler(features, boxes, image_sizes)
    mapper = LevelMapper(2, 5)
    levels = mapper([torch.cat(boxes)])
    out = {f'features.{k}': nhwc(v) for k, v in features.items()}
    out.update({'boxes.0': boxes[0], 'boxes.1': boxes[1], 'output': nhwc(result), 'levels': levels})
    save('multiscale_roi_align', out, {'imageSizes': image_sizes})


def reinit(module, generator, std=0.05):
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.randn(p.shape, generator=generator) * (std if 'weight' in name else 0.02))


def make_fpn(generator):
    fpn = FeaturePyramidNetwork([8, 16, 32, 64], 16, extra_blocks=LastLevelMaxPool())
    reinit(fpn, generator, 0.2)
    return fpn


def fixture_fpn():
    g = torch.Generator().manual_seed(6)
    fpn = make_fpn(g)
    sizes = [(15, 19), (8, 10), (4, 5), (2, 3)]
    inputs = OrderedDict((f'c{i + 2}', torch.randn(2, c, h, w, generator=g))
                         for i, (c, (h, w)) in enumerate(zip([8, 16, 32, 64], sizes)))
    outputs = fpn(OrderedDict((str(i), v) for i, v in enumerate(inputs.values())))
    out = {f'backbone.fpn.{k}': v for k, v in fpn.state_dict().items()}
    out.update({f'input.{k}': nhwc(v) for k, v in inputs.items()})
    out.update({f'output.{k}': nhwc(v) for k, v in outputs.items()})
    # the nearest-upsampling rule alone, on a non-2x size pair
    small = torch.randn(1, 1, 3, 5, generator=g)
    out['nearest.input'] = nhwc(small)
    out['nearest.output'] = nhwc(F.interpolate(small, size=(7, 12), mode='nearest'))
    save('fpn', out)


class GivenSampler:
    """Replaces torchvision's random sampler by given decisions, so the losses are deterministic."""

    def __init__(self, generator, batch_size_per_image, positive_fraction):
        self.inner = det_utils.BalancedPositiveNegativeSampler(batch_size_per_image, positive_fraction)
        self.generator = generator
        self.decisions = []

    def __call__(self, matched_idxs):
        state = torch.random.get_rng_state()
        torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=self.generator)))
        pos, neg = self.inner(matched_idxs)
        torch.random.set_rng_state(state)
        self.decisions.append((pos, neg))
        return pos, neg


def heads_setup(generator, num_classes=3, fpn_channels=16, representation=32, mask_layers=(16, 16)):
    anchor_generator = AnchorGenerator(((32,), (64,), (128,), (256,), (512,)), ((0.5, 1.0, 2.0),) * 5)
    rpn_head = RPNHead(fpn_channels, 3)
    rpn = RegionProposalNetwork(anchor_generator, rpn_head, 0.7, 0.3, 256, 0.5,
                                dict(training=60, testing=50), dict(training=40, testing=30), 0.7)
    box_head = TwoMLPHead(fpn_channels * 49, representation)
    box_predictor = FastRCNNPredictor(representation, num_classes)
    roi_heads = RoIHeads(MultiScaleRoIAlign(['0', '1', '2', '3'], 7, 2), box_head, box_predictor,
                         0.5, 0.5, 32, 0.25, None, 0.05, 0.5, 100)
    roi_heads.mask_roi_pool = MultiScaleRoIAlign(['0', '1', '2', '3'], 14, 2)
    roi_heads.mask_head = MaskRCNNHeads(fpn_channels, list(mask_layers), 1)
    roi_heads.mask_predictor = MaskRCNNPredictor(mask_layers[-1], mask_layers[-1], num_classes)
    reinit(rpn, generator, 0.1)
    reinit(roi_heads, generator, 0.08)
    return rpn, roi_heads


def fixture_heads():
    """FPN + RPN + RoI heads + transform post-processing on given C2..C5 (everything but the body)."""
    g = torch.Generator().manual_seed(7)
    fpn = make_fpn(g)
    rpn, roi_heads = heads_setup(g)
    transform = GeneralizedRCNNTransform(64, 100, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    original_sizes = [(90, 120), (70, 60)]
    images = [torch.rand(3, h, w, generator=g) for h, w in original_sizes]
    # targets in original coordinates for the training half
    targets = []
    for (h, w) in original_sizes:
        boxes = random_boxes(3, w * 0.6, h * 0.6, 8, min(h, w) * 0.4, g)
        masks = torch.zeros(3, h, w, dtype=torch.uint8)
        for k, b in enumerate(boxes):
            x1, y1, x2, y2 = [int(v) for v in b]
            masks[k, y1:y2 + 1, x1:(x1 + x2) // 2 + 1] = 1
        targets.append({'boxes': boxes, 'labels': torch.tensor([1, 2, 1]), 'masks': masks})
    out = {}
    for i, img in enumerate(images):
        out[f'image.{i}'] = img.permute(1, 2, 0).contiguous()
        out[f'target.{i}.boxes'] = targets[i]['boxes']
        out[f'target.{i}.labels'] = targets[i]['labels']
        out[f'target.{i}.masks'] = targets[i]['masks']
    transform.eval()
    image_list, resized_targets = transform(images, [dict(t) for t in targets])
    out['transform.batch'] = nhwc(image_list.tensors)
    out['transform.imageSizes'] = torch.tensor(image_list.image_sizes)
    for i, t in enumerate(resized_targets):
        out[f'transform.target.{i}.boxes'] = t['boxes']
        out[f'transform.target.{i}.masks'] = t['masks']
    ph, pw = image_list.tensors.shape[-2:]
    channels = [8, 16, 32, 64]
    body = OrderedDict()
    for level, c in enumerate(channels):
        stride = 4 * 2 ** level
        body[str(level)] = torch.randn(2, c, math.ceil(ph / stride), math.ceil(pw / stride), generator=g)
        out[f'body.c{level + 2}'] = nhwc(body[str(level)])
    out.update({f'backbone.fpn.{k}': v for k, v in fpn.state_dict().items()})
    out.update({f'rpn.{k}': v for k, v in rpn.state_dict().items()})
    out.update({f'roi_heads.{k}': v for k, v in roi_heads.state_dict().items()})
    with torch.no_grad():
        features = fpn(body)
        # eval
        rpn.eval(); roi_heads.eval()
        objectness, deltas = rpn.head(list(features.values()))
        for level, (o, d) in enumerate(zip(objectness, deltas)):
            out[f'rpn.objectness.{level}'] = nhwc(o)
            out[f'rpn.deltas.{level}'] = nhwc(d)
        proposals, _ = rpn(image_list, features)
        for i, p in enumerate(proposals):
            out[f'eval.proposals.{i}'] = p
        detections, _ = roi_heads(features, proposals, image_list.image_sizes)
        for i, d in enumerate(detections):
            for key in ('boxes', 'labels', 'scores', 'masks'):
                out[f'eval.detections.{i}.{key}'] = d[key]
        # roi heads on the given proposals, raw outputs
        box_features = roi_heads.box_roi_pool(features, proposals, image_list.image_sizes)
        out['eval.box_features'] = nhwc(box_features)
        box_head_out = roi_heads.box_head(box_features)
        class_logits, box_regression = roi_heads.box_predictor(box_head_out)
        out['eval.class_logits'] = class_logits
        out['eval.box_regression'] = box_regression
        final = transform.postprocess([dict(d) for d in detections], image_list.image_sizes, original_sizes)
        for i, d in enumerate(final):
            for key in ('boxes', 'labels', 'scores'):
                out[f'final.{i}.{key}'] = d[key]
            # thresholded as a user would, first 12 only, to keep the fixture small
            out[f'final.{i}.masks'] = (d['masks'][:12, 0] > 0.5).to(torch.uint8)
    # training: losses with recorded sampling decisions
    rpn.train(); roi_heads.train()
    rpn.fg_bg_sampler = GivenSampler(g, 256, 0.5)
    roi_heads.fg_bg_sampler = GivenSampler(g, 32, 0.25)
    features = fpn(body)
    proposals, rpn_losses = rpn(image_list, features, resized_targets)
    for i, p in enumerate(proposals):
        out[f'train.proposals.{i}'] = p.detach()
    _, roi_losses = roi_heads(features, proposals, image_list.image_sizes, resized_targets)
    for i, (pos, neg) in enumerate(zip(*rpn.fg_bg_sampler.decisions[0])):
        out[f'train.rpn.positive.{i}'] = pos
        out[f'train.rpn.negative.{i}'] = neg
    for i, (pos, neg) in enumerate(zip(*roi_heads.fg_bg_sampler.decisions[0])):
        out[f'train.roi.positive.{i}'] = pos
        out[f'train.roi.negative.{i}'] = neg
    losses = {**rpn_losses, **roi_losses}
    for key, value in losses.items():
        out[f'train.{key}'] = value.detach().reshape(1)
    meta = {'originalSizes': original_sizes, 'imageSizes': image_list.image_sizes, 'numClasses': 3,
            'losses': {k: float(v) for k, v in losses.items()}}
    save('heads', out, meta)


def fixture_paste_masks():
    g = torch.Generator().manual_seed(8)
    masks = torch.rand(4, 1, 28, 28, generator=g)
    boxes = torch.tensor([[3.2, 4.7, 40.1, 30.9], [-5.0, 10.0, 20.0, 60.0], [50.0, 20.0, 75.9, 49.9],
                          [10.0, 10.0, 10.4, 10.2]])
    pasted = paste_masks_in_image(masks, boxes, (50, 70), padding=1)
    save('paste_masks', {'masks': masks[:, 0], 'boxes': boxes, 'pasted': pasted[:, 0]}, {'imageSize': [50, 70]})


def smooth_image(generator, height, width):
    """A synthetic photo-like image: low-frequency colour noise plus a few bright rectangles."""
    coarse = torch.rand(1, 3, height // 10 + 2, width // 10 + 2, generator=generator)
    image = F.interpolate(coarse, size=(height, width), mode='bilinear', align_corners=False)[0]
    for _ in range(4):
        y = int(torch.randint(0, height - 20, (1,), generator=generator))
        x = int(torch.randint(0, width - 20, (1,), generator=generator))
        h = int(torch.randint(10, 40, (1,), generator=generator))
        w = int(torch.randint(8, 30, (1,), generator=generator))
        image[:, y:y + h, x:x + w] = torch.rand(3, 1, 1, generator=generator)
    return image.clamp(0, 1)


def full_model(kind):
    """Whole maskrcnn_resnet50_fpn (3 classes, small images) with seeded random weights, written to the
    gitignored cache (about 180 MB): weights, inputs and torchvision's eval detections."""
    from torchvision.models.detection import maskrcnn_resnet50_fpn
    torch.manual_seed(11)
    g = torch.Generator().manual_seed(11)
    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=96, max_size=160,
                                  rpn_pre_nms_top_n_test=200, rpn_post_nms_top_n_test=100)
    if kind == 'dct':
        # the paper's DCT ResNet-50: no stem, layer1 takes the C = 24 channel cube at H/4 of the image
        body = model.backbone.body
        body.conv1 = torch.nn.Identity()
        body.bn1 = torch.nn.Identity()
        body.relu = torch.nn.Identity()
        body.maxpool = torch.nn.Identity()
        block = body.layer1[0]
        block.conv1 = torch.nn.Conv2d(24, 64, 1, bias=False)
        block.downsample[0] = torch.nn.Conv2d(24, 256, 1, bias=False)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.momentum = None  # cumulative average: calibrate running statistics below
        # spread the class scores (default init gives ~1/3 each) without amplifying the float32 noise of
        # the 50-layer body much: only the classifier is scaled, and a background bias leaves a few
        # confident detections whose ranking is far from ties
        model.roi_heads.box_predictor.cls_score.weight.mul_(8.0)
        model.roi_heads.box_predictor.cls_score.bias[0] += 2.0
    images = [smooth_image(g, 100, 130), smooth_image(g, 90, 120)]
    model.train()
    with torch.no_grad():
        transformed, _ = model.transform(images, None)
        if kind == 'dct':
            cube = torch.randn(2, 24, transformed.tensors.shape[-2] // 4, transformed.tensors.shape[-1] // 4, generator=g)
            for _ in range(3):
                model.backbone.body(cube)
        else:
            for _ in range(3):
                model.backbone.body(transformed.tensors)
    model.eval()
    out = {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}
    # the oracle runs in float64 (torch's float32 CPU convolutions are themselves ~4e-5 relative off
    # after 50 random layers); the weights stored above are the float32 ones both sides use
    model.double()
    images = [image.double() for image in images]
    if kind == 'dct':
        cube = cube.double()
    with torch.no_grad():
        transformed, _ = model.transform(images, None)
        if kind == 'dct':
            features = model.backbone.fpn(model.backbone.body(cube))
            out['input.cube'] = nhwc(cube)
        else:
            features = model.backbone(transformed.tensors)
            out['input.batch'] = nhwc(transformed.tensors)
        proposals, _ = model.rpn(transformed, features)
        detections, _ = model.roi_heads(features, proposals, transformed.image_sizes)
        for name, value in features.items():
            out[f'intermediate.fpn.{name}'] = nhwc(value)
        for i, p in enumerate(proposals):
            out[f'intermediate.proposals.{i}'] = p
        original_sizes = [(int(i.shape[1]), int(i.shape[2])) for i in images]
        detections = model.transform.postprocess(detections, transformed.image_sizes, original_sizes)
    for i, d in enumerate(detections):
        out[f'expected.{i}.boxes'] = d['boxes']
        out[f'expected.{i}.labels'] = d['labels']
        out[f'expected.{i}.scores'] = d['scores']
        out[f'expected.{i}.masks'] = (d['masks'][:, 0] > 0.5).to(torch.uint8)
    meta = {'imageSizes': transformed.image_sizes, 'originalSizes': original_sizes, 'numClasses': 3}
    cache = os.path.abspath(os.path.join(HERE, '../../../.fdl-cache/detection'))
    os.makedirs(cache, exist_ok=True)
    global OUT
    saved, OUT = OUT, cache
    save(f'maskrcnn_{kind}', out, meta)
    OUT = saved


def fixture_state_dict_names():
    """Names and shapes of torchvision's maskrcnn_resnet50_fpn state dict (91 classes)."""
    from torchvision.models.detection import maskrcnn_resnet50_fpn
    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    names = [[k, list(v.shape)] for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')]
    with open(os.path.join(OUT, 'maskrcnn_resnet50_fpn_state_dict.json'), 'w') as f:
        json.dump(names, f, separators=(',', ':'))


if __name__ == '__main__':
    import sys
    if '--full' in sys.argv:
        full_model('rgb')
        full_model('dct')
        sys.exit(0)
    torch.manual_seed(0)
    fixture_anchors()
    fixture_nms()
    fixture_box_coder()
    fixture_matcher()
    fixture_roi_align()
    fixture_multiscale()
    fixture_fpn()
    fixture_heads()
    fixture_paste_masks()
    fixture_state_dict_names()
