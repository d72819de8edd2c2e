#!/usr/bin/python3
"""Torch fixtures for @fdl/fd-models backbone parity tests (run by hand with /usr/bin/python3; never in CI).

Writes, next to this script in fixtures/ (committed, small):
  resnet50w4.safetensors       ResNet-50 structure with base width 4 (torchvision blocks), weights F16
  mobilenetv2w035.safetensors  torchvision MobileNetV2, width 0.35, weights F16
  <case>.safetensors           per case: replaced DCT tensors (F16) + expected outputs under "expected.*" (F32)
  train-resnet18w4.safetensors one training step of a narrow ResNet-18 (BN statistics, SGD update)
  counts.json                  parameter counts and multiply-adds of the full-size networks
With --full, also writes full-size ResNet-50 / MobileNetV2 fixtures into <repo>/.fdl-cache/fd-models-backbones/
(gitignored; large).

Inputs are not stored: every input is value(n, c, h, w) = sin(0.9 n + 1.3 c + 0.37 h + 0.53 w), computed in
float64 and rounded to float32, which the TypeScript tests recompute.
Outputs are NCHW (torch layout); the tests transpose them.
"""

import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures')
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
CACHE = os.path.join(REPO, '.fdl-cache', 'fd-models-backbones')


def save_safetensors(path, tensors):
    """Minimal safetensors writer (names sorted, header padded to 8 bytes)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        array = tensors[name]
        dtype = {np.dtype('float32'): 'F32', np.dtype('float16'): 'F16', np.dtype('int64'): 'I64'}[array.dtype]
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def make_input(n, c, h, w):
    nn_, cc, hh, ww = np.meshgrid(np.arange(n), np.arange(c), np.arange(h), np.arange(w), indexing='ij')
    return torch.from_numpy(np.sin(0.9 * nn_ + 1.3 * cc + 0.37 * hh + 0.53 * ww).astype(np.float32))


def randomize_batch_norm(model, generator):
    """Non-trivial BN statistics and affine parameters, so eval mode exercises every term."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            c = module.num_features
            module.weight.data = torch.rand(c, generator=generator) + 0.5
            module.bias.data = torch.randn(c, generator=generator) * 0.2
            module.running_mean.data = torch.randn(c, generator=generator) * 0.2
            module.running_var.data = torch.rand(c, generator=generator) * 1.5 + 0.5


def round_to_half(model):
    """Rounds every parameter and buffer to float16 values (exact in float32) so F16 storage is lossless."""
    for tensor in list(model.state_dict().values()):
        if tensor.dtype == torch.float32:
            tensor.copy_(tensor.half().float())


# ---------------------------------------------------------------- ResNet

def narrow_resnet(block, layers, width, num_classes, dct_channels=None, layer2_stride=2):
    """torchvision ResNet with planes width*(1, 2, 4, 8), built with torchvision's own _make_layer."""
    model = ResNet(block, layers, num_classes=num_classes)
    model.inplanes = width
    model.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
    model.bn1 = nn.BatchNorm2d(width)
    if dct_channels is not None:
        model.inplanes = dct_channels
    model.layer1 = model._make_layer(block, width, layers[0])
    model.layer2 = model._make_layer(block, width * 2, layers[1], stride=layer2_stride)
    model.layer3 = model._make_layer(block, width * 4, layers[2], stride=2)
    model.layer4 = model._make_layer(block, width * 8, layers[3], stride=2)
    model.fc = nn.Linear(width * 8 * block.expansion, num_classes)
    if dct_channels is not None:
        del model.conv1, model.bn1
    return model


def resnet_outputs(model, x, dct):
    """Logits and C2..C5 of a torchvision ResNet (DCT models skip conv1/bn1/relu/maxpool)."""
    if not dct:
        x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    c2 = model.layer1(x)
    c3 = model.layer2(c2)
    c4 = model.layer3(c3)
    c5 = model.layer4(c4)
    logits = model.fc(torch.flatten(model.avgpool(c5), 1))
    return {'logits': logits, 'c2': c2, 'c3': c3, 'c4': c4, 'c5': c5}


def to_dct_resnet(rgb_model, block, layers, width, num_classes, channels, variant):
    """DCT ResNet sharing every tensor of rgb_model except conv1/bn1 and the two layer1.0 input convs."""
    model = narrow_resnet(block, layers, width, num_classes, channels, 1 if variant == 'official' else 2)
    shared = {k: v for k, v in rgb_model.state_dict().items() if not k.startswith(('conv1.', 'bn1.'))}
    own = model.state_dict()
    replaced = [k for k in own if k not in shared or own[k].shape != shared[k].shape]
    model.load_state_dict({**shared, **{k: own[k] for k in replaced}})
    return model, replaced


# ---------------------------------------------------------------- MobileNetV2

def to_dct_mobilenet(rgb_model, width_mult, num_classes, channels, variant):
    """DCT MobileNetV2: features.0 removed, features.1 takes `channels` (paper) or the official grouping."""
    model = torchvision.models.mobilenet_v2(width_mult=width_mult, num_classes=num_classes)
    model.load_state_dict(rgb_model.state_dict())
    model.features[0] = nn.Identity()
    block = model.features[1].conv
    stem = block[0][0].in_channels
    out = block[1].out_channels
    if variant == 'paper' or channels < stem:
        block[0][0] = nn.Conv2d(channels, channels, 3, 1, 1, groups=channels, bias=False)
        block[0][1] = nn.BatchNorm2d(channels)
        block[1] = nn.Conv2d(channels, out, 1, 1, 0, bias=False)
    elif channels != stem:
        block[0][0] = nn.Conv2d(channels, stem, 3, 1, 1, groups=stem, bias=False)
    replaced = [k for k in model.state_dict() if k.startswith('features.1.')]
    return model, replaced


def mobilenet_outputs(model, x):
    outputs = {}
    for index, layer in enumerate(model.features):
        x = layer(x)
        if index in (3, 6, 13, 18):
            outputs['c%d' % {3: 2, 6: 3, 13: 4, 18: 5}[index]] = x
    outputs['logits'] = model.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))
    return outputs


# ---------------------------------------------------------------- writing

def tensors_of(state, names, dtype):
    return {k: state[k].detach().numpy().astype(dtype) for k in names}


def expected(outputs):
    return {'expected.' + k: v.detach().numpy().astype(np.float32) for k, v in outputs.items()}


def small_fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    generator = torch.Generator().manual_seed(7)
    torch.manual_seed(7)

    # ResNet-50 structure, base width 4, 10 classes.
    width, layers = 4, [3, 4, 6, 3]
    rgb = narrow_resnet(Bottleneck, layers, width, 10).eval()
    randomize_batch_norm(rgb, generator)
    round_to_half(rgb)
    state = rgb.state_dict()
    keep = [k for k in state if not k.endswith('num_batches_tracked')]
    save_safetensors(os.path.join(FIXTURES, 'resnet50w4.safetensors'), tensors_of(state, keep, np.float16))
    with torch.no_grad():
        save_safetensors(os.path.join(FIXTURES, 'resnet50w4-rgb.safetensors'),
                         expected(resnet_outputs(rgb, make_input(2, 3, 64, 64), False)))
        for channels, variant in ((24, 'paper'), (192, 'official'), (24, 'official')):
            model, replaced = to_dct_resnet(rgb, Bottleneck, layers, width, 10, channels, variant)
            model.eval()
            round_to_half(model)
            out = resnet_outputs(model, make_input(2, channels, 16, 16), True)
            tensors = tensors_of(model.state_dict(), replaced, np.float16)
            save_safetensors(os.path.join(FIXTURES, 'resnet50w4-dct%d-%s.safetensors' % (channels, variant)),
                             {**tensors, **expected(out)})

    # MobileNetV2 width 0.35, 10 classes.
    mobile = torchvision.models.mobilenet_v2(width_mult=0.35, num_classes=10).eval()
    randomize_batch_norm(mobile, generator)
    round_to_half(mobile)
    state = mobile.state_dict()
    keep = [k for k in state if not k.endswith('num_batches_tracked')]
    save_safetensors(os.path.join(FIXTURES, 'mobilenetv2w035.safetensors'), tensors_of(state, keep, np.float16))
    with torch.no_grad():
        save_safetensors(os.path.join(FIXTURES, 'mobilenetv2w035-rgb.safetensors'),
                         expected(mobilenet_outputs(mobile, make_input(2, 3, 64, 64))))
        for channels, variant in ((24, 'paper'), (192, 'official'), (192, 'paper')):
            model, replaced = to_dct_mobilenet(mobile, 0.35, 10, channels, variant)
            model.eval()
            randomize_batch_norm(model.features[1], generator)
            round_to_half(model)
            out = mobilenet_outputs(model, make_input(1, channels, 32, 32))
            tensors = tensors_of(model.state_dict(), [k for k in replaced if not k.endswith('num_batches_tracked')],
                                 np.float16)
            save_safetensors(os.path.join(FIXTURES, 'mobilenetv2w035-dct%d-%s.safetensors' % (channels, variant)),
                             {**tensors, **expected(out)})

    # One training step of a narrow ResNet-18: BN batch statistics, running averages, SGD update.
    train = narrow_resnet(BasicBlock, [2, 2, 2, 2], 4, 5)
    randomize_batch_norm(train, generator)
    round_to_half(train)
    initial = {k: v.clone() for k, v in train.state_dict().items() if not k.endswith('num_batches_tracked')}
    train.train()
    x = make_input(4, 3, 32, 32)
    labels = torch.tensor([0, 3, 1, 4])
    optimizer = torch.optim.SGD(train.parameters(), lr=0.1)
    optimizer.zero_grad()
    logits = resnet_outputs(train, x, False)['logits']
    loss = nn.functional.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    after = {'after.' + k: v.numpy().astype(np.float32) for k, v in train.state_dict().items()
             if not k.endswith('num_batches_tracked')}
    save_safetensors(os.path.join(FIXTURES, 'train-resnet18w4.safetensors'), {
        **{k: v.numpy().astype(np.float16) for k, v in initial.items()},
        **after,
        'expected.logits': logits.detach().numpy().astype(np.float32),
        'expected.loss': np.array([loss.item()], dtype=np.float32),
        'input.labels': labels.numpy().astype(np.int64),
    })


def count(model, x):
    """Parameters and multiply-adds (Conv2d and Linear, per image) by forward hooks."""
    macs = [0]

    def conv_hook(module, inputs, output):
        macs[0] += output.numel() // output.shape[0] * (module.in_channels // module.groups) * \
            module.kernel_size[0] * module.kernel_size[1]

    def linear_hook(module, inputs, output):
        macs[0] += module.in_features * module.out_features

    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            module.register_forward_hook(conv_hook)
        elif isinstance(module, nn.Linear):
            module.register_forward_hook(linear_hook)
    return sum(p.numel() for p in model.parameters()), macs


def counts():
    result = {}
    with torch.no_grad():
        rgb = torchvision.models.resnet50().eval()
        params, macs = count(rgb, torch.zeros(1, 3, 224, 224))
        resnet_outputs(rgb, torch.zeros(1, 3, 224, 224), False)
        result['resnet50/rgb'] = {'parameters': params, 'multiplyAdds': macs[0], 'inputSize': 224}
        for channels in (24, 64, 192):
            for variant in ('paper', 'official'):
                model, _ = to_dct_resnet(rgb, Bottleneck, [3, 4, 6, 3], 64, 1000, channels, variant)
                params, macs = count(model.eval(), None)
                resnet_outputs(model, torch.zeros(1, channels, 56, 56), True)
                result['resnet50/dct-%d/%s' % (channels, variant)] = {
                    'parameters': params, 'multiplyAdds': macs[0], 'inputSize': 56}
        for name in ('resnet18', 'resnet34', 'resnet101'):
            model = getattr(torchvision.models, name)().eval()
            params, macs = count(model, None)
            model(torch.zeros(1, 3, 224, 224))
            result['%s/rgb' % name] = {'parameters': params, 'multiplyAdds': macs[0], 'inputSize': 224}
        mobile = torchvision.models.mobilenet_v2().eval()
        params, macs = count(mobile, None)
        mobile(torch.zeros(1, 3, 224, 224))
        result['mobilenetv2/rgb'] = {'parameters': params, 'multiplyAdds': macs[0], 'inputSize': 224}
        for channels, variant in ((24, 'paper'), (24, 'official'), (64, 'paper'), (192, 'paper'), (192, 'official')):
            model, _ = to_dct_mobilenet(mobile, 1.0, 1000, channels, variant)
            params, macs = count(model.eval(), None)
            model(torch.zeros(1, channels, 112, 112))
            result['mobilenetv2/dct-%d/%s' % (channels, variant)] = {
                'parameters': params, 'multiplyAdds': macs[0], 'inputSize': 112}
    with open(os.path.join(FIXTURES, 'counts.json'), 'w') as f:
        json.dump(result, f, indent=2)
        f.write('\n')


def full_fixtures():
    """Full-size networks with seeded random weights; large, so written to the gitignored cache."""
    os.makedirs(CACHE, exist_ok=True)
    generator = torch.Generator().manual_seed(11)
    torch.manual_seed(11)
    with torch.no_grad():
        rgb = torchvision.models.resnet50().eval()
        randomize_batch_norm(rgb, generator)
        cases = [('resnet50-rgb', rgb, resnet_outputs(rgb, make_input(1, 3, 224, 224), False))]
        for channels, variant in ((24, 'paper'), (192, 'official')):
            model, _ = to_dct_resnet(rgb, Bottleneck, [3, 4, 6, 3], 64, 1000, channels, variant)
            model.eval()
            cases.append(('resnet50-dct%d-%s' % (channels, variant), model,
                          resnet_outputs(model, make_input(1, channels, 56, 56), True)))
        mobile = torchvision.models.mobilenet_v2().eval()
        randomize_batch_norm(mobile, generator)
        cases.append(('mobilenetv2-rgb', mobile, mobilenet_outputs(mobile, make_input(1, 3, 224, 224))))
        for channels, variant in ((24, 'paper'), (192, 'official')):
            model, _ = to_dct_mobilenet(mobile, 1.0, 1000, channels, variant)
            model.eval()
            randomize_batch_norm(model.features[1], generator)
            cases.append(('mobilenetv2-dct%d-%s' % (channels, variant), model,
                          mobilenet_outputs(model, make_input(1, channels, 112, 112))))
        for name, model, outputs in cases:
            state = model.state_dict()
            keep = [k for k in state if not k.endswith('num_batches_tracked')]
            save_safetensors(os.path.join(CACHE, name + '.safetensors'),
                             {**tensors_of(state, keep, np.float32), **expected(outputs)})
            print('wrote', os.path.join(CACHE, name + '.safetensors'))


if __name__ == '__main__':
    small_fixtures()
    counts()
    if '--full' in sys.argv:
        full_fixtures()
