#!/usr/bin/python3
"""Self-test of convert.py (run by hand: /usr/bin/python3 tools/convert-weights/test_convert.py).

Builds checkpoints in the layouts convert.py accepts, converts them, loads the result into the matching
torchvision model and checks it computes the same outputs as the source model:
  * a torchvision ResNet-50 saved DataParallel-style ({'state_dict': {'module.' + name}});
  * a DCTNet-style DCT ResNet-50 (stages wrapped as 'model.0' .. 'model.3', C = 24);
  * a tonylins / DCTNet-style MobileNetV2, RGB and DCT (features without the stem).
"""

import os
import sys
import tempfile

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert  # noqa: E402


def read_safetensors(path):
    import json
    import struct

    import numpy as np
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    header.pop('__metadata__', None)
    return {k: torch.from_numpy(np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype='<f4')
                                .reshape(v['shape']).copy()) for k, v in header.items()}


def convert_and_load(state, target):
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, 'in.pth')
        output = os.path.join(folder, 'out.safetensors')
        torch.save(state, source)
        convert.main([source, output])
        converted = read_safetensors(output)
    target.load_state_dict(converted, strict=False)
    missing = set(target.state_dict()) - set(converted) - {k for k in target.state_dict() if 'num_batches' in k}
    assert not missing, 'missing after conversion: %s' % sorted(missing)[:5]
    return target.eval()


class TonylinsBlock(nn.Module):
    """MobileNetV2 inverted residual with the tonylins / DCTNet module indices."""

    def __init__(self, inp, oup, stride, t, dw_in=None, dw_out=None, groups=None):
        super().__init__()
        hidden = round(inp * t)
        self.identity = stride == 1 and inp == oup
        layers = []
        if t != 1:
            layers += [nn.Conv2d(inp, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6()]
        dw_in, dw_out = dw_in or hidden, dw_out or hidden
        layers += [nn.Conv2d(dw_in, dw_out, 3, stride, 1, groups=groups or dw_out, bias=False),
                   nn.BatchNorm2d(dw_out), nn.ReLU6(),
                   nn.Conv2d(dw_out, oup, 1, bias=False), nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.identity else self.conv(x)


class TonylinsMobileNetV2(nn.Module):
    def __init__(self, classes, dct_channels=None):
        super().__init__()
        setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                   [6, 320, 1, 1]]
        layers = [] if dct_channels else [nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32),
                                                        nn.ReLU6())]
        inp = 32
        for t, c, n, s in setting:
            for i in range(n):
                if dct_channels and not layers:  # official DCT first block, C = 192: grouped 192 -> 32
                    layers.append(TonylinsBlock(inp, c, s, t, dw_in=dct_channels, dw_out=32, groups=32))
                else:
                    layers.append(TonylinsBlock(inp, c, s if i == 0 else 1, t))
                inp = c
        self.features = nn.Sequential(*layers)
        self.conv = nn.Sequential(nn.Conv2d(320, 1280, 1, bias=False), nn.BatchNorm2d(1280), nn.ReLU6())
        self.classifier = nn.Linear(1280, classes)

    def forward(self, x):
        x = self.conv(self.features(x))
        return self.classifier(x.mean((2, 3)))


def randomize(model):
    generator = torch.Generator().manual_seed(3)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.data = torch.randn(module.num_features, generator=generator) * 0.1
            module.running_var.data = torch.rand(module.num_features, generator=generator) + 0.5
    return model.eval()


def check(name, source, target, x):
    with torch.no_grad():
        expected, actual = source(x), target(x)
    error = ((expected - actual).abs().max() / expected.abs().max()).item()
    assert error < 1e-6, '%s: relative error %g' % (name, error)
    print('ok  %-28s relative error %.1e' % (name, error))


def main():
    torch.manual_seed(0)
    rgb = randomize(torchvision.models.resnet50(num_classes=7))
    state = {'module.' + k: v for k, v in rgb.state_dict().items()}
    target = convert_and_load({'state_dict': state}, torchvision.models.resnet50(num_classes=7))
    check('torchvision resnet50', rgb, target, torch.randn(1, 3, 64, 64))

    # DCTNet layout: nn.Sequential(layer1..layer4, avgpool) as 'model', then 'fc'.
    dct = torchvision.models.resnet50(num_classes=7)
    dct.layer1[0].conv1 = nn.Conv2d(24, 64, 1, bias=False)
    dct.layer1[0].downsample[0] = nn.Conv2d(24, 256, 1, bias=False)
    dct.layer2[0].conv2.stride = (1, 1)
    dct.layer2[0].downsample[0].stride = (1, 1)
    randomize(dct)

    class DctNetResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = nn.Sequential(dct.layer1, dct.layer2, dct.layer3, dct.layer4, dct.avgpool)
            self.fc = dct.fc

        def forward(self, x):
            return self.fc(torch.flatten(self.model(x), 1))

    source = DctNetResNet().eval()
    target = torchvision.models.resnet50(num_classes=7)
    target.layer1[0].conv1 = nn.Conv2d(24, 64, 1, bias=False)
    target.layer1[0].downsample[0] = nn.Conv2d(24, 256, 1, bias=False)
    target.layer2[0].conv2.stride = (1, 1)
    target.layer2[0].downsample[0].stride = (1, 1)
    del target.conv1, target.bn1
    target.forward = lambda x, t=target: t.fc(torch.flatten(t.avgpool(t.layer4(t.layer3(t.layer2(t.layer1(x))))), 1))
    target = convert_and_load({'state_dict': {'module.' + k: v for k, v in source.state_dict().items()}}, target)
    check('dctnet resnet50 dct-24', source, target, torch.randn(1, 24, 16, 16))

    source = randomize(TonylinsMobileNetV2(5))
    target = convert_and_load(source.state_dict(), torchvision.models.mobilenet_v2(num_classes=5))
    check('tonylins mobilenetv2 rgb', source, target, torch.randn(1, 3, 64, 64))

    source = randomize(TonylinsMobileNetV2(5, dct_channels=192))
    target = torchvision.models.mobilenet_v2(num_classes=5)
    target.features[0] = nn.Identity()
    target.features[1].conv[0][0] = nn.Conv2d(192, 32, 3, 1, 1, groups=32, bias=False)
    target = convert_and_load(source.state_dict(), target)
    check('dctnet mobilenetv2 dct-192', source, target, torch.randn(1, 192, 32, 32))


if __name__ == '__main__':
    main()
