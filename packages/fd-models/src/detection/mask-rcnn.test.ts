import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaskRcnn, MaskRcnn } from './mask-rcnn.js';
import { fixtureStateDict, maxAbsDifference, readFixture } from './test-fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const reducedHeads = {
  numClasses: 3,
  baseWidth: 2,
  fpnChannels: 16,
  rpn: { preNmsTopN: { training: 60, testing: 50 }, postNmsTopN: { training: 40, testing: 30 } },
  roiHeads: { representationSize: 32, maskLayers: [16, 16], maskPredictorChannels: 16 },
};

function maskIou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) inter++;
    if (a[i] || b[i]) union++;
  }
  return union === 0 ? 1 : inter / union;
}

describe('MaskRcnn', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has exactly torchvision maskrcnn_resnet50_fpn state_dict names and shapes', () => {
    const expected = JSON.parse(
      readFileSync(
        resolve(
          here,
          '../../../../tools/torch-fixtures/detection/fixtures/maskrcnn_resnet50_fpn_state_dict.json',
        ),
        'utf8',
      ),
    ) as [string, number[]][];
    const model = createMaskRcnn({ initialize: false });
    const record = model.stateDict();
    const actual = Object.entries(record).map(([name, tensor]) => [name, tensor.shape]);
    expect(new Map(actual as [string, number[]][])).toEqual(new Map(expected));
    expect(model.loadStateDict(record).missing).toEqual([]);
    // torchvision's default for pretrained backbones: stem and layer1 frozen, frozen BN
    const trainable = [...model.trainableVariables().keys()];
    expect(trainable.some((n) => n.startsWith('backbone.body.layer1.'))).toBe(false);
    expect(trainable).toContain('backbone.body.layer2.0.conv1.weight');
    expect(trainable.some((n) => n.includes('bn'))).toBe(false);
    model.dispose();
  });

  it('matches torchvision end to end after the body: transform sizes, RPN, RoI heads, paste (reduced config)', () => {
    const fixture = readFixture('heads');
    const model = createMaskRcnn(reducedHeads);
    const report = model.loadStateDict(fixtureStateDict(fixture, ''), { strict: false });
    expect(report.loaded.length).toBe(16 + 6 + 16);
    const body = ['c2', 'c3', 'c4', 'c5'].map((name) =>
      tf.tensor4d(
        fixture.float(`body.${name}`),
        fixture.shape(`body.${name}`) as [number, number, number, number],
      ),
    );
    const pyramid = model.fpn.forward(body);
    const batch = fixture.shape('transform.batch');
    const before = tf.memory().numTensors;
    const detections = model.detectFromPyramid(
      pyramid,
      fixture.meta.imageSizes as [number, number][],
      [batch[1], batch[2]],
      {
        originalSizes: fixture.meta.originalSizes as [number, number][],
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    detections.forEach((d, i) => {
      expect([...d.labels]).toEqual([...fixture.int(`final.${i}.labels`)]);
      expect(maxAbsDifference(d.scores, fixture.float(`final.${i}.scores`))).toBeLessThan(1e-4);
      const boxes = fixture.float(`final.${i}.boxes`);
      for (let k = 0; k < boxes.length; k++) {
        expect(Math.abs(d.boxes[k] - boxes[k])).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(boxes[k])));
      }
      const masks = fixture.bytes(`final.${i}.masks`);
      const cell = d.imageSize[0] * d.imageSize[1];
      for (let k = 0; k < masks.length / cell; k++) {
        expect(
          maskIou(d.masks.subarray(k * cell, (k + 1) * cell), masks.subarray(k * cell, (k + 1) * cell)),
        ).toBeGreaterThan(0.99);
      }
    });
    tf.dispose([...body, ...pyramid]);
    model.dispose();
  });

  it('trains: five named losses, gradients reach the body, no tensor leak per step', () => {
    const model = createMaskRcnn({ ...reducedHeads, numClasses: 2, frozenStages: 0, frozenBatchNorm: false });
    const input = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const masks = new Uint8Array(64 * 64);
    for (let y = 10; y < 40; y++) for (let x = 20; x < 44; x++) masks[y * 64 + x] = 1;
    const targets = [
      {
        boxes: new Float32Array([20, 10, 44, 40]),
        labels: Int32Array.from([1]),
        masks,
        maskSize: [64, 64] as [number, number],
      },
    ];
    const optimizer = tf.train.sgd(0.01);
    const variables = [...model.trainableVariables().values()];
    const step = (seed: number) => {
      const { value, grads } = tf.variableGrads(() => {
        const losses = model.losses(input, [[64, 64]], targets, { sampling: seed });
        expect(Object.keys(losses).sort()).toEqual([
          'loss_box_reg',
          'loss_classifier',
          'loss_mask',
          'loss_objectness',
          'loss_rpn_box_reg',
        ]);
        return MaskRcnn.totalLoss(losses);
      }, variables);
      const bodyGradient = tf.tidy(
        () =>
          tf
            .sum(tf.abs(grads[model.variables().get('backbone.body.layer1.0.conv1.weight')!.name]))
            .dataSync()[0],
      );
      optimizer.applyGradients(grads);
      model.applyBatchNormUpdates();
      const loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      return { loss, bodyGradient };
    };
    const first = step(1);
    expect(Number.isFinite(first.loss)).toBe(true);
    expect(first.bodyGradient).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    step(2);
    step(3);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    input.dispose();
    model.dispose();
  });

  it('rejects wrong inputs and options with named arguments', () => {
    expect(() => createMaskRcnn({ numClasses: 1 })).toThrow(
      "createMaskRcnn: argument 'options.numClasses' must be an integer >= 2",
    );
    expect(() => createMaskRcnn({ backbone: 'vgg' as 'resnet50' })).toThrow(ArgumentError);
    const model = createMaskRcnn({ ...reducedHeads, backbone: 'resnet50-dct', channels: 24 });
    const rgb = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    expect(() => model.detect(rgb, [[32, 32]])).toThrow(
      'must be [batch, H, W, 24] with one image size per batch entry, got shape [1,32,32,3]',
    );
    const cube = tf.zeros([1, 8, 8, 24]) as tf.Tensor4D;
    expect(() => model.detect(cube, [[40, 32]])).toThrow('has 40x32, larger than the padded batch 32x32');
    expect(() => model.loadStateDict({})).toThrow(/missing \d+ name/);
    tf.dispose([rgb, cube]);
    model.dispose();
  });
});

const cacheRoot = resolve(here, '../../../../.fdl-cache/detection');
const CACHE_MISSING =
  'torchvision weights cache absent: run /usr/bin/python3 tools/torch-fixtures/detection/generate.py --full';

for (const kind of ['rgb', 'dct'] as const) {
  const path = join(cacheRoot, `maskrcnn_${kind}.safetensors`);
  const present = existsSync(path);
  describe.skipIf(!present)(
    `MaskRcnn whole model vs torchvision (${kind})${present ? '' : ` (${CACHE_MISSING})`}`,
    () => {
      beforeAll(async () => {
        // ResNet-50 on tfjs' cpu backend takes minutes here; wasm takes seconds
        await tf.setBackend('wasm');
      });
      afterAll(async () => {
        await tf.setBackend('cpu');
      });

      it('gives the same detections as torchvision maskrcnn_resnet50_fpn in eval mode', async () => {
        const { loadSafetensors } = await import('../safetensors.js');
        const bytes = readFileSync(path);
        const record = loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
        const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
        const meta = JSON.parse(header.__metadata__.json) as {
          imageSizes: [number, number][];
          originalSizes: [number, number][];
        };
        const weights = Object.fromEntries(
          Object.entries(record).filter(([n]) => !/^(input|expected|intermediate)\./.test(n)),
        );
        const model = createMaskRcnn({
          backbone: kind === 'rgb' ? 'resnet50' : 'resnet50-dct',
          channels: 24,
          numClasses: 3,
          initialize: false,
          rpn: {
            preNmsTopN: { training: 2000, testing: 200 },
            postNmsTopN: { training: 2000, testing: 100 },
          },
        });
        model.loadStateDict(weights);
        const inputRecord = record[kind === 'rgb' ? 'input.batch' : 'input.cube'];
        const input = tf.tensor4d(
          inputRecord.data as Float32Array,
          inputRecord.shape as [number, number, number, number],
        );
        // the first eval forward caches the body's folded conv + BN filters (kept until dispose)
        tf.dispose(model.pyramid(input));
        const before = tf.memory().numTensors;
        const detections = model.detect(input, meta.imageSizes, { originalSizes: meta.originalSizes });
        expect(tf.memory().numTensors).toBe(before);
        detections.forEach((d, i) => {
          const labels = record[`expected.${i}.labels`].data as Int32Array;
          expect([...d.labels]).toEqual([...labels]);
          expect(
            maxAbsDifference(d.scores, record[`expected.${i}.scores`].data as Float32Array),
          ).toBeLessThan(1e-4);
          const boxes = record[`expected.${i}.boxes`].data as Float32Array;
          for (let k = 0; k < boxes.length; k++) {
            expect(Math.abs(d.boxes[k] - boxes[k])).toBeLessThanOrEqual(
              1e-3 * Math.max(1, Math.abs(boxes[k])),
            );
          }
          const masks = record[`expected.${i}.masks`].data as Uint8Array;
          const cell = d.imageSize[0] * d.imageSize[1];
          for (let k = 0; k < labels.length; k++) {
            expect(
              maskIou(d.masks.subarray(k * cell, (k + 1) * cell), masks.subarray(k * cell, (k + 1) * cell)),
            ).toBeGreaterThan(0.99);
          }
        });
        input.dispose();
        model.dispose();
      });
    },
  );
}

describe('MaskRcnn with a channel gate (DCT)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('adds loss_gate, names the gate like the official code and trains it', () => {
    const model = createMaskRcnn({
      ...reducedHeads,
      backbone: 'resnet50-dct',
      channels: 24,
      numClasses: 2,
      gate: {},
      gateRegularizer: { lambda: 0.5 },
      frozenStages: 0,
      frozenBatchNorm: false,
    });
    const names = [...model.variables().keys()];
    expect(names).toContain('backbone.body.inp_GM.inp_gate_l.weight');
    expect(model.stateDict()['backbone.body.inp_GM.inp_gate.0.weight'].shape).toEqual([24, 24, 1, 1]);
    // the gate's batch norm needs a batch of at least 2 in training mode
    const cube = tf.randomNormal([2, 16, 16, 24], 0, 1, 'float32', 5) as tf.Tensor4D;
    const masks = new Uint8Array(64 * 64);
    for (let y = 8; y < 40; y++) for (let x = 10; x < 30; x++) masks[y * 64 + x] = 1;
    const target = {
      boxes: new Float32Array([10, 8, 30, 40]),
      labels: Int32Array.from([1]),
      masks,
      maskSize: [64, 64] as [number, number],
    };
    const targets = [target, target];
    const gateVariable = model.variables().get('backbone.body.inp_GM.inp_gate_l.weight')!;
    const { value, grads } = tf.variableGrads(() => {
      const losses = model.losses(
        cube,
        [
          [64, 64],
          [64, 64],
        ],
        targets,
        { sampling: 1 },
      );
      // hard 0/1 gates: the penalty is lambda times the mean number of open channels per image (sum
      // reduction over channels, mean over the batch of 2)
      const open = losses.loss_gate!.dataSync()[0] / 0.5;
      expect(Math.abs(open * 2 - Math.round(open * 2))).toBeLessThan(1e-4);
      expect(open).toBeGreaterThanOrEqual(0);
      expect(open).toBeLessThanOrEqual(24);
      return MaskRcnn.totalLoss(losses);
    }, [...model.trainableVariables().values()]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(grads[gateVariable.name]).toBeDefined();
    tf.dispose([value, cube, ...Object.values(grads)]);
    expect(() => createMaskRcnn({ ...reducedHeads, gate: {} })).toThrow(
      "argument 'options.gate' needs backbone 'resnet50-dct'",
    );
    model.dispose();
  });
});
