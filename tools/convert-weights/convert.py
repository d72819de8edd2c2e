#!/usr/bin/python3
"""Convert a torchvision or kaix90/DCTNet checkpoint (.pth / .pth.tar) into safetensors for @fdl/fd-models.

Run by hand with /usr/bin/python3 (needs torch; never run in CI):

    /usr/bin/python3 tools/convert-weights/convert.py resnet50-19c8e357.pth resnet50.safetensors
    /usr/bin/python3 tools/convert-weights/convert.py model_best.pth.tar dct24-resnet50.safetensors

What it does:
  * unwraps {'state_dict': ...} / {'model': ...} checkpoints and strips DataParallel 'module.' prefixes;
  * renames DCTNet layouts onto torchvision names:
      ResNetDCT_Upscaled_Static: 'model.0.' .. 'model.3.' -> 'layer1.' .. 'layer4.' ('fc.', 'inp_GM.' kept);
      MobileNetV2 (tonylins / DCTNet naming): inner block indices (conv.0/1/3/4/6/7) -> torchvision's
      (conv.0.0/0.1/1.0/1.1/2/3), head 'conv.0/1' -> 'features.18.0/1', 'classifier.' -> 'classifier.1.',
      and DCTNet's DCT MobileNetV2 (features without the stem) shifted to torchvision indices;
  * drops BatchNorm 'num_batches_tracked';
  * writes float32 tensors in torch layout (fd-models transposes to NHWC when loading) and prints the
    createClassifier options the checkpoint fits.
"""

import argparse
import json
import re
import struct
import sys

import numpy as np
import torch


def save_safetensors(path, tensors, metadata):
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def unwrap(checkpoint):
    for key in ('state_dict', 'model', 'net'):
        if isinstance(checkpoint, dict) and key in checkpoint and isinstance(checkpoint[key], dict):
            checkpoint = checkpoint[key]
    if not isinstance(checkpoint, dict):
        raise SystemExit('convert.py: the checkpoint is not a state dict (got %s)' % type(checkpoint).__name__)
    return {(k[len('module.'):] if k.startswith('module.') else k): v for k, v in checkpoint.items()
            if torch.is_tensor(v)}


# tonylins / DCTNet InvertedResidual indices -> torchvision 0.14 names.
EXPANDED = {'0': '0.0', '1': '0.1', '3': '1.0', '4': '1.1', '6': '2', '7': '3'}
NOT_EXPANDED = {'0': '0.0', '1': '0.1', '3': '1', '4': '2'}


def rename_mobilenet(state):
    names = list(state)
    dct_without_stem = any(n.startswith('features.0.conv.') for n in names)
    if not any(re.match(r'features\.\d+\.conv\.4\.', n) for n in names) and 'conv.0.weight' not in state:
        return state, 'torchvision'
    shift = 1 if dct_without_stem else 0
    # Blocks whose conv.6 exists are expanded (t != 1).
    expanded = {int(m.group(1)) for n in names for m in [re.match(r'features\.(\d+)\.conv\.6\.', n)] if m}
    result = {}
    for name, value in state.items():
        m = re.match(r'features\.(\d+)\.conv\.(\d+)\.(.+)$', name)
        if m:
            index, inner, rest = int(m.group(1)), m.group(2), m.group(3)
            table = EXPANDED if index in expanded else NOT_EXPANDED
            result['features.%d.conv.%s.%s' % (index + shift, table[inner], rest)] = value
            continue
        m = re.match(r'features\.(\d+)\.(\d+)\.(.+)$', name)
        if m:  # the stem conv_3x3_bn
            result['features.%d.%s.%s' % (int(m.group(1)) + shift, m.group(2), m.group(3))] = value
            continue
        m = re.match(r'conv\.(\d)\.(.+)$', name)
        if m:
            result['features.18.%s.%s' % (m.group(1), m.group(2))] = value
            continue
        m = re.match(r'classifier\.(weight|bias)$', name)
        if m:
            result['classifier.1.' + m.group(1)] = value
            continue
        result[name] = value
    return result, 'dctnet-mobilenetv2' if dct_without_stem else 'tonylins-mobilenetv2'


def rename_resnet(state):
    if not any(n.startswith('model.') for n in state):
        return state, 'torchvision'
    result = {}
    for name, value in state.items():
        m = re.match(r'model\.(\d)\.(.+)$', name)
        result['layer%d.%s' % (int(m.group(1)) + 1, m.group(2)) if m else name] = value
    return result, 'dctnet-resnet'


def describe(state, source):
    if 'layer1.0.conv1.weight' in state:
        blocks = [len({n.split('.')[1] for n in state if n.startswith('layer%d.' % i)}) for i in range(1, 5)]
        bottleneck = 'layer1.0.conv3.weight' in state
        architecture = {(False, (2, 2, 2, 2)): 'resnet18', (False, (3, 4, 6, 3)): 'resnet34',
                        (True, (3, 4, 6, 3)): 'resnet50', (True, (3, 4, 23, 3)): 'resnet101'}.get(
            (bottleneck, tuple(blocks)), 'unknown ResNet %s' % blocks)
        options = {'architecture': architecture, 'numClasses': int(state['fc.weight'].shape[0])}
        if 'conv1.weight' not in state:
            options['input'] = {'kind': 'dct', 'channels': int(state['layer1.0.conv1.weight'].shape[1])}
            options['variant'] = 'official' if source == 'dctnet-resnet' else 'paper'
    else:
        options = {'architecture': 'mobilenetv2', 'numClasses': int(state['classifier.1.weight'].shape[0])}
        if 'features.0.0.weight' not in state:
            depthwise = state['features.1.conv.0.0.weight']
            channels = int(depthwise.shape[0] * depthwise.shape[1])
            options['input'] = {'kind': 'dct', 'channels': channels}
            options['variant'] = 'official' if depthwise.shape[1] > 1 or source.startswith('dctnet') else 'paper'
    if any(n.startswith('inp_GM.') for n in state):
        options['gate'] = {}
    return options


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('input', help='.pth or .pth.tar checkpoint')
    parser.add_argument('output', help='.safetensors file to write')
    args = parser.parse_args(argv)
    state = unwrap(torch.load(args.input, map_location='cpu'))
    state = {k: v for k, v in state.items() if not k.endswith('num_batches_tracked')}
    if any(n.startswith('features.') for n in state) or 'conv.0.weight' in state:
        state, source = rename_mobilenet(state)
    else:
        state, source = rename_resnet(state)
    options = describe(state, source)
    tensors = {k: v.detach().float().numpy() for k, v in state.items()}
    save_safetensors(args.output, tensors, {'source': source, 'options': json.dumps(options)})
    print('%s: %d tensors from a %s checkpoint; createClassifier(%s)' % (
        args.output, len(tensors), source, json.dumps(options)))


if __name__ == '__main__':
    main(sys.argv[1:])
