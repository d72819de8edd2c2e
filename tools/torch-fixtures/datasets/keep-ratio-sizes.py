"""Prints the resized (width, height) that torchvision's detection transform gives for a few image sizes.

The output is pasted into packages/datasets/src/transforms/geometry.test.ts (`keepRatioSize` cases).
Run once with Debian's interpreter (PyTorch 1.13, torchvision 0.14):

    /usr/bin/python3 tools/torch-fixtures/datasets/keep-ratio-sizes.py
"""
import torch
from torchvision.models.detection.transform import _resize_image_and_masks

SIZES = [(500, 375), (2000, 500), (253, 311), (1017, 581), (1, 1), (640, 427), (640, 480), (500, 333), (2592, 1944)]

cases = []
for width, height in SIZES:
    resized, _ = _resize_image_and_masks(torch.zeros(1, height, width), 800.0, 1333.0)
    cases.append([width, height, resized.shape[2], resized.shape[1]])
print(cases)
