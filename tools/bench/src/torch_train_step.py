"""PyTorch side of tools/bench/src/train-step.ts: the same networks, one configuration per run.

Builds torchvision's ResNet-50 / MobileNetV2 (RGB) or the paper's DCT variants (ResNet-50: conv1,
bn1, relu and maxpool dropped, layer1 taking C channels; MobileNetV2: features.0 dropped, features.1
taking C channels), seeded random weights, and times on CPU with a pinned thread count:
- a training step: forward in train mode + cross-entropy + backward + SGD (momentum 0.9) step;
- inference in eval mode under torch.no_grad at batch 1 and 8.
Prints one line "RESULT <json>" (medians over repetitions after one warm-up; wall and CPU time).

Run by train-step.ts with /usr/bin/python3 (Debian's PyTorch 1.13); not part of CI.
"""

import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torchvision


def build(architecture: str, kind: str, channels: int) -> nn.Module:
    if architecture == "resnet50":
        model = torchvision.models.resnet50(num_classes=1000)
        if kind == "dct":
            model.conv1 = nn.Identity()
            model.bn1 = nn.Identity()
            model.relu = nn.Identity()
            model.maxpool = nn.Identity()
            block = model.layer1[0]
            block.conv1 = nn.Conv2d(channels, 64, 1, bias=False)
            block.downsample[0] = nn.Conv2d(channels, 256, 1, bias=False)
        return model
    model = torchvision.models.mobilenet_v2(num_classes=1000)
    if kind == "dct":
        first = model.features[1].conv  # [ConvBNReLU(dw 32), Conv2d(32 -> 16), BN(16)]
        first[0][0] = nn.Conv2d(channels, channels, 3, 1, 1, groups=channels, bias=False)
        first[0][1] = nn.BatchNorm2d(channels)
        first[1] = nn.Conv2d(channels, 16, 1, bias=False)
        model.features = nn.Sequential(*list(model.features.children())[1:])
    return model


def timed(fn, reps: int):
    wall, cpu = [], []
    for r in range(reps + 1):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        if r > 0:
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--architecture", choices=["resnet50", "mobilenetv2"], required=True)
    parser.add_argument("--input", choices=["rgb", "dct"], required=True)
    parser.add_argument("--channels", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--infer-reps", type=int, default=5)
    parser.add_argument("--name", default="")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build(args.architecture, args.input, args.channels)
    channels = 3 if args.input == "rgb" else args.channels

    def images(batch: int) -> torch.Tensor:
        return torch.randn(batch, channels, args.size, args.size)

    model.eval()
    inference = {}
    for batch, reps in ((1, args.infer_reps), (8, max(1, (args.infer_reps + 1) // 2))):
        x = images(batch)
        with torch.no_grad():
            wall, cpu = timed(lambda: model(x), reps)
        inference[batch] = (statistics.median(wall) / batch, statistics.median(cpu) / batch)

    model.train()
    x = images(args.batch)
    labels = torch.randint(0, 1000, (args.batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    losses = []

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))

    wall, cpu = timed(step, args.reps)
    result = {
        "model": args.name,
        "threads": args.threads,
        "trainBatch": args.batch,
        "trainStepMs": wall,
        "trainStepCpuMs": cpu,
        "trainImagesPerSecond": args.batch * 1000 / statistics.median(wall),
        "trainImagesPerCpuSecond": args.batch * 1000 / statistics.median(cpu),
        "inferMsPerImageBatch1": inference[1][0],
        "inferMsPerImageBatch8": inference[8][0],
        "inferCpuMsPerImageBatch1": inference[1][1],
        "inferCpuMsPerImageBatch8": inference[8][1],
        "finalLoss": losses[-1],
        "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
