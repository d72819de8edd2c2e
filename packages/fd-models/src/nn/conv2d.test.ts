import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv2d } from './conv2d.js';
import { tfToTorch } from './layout.js';
import { ParameterStore, Scope } from './parameter-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Direct torch-semantics convolution on NHWC input with a torch-layout weight [out, in/groups, k, k]. */
function referenceConv(
  input: Float32Array,
  [batch, height, width, inChannels]: number[],
  weight: Float32Array,
  outChannels: number,
  k: number,
  stride: number,
  padding: number,
  groups: number,
): { values: Float32Array; shape: number[] } {
  const outH = Math.floor((height + 2 * padding - k) / stride) + 1;
  const outW = Math.floor((width + 2 * padding - k) / stride) + 1;
  const perGroupIn = inChannels / groups;
  const perGroupOut = outChannels / groups;
  const values = new Float32Array(batch * outH * outW * outChannels);
  for (let n = 0; n < batch; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let o = 0; o < outChannels; o++) {
          const g = Math.floor(o / perGroupOut);
          let sum = 0;
          for (let ci = 0; ci < perGroupIn; ci++)
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) {
                const y = oy * stride - padding + ky;
                const x = ox * stride - padding + kx;
                if (y < 0 || x < 0 || y >= height || x >= width) continue;
                const c = g * perGroupIn + ci;
                sum +=
                  input[((n * height + y) * width + x) * inChannels + c] *
                  weight[((o * perGroupIn + ci) * k + ky) * k + kx];
              }
          values[((n * outH + oy) * outW + ox) * outChannels + o] = sum;
        }
  return { values, shape: [batch, outH, outW, outChannels] };
}

function check(
  options: {
    inChannels: number;
    outChannels: number;
    kernelSize: number;
    stride: number;
    padding: number;
    groups: number;
  },
  inputShape: number[],
) {
  const store = new ParameterStore();
  const conv = new Conv2d(new Scope(store, 'conv', 3), options);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const input = Float32Array.from({ length: size }, (_, i) => Math.sin(0.7 * i));
  const x = tf.tensor4d(input, inputShape as [number, number, number, number]);
  const y = conv.forward(x);
  const entry = store.get('conv.weight')!;
  const torchWeight = tfToTorch(entry.kind, entry.torchShape, conv.weight.dataSync() as Float32Array);
  const expected = referenceConv(
    input,
    inputShape,
    torchWeight,
    options.outChannels,
    options.kernelSize,
    options.stride,
    options.padding,
    options.groups,
  );
  expect(y.shape).toEqual(expected.shape);
  const actual = y.dataSync();
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected.values[i], 5);
  tf.dispose([x, y]);
  store.dispose();
}

describe('Conv2d follows torch padding and grouping', () => {
  it('stride-2 3x3 padding 1 on even and odd sizes (not tf "same")', () => {
    check({ inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, groups: 1 }, [1, 6, 6, 2]);
    check({ inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, groups: 1 }, [2, 7, 5, 2]);
  });

  it('7x7 stride 2 padding 3, 1x1 stride 2, stride 1 padding 1', () => {
    check({ inChannels: 3, outChannels: 2, kernelSize: 7, stride: 2, padding: 3, groups: 1 }, [1, 9, 8, 3]);
    check({ inChannels: 4, outChannels: 2, kernelSize: 1, stride: 2, padding: 0, groups: 1 }, [1, 5, 5, 4]);
    check({ inChannels: 2, outChannels: 2, kernelSize: 3, stride: 1, padding: 1, groups: 1 }, [1, 4, 3, 2]);
  });

  it('depthwise (groups = channels) and one output per group (official DCT MobileNetV2 192 -> 32)', () => {
    check({ inChannels: 4, outChannels: 4, kernelSize: 3, stride: 2, padding: 1, groups: 4 }, [1, 5, 6, 4]);
    check({ inChannels: 12, outChannels: 2, kernelSize: 3, stride: 1, padding: 1, groups: 2 }, [1, 4, 4, 12]);
  });

  it('1x1 input', () => {
    check({ inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, padding: 1, groups: 1 }, [1, 1, 1, 2]);
  });

  it('names the function, argument and value in errors', () => {
    const store = new ParameterStore();
    expect(
      () => new Conv2d(new Scope(store, 'c', 0), { inChannels: 6, outChannels: 4, kernelSize: 3, groups: 2 }),
    ).toThrow(
      "Conv2d: argument 'groups' must be 1 or equal outChannels (depthwise / one output per group), got 2 for 6->4",
    );
    expect(
      () => new Conv2d(new Scope(store, 'c', 0), { inChannels: 0, outChannels: 4, kernelSize: 3 }),
    ).toThrow("Conv2d: argument 'inChannels' must be a positive integer, got 0");
    store.dispose();
  });
});
