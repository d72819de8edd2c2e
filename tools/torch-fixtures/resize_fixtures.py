"""Generates packages/dct-core/test/fixtures/resize-torchvision.json: torchvision resize outputs for
small seeded images, the reference for @fdl/dct-core's resizeImage.

Run once with Debian's python (PyTorch 1.13, torchvision 0.14):
    /usr/bin/python3 tools/torch-fixtures/resize_fixtures.py
CI never runs this; it reads the committed JSON.
"""
import json
import os

import numpy as np
import torch
import torchvision
from torchvision.transforms import InterpolationMode
from torchvision.transforms import functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'packages/dct-core/test/fixtures/resize-torchvision.json')


def noise(width, height, seed):
    return np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)


def smooth(width, height):
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    image = np.stack([
        128 + 100 * np.sin(x / 5.0) * np.cos(y / 7.0),
        (x * 255.0 / max(width - 1, 1)),
        np.where((x > width / 3) & (y > height / 2), 230.0, 20.0),
    ], axis=-1)
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def resize(image, width, height, mode, antialias):
    tensor = torch.from_numpy(image).permute(2, 0, 1).contiguous()
    out = F.resize(tensor, [height, width], interpolation=mode, antialias=antialias)
    return out.permute(1, 2, 0).contiguous().numpy()


def main():
    images = {'noise23x17': noise(23, 17, 1), 'smooth50x40': smooth(50, 40), 'noise64x48': noise(64, 48, 2)}
    sizes = {
        'noise23x17': [(10, 7), (46, 34), (31, 40), (12, 9)],
        'smooth50x40': [(17, 13), (25, 20), (100, 80), (50, 21)],
        'noise64x48': [(21, 16), (32, 24), (9, 5)],
    }
    cases = []
    for name, image in images.items():
        for width, height in sizes[name]:
            for label, mode, antialias in [
                ('bilinear', InterpolationMode.BILINEAR, False),
                ('bilinear-antialias', InterpolationMode.BILINEAR, True),
                ('nearest', InterpolationMode.NEAREST, False),
            ]:
                out = resize(image, width, height, mode, antialias)
                cases.append({
                    'input': name,
                    'width': width,
                    'height': height,
                    'mode': label,
                    'data': out.reshape(-1).tolist(),
                })
    document = {
        'generator': 'tools/torch-fixtures/resize_fixtures.py',
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'layout': 'interleaved RGB uint8, row-major [height, width, 3]',
        'inputs': {name: {'width': int(image.shape[1]), 'height': int(image.shape[0]), 'data': image.reshape(-1).tolist()}
                   for name, image in images.items()},
        'cases': cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as handle:
        json.dump(document, handle, separators=(',', ':'))
    print('wrote', OUT, len(cases), 'cases')


if __name__ == '__main__':
    main()
