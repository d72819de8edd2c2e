import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore, Scope } from '../nn/parameter-store.js';
import { writeStateDict } from '../state-dict.js';
import { FeaturePyramid } from './fpn.js';
import {
  DEFAULT_ROI_HEADS_OPTIONS,
  fastRcnnLoss,
  maskRcnnLoss,
  RoiHeads,
  selectTrainingSamples,
} from './roi-heads.js';
import { maskToIndices } from './sampler.js';
import { fixtureStateDict, maxAbsDifference, readFixture } from './test-fixtures.js';

const reduced = { representationSize: 32, maskLayers: [16, 16], maskPredictorChannels: 16 };

function setup() {
  const fixture = readFixture('heads');
  const store = new ParameterStore();
  const root = new Scope(store, '', 0);
  const fpn = new FeaturePyramid(root.child('backbone').child('fpn'), {
    inChannels: [8, 16, 32, 64],
    outChannels: 16,
  });
  const heads = new RoiHeads(root.child('roi_heads'), 16, 3, reduced);
  writeStateDict(store, {
    ...fixtureStateDict(fixture, 'backbone.fpn.'),
    ...fixtureStateDict(fixture, 'roi_heads.'),
  });
  const body = ['c2', 'c3', 'c4', 'c5'].map((name) =>
    tf.tensor4d(
      fixture.float(`body.${name}`),
      fixture.shape(`body.${name}`) as [number, number, number, number],
    ),
  );
  const pyramid = fpn.forward(body);
  tf.dispose([body, pyramid[4]]);
  const features = pyramid.slice(0, 4);
  const imageSizes = fixture.meta.imageSizes as [number, number][];
  return { fixture, store, heads, features, imageSizes };
}

describe('RoiHeads', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('names parameters like torchvision maskrcnn_resnet50_fpn', () => {
    const store = new ParameterStore();
    new RoiHeads(new Scope(store, 'roi_heads', 0), 256, 91);
    const names = store.list().map((e) => `${e.name} [${e.torchShape}]`);
    expect(names).toEqual([
      'roi_heads.box_head.fc6.weight [1024,12544]',
      'roi_heads.box_head.fc6.bias [1024]',
      'roi_heads.box_head.fc7.weight [1024,1024]',
      'roi_heads.box_head.fc7.bias [1024]',
      'roi_heads.box_predictor.cls_score.weight [91,1024]',
      'roi_heads.box_predictor.cls_score.bias [91]',
      'roi_heads.box_predictor.bbox_pred.weight [364,1024]',
      'roi_heads.box_predictor.bbox_pred.bias [364]',
      ...[0, 1, 2, 3].flatMap((i) => [
        `roi_heads.mask_head.${i}.0.weight [256,256,3,3]`,
        `roi_heads.mask_head.${i}.0.bias [256]`,
      ]),
      'roi_heads.mask_predictor.conv5_mask.weight [256,256,2,2]',
      'roi_heads.mask_predictor.conv5_mask.bias [256]',
      'roi_heads.mask_predictor.mask_fcn_logits.weight [91,256,1,1]',
      'roi_heads.mask_predictor.mask_fcn_logits.bias [91]',
    ]);
    store.dispose();
  });

  it('equals torchvision in eval: box branch outputs and detections with masks', () => {
    const { fixture, store, heads, features, imageSizes } = setup();
    const proposals = [0, 1].map((i) => fixture.float(`eval.proposals.${i}`));
    const { classLogits, boxRegression } = heads.boxBranch(features, proposals, imageSizes);
    expect(maxAbsDifference(classLogits.dataSync(), fixture.float('eval.class_logits'))).toBeLessThan(1e-4);
    expect(maxAbsDifference(boxRegression.dataSync(), fixture.float('eval.box_regression'))).toBeLessThan(
      1e-4,
    );
    tf.dispose([classLogits, boxRegression]);
    const before = tf.memory().numTensors;
    const detections = heads.detect(features, proposals, imageSizes);
    expect(tf.memory().numTensors).toBe(before);
    detections.forEach((d, i) => {
      expect([...d.labels]).toEqual([...fixture.int(`eval.detections.${i}.labels`)]);
      expect(maxAbsDifference(d.scores, fixture.float(`eval.detections.${i}.scores`))).toBeLessThan(1e-4);
      const expected = fixture.float(`eval.detections.${i}.boxes`);
      for (let k = 0; k < expected.length; k++) {
        expect(Math.abs(d.boxes[k] - expected[k])).toBeLessThanOrEqual(
          1e-3 * Math.max(1, Math.abs(expected[k])),
        );
      }
      expect(maxAbsDifference(d.masks, fixture.float(`eval.detections.${i}.masks`))).toBeLessThan(1e-4);
    });
    expect(detections[0].labels.length).toBeGreaterThan(10);
    tf.dispose(features);
    store.dispose();
  });

  it('equals torchvision losses on given proposals and sampling decisions', () => {
    const { fixture, store, heads, features, imageSizes } = setup();
    const proposals = [0, 1].map((i) => fixture.float(`train.proposals.${i}`));
    const [, height0, width0] = fixture.shape('transform.target.0.masks');
    const [, height1, width1] = fixture.shape('transform.target.1.masks');
    const maskSizes: [number, number][] = [
      [height0, width0],
      [height1, width1],
    ];
    const targets = [0, 1].map((i) => ({
      boxes: fixture.float(`transform.target.${i}.boxes`),
      labels: fixture.int(`target.${i}.labels`),
      masks: fixture.bytes(`transform.target.${i}.masks`),
      maskSize: maskSizes[i],
    }));
    const sampling = [0, 1].map((i) => ({
      positive: maskToIndices(fixture.int(`train.roi.positive.${i}`)),
      negative: maskToIndices(fixture.int(`train.roi.negative.${i}`)),
    }));
    const losses = heads.losses(features, proposals, imageSizes, { targets, sampling });
    const expected = fixture.meta.losses as Record<string, number>;
    for (const name of ['loss_classifier', 'loss_box_reg', 'loss_mask'] as const) {
      expect(losses[name].dataSync()[0]).toBeCloseTo(expected[name], 5);
    }
    tf.dispose(Object.values(losses));
    tf.dispose(features);
    store.dispose();
  });

  it('handles hand-checked sampling and loss cases', () => {
    // two proposals: one equal to the gt (label 2), one far away (background); gt appended as a third
    const samples = selectTrainingSamples(
      new Float32Array([0, 0, 10, 10, 50, 50, 60, 60]),
      { boxes: new Float32Array([0, 0, 10, 10]), labels: Int32Array.from([2]) },
      { positive: Int32Array.from([0, 2]), negative: Int32Array.from([1]) },
      DEFAULT_ROI_HEADS_OPTIONS,
    );
    expect([...samples.labels]).toEqual([2, 0, 2]);
    expect([...samples.regressionTargets.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    // uniform logits over 3 classes: CE = log 3; zero codes vs zero targets: box loss 0
    const logits = tf.zeros([3, 3]) as tf.Tensor2D;
    const codes = tf.zeros([3, 12]) as tf.Tensor2D;
    const loss = fastRcnnLoss(logits, codes, samples.labels, samples.regressionTargets);
    expect(loss.loss_classifier.dataSync()[0]).toBeCloseTo(Math.log(3), 6);
    expect(loss.loss_box_reg.dataSync()[0]).toBe(0);
    // mask logits 0 against target 1: BCE = log 2
    const maskLogits = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const maskLoss = maskRcnnLoss(maskLogits, Int32Array.from([1]), new Float32Array(4).fill(1));
    expect(maskLoss.dataSync()[0]).toBeCloseTo(Math.log(2), 6);
    expect(() => fastRcnnLoss(logits, codes, Int32Array.from([1]), new Float32Array(4))).toThrow(
      ArgumentError,
    );
    tf.dispose([logits, codes, maskLogits, maskLoss, loss.loss_box_reg, loss.loss_classifier]);
  });

  it('returns no detections for no proposals', () => {
    const { store, heads, features, imageSizes } = setup();
    const detections = heads.detect(features, [new Float32Array(0), new Float32Array(0)], imageSizes);
    expect(detections.map((d) => d.labels.length)).toEqual([0, 0]);
    tf.dispose(features);
    store.dispose();
  });
});
