"""Fixture for `randomResizedCropRegion`: torchvision 0.14's own `RandomResizedCrop.get_params`, driven
by recorded uniform numbers instead of torch's generator, so the TypeScript port can replay the same
numbers and must land on the same crop (attempt loop, Python rounding, acceptance test, fallback).

torch.empty(1).uniform_(a, b) is replaced by a + (b - a) * u and torch.randint(lo, hi) by
lo + floor(u * (hi - lo)), the same mapping `Random.uniform` / `Random.integer` use.
Run once with Debian's interpreter (PyTorch 1.13, torchvision 0.14):

    /usr/bin/python3 tools/torch-fixtures/datasets/random-resized-crop.py
"""
import json
import math
import os

import numpy as np
import torch
from torchvision.transforms import RandomResizedCrop

OUT = os.path.join(
    os.path.dirname(__file__), '..', '..', '..', 'packages', 'datasets', 'src', 'transforms', 'fixtures', 'random-resized-crop.json'
)


class Recorder:
    def __init__(self, values):
        self.values = iter(values)
        self.used = []

    def take(self):
        value = next(self.values)
        self.used.append(value)
        return value


def main():
    rng = np.random.default_rng(2020)
    cases = []
    for k in range(300):
        width = int(rng.integers(1, 900))
        height = int(rng.integers(1, 900))
        if k % 15 == 0:  # extreme aspect ratios exercise the fallback
            width, height = width * 25, max(1, height // 25)
        if k % 15 == 7:
            width, height = max(1, width // 25), height * 25
        recorder = Recorder(rng.random(64).tolist())

        class FakeEmpty:
            def uniform_(self, low, high):
                low, high = float(low), float(high)
                return torch.tensor(low + (high - low) * recorder.take(), dtype=torch.float64)

        empty, randint = torch.empty, torch.randint
        torch.empty = lambda *args, **kwargs: FakeEmpty()
        torch.randint = lambda low, high, size: torch.tensor([low + math.floor(recorder.take() * (high - low))])
        try:
            top, left, h, w = RandomResizedCrop.get_params(torch.zeros(1, height, width), [0.08, 1.0], [3 / 4, 4 / 3])
        finally:
            torch.empty, torch.randint = empty, randint
        cases.append({'width': width, 'height': height, 'u': recorder.used, 'region': [int(left), int(top), int(w), int(h)]})
    with open(OUT, 'w') as f:
        json.dump({'source': 'torchvision 0.14 RandomResizedCrop.get_params, scale (0.08, 1), ratio (3/4, 4/3)', 'cases': cases}, f)
    print(len(cases), 'cases ->', os.path.normpath(OUT))


main()
