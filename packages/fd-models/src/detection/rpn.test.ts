import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore, Scope } from '../nn/parameter-store.js';
import { writeStateDict } from '../state-dict.js';
import { FeaturePyramid } from './fpn.js';
import { createRandomSource } from './random.js';
import { anchorTargets, DEFAULT_RPN_OPTIONS, RegionProposalNetwork, rpnLoss } from './rpn.js';
import { maskToIndices } from './sampler.js';
import { fixtureStateDict, maxAbsDifference, readFixture } from './test-fixtures.js';

const fixtureOptions = {
  preNmsTopN: { training: 60, testing: 50 },
  postNmsTopN: { training: 40, testing: 30 },
};

function setup() {
  const fixture = readFixture('heads');
  const store = new ParameterStore();
  const root = new Scope(store, '', 0);
  const fpn = new FeaturePyramid(root.child('backbone').child('fpn'), {
    inChannels: [8, 16, 32, 64],
    outChannels: 16,
  });
  const rpn = new RegionProposalNetwork(root.child('rpn'), 16, fixtureOptions);
  writeStateDict(store, {
    ...fixtureStateDict(fixture, 'backbone.fpn.'),
    ...fixtureStateDict(fixture, 'rpn.head.'),
  });
  const body = ['c2', 'c3', 'c4', 'c5'].map((name) =>
    tf.tensor4d(
      fixture.float(`body.${name}`),
      fixture.shape(`body.${name}`) as [number, number, number, number],
    ),
  );
  const features = fpn.forward(body);
  tf.dispose(body);
  const imageSizes = fixture.meta.imageSizes as [number, number][];
  const batch = fixture.shape('transform.batch');
  const padded: [number, number] = [batch[1], batch[2]];
  return { fixture, store, rpn, features, imageSizes, padded };
}

describe('RegionProposalNetwork', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('names parameters like torchvision', () => {
    const store = new ParameterStore();
    new RegionProposalNetwork(new Scope(store, 'rpn', 0), 256);
    expect(store.list().map((e) => `${e.name} [${e.torchShape}]`)).toEqual([
      'rpn.head.conv.0.0.weight [256,256,3,3]',
      'rpn.head.conv.0.0.bias [256]',
      'rpn.head.cls_logits.weight [3,256,1,1]',
      'rpn.head.cls_logits.bias [3]',
      'rpn.head.bbox_pred.weight [12,256,1,1]',
      'rpn.head.bbox_pred.bias [12]',
    ]);
    store.dispose();
  });

  it('equals torchvision: head outputs, eval proposals, training proposals and losses', () => {
    const { fixture, store, rpn, features, imageSizes, padded } = setup();
    const head = rpn.head.forward(features);
    head.objectness.forEach((o, level) => {
      expect(maxAbsDifference(o.dataSync(), fixture.float(`rpn.objectness.${level}`))).toBeLessThan(1e-4);
      expect(
        maxAbsDifference(head.deltas[level].dataSync(), fixture.float(`rpn.deltas.${level}`)),
      ).toBeLessThan(1e-4);
    });
    tf.dispose([...head.objectness, ...head.deltas]);

    const before = tf.memory().numTensors;
    const evaluation = rpn.forward(features, imageSizes, padded, false);
    expect(tf.memory().numTensors).toBe(before);
    evaluation.proposals.forEach((p, i) => {
      const expected = fixture.float(`eval.proposals.${i}`);
      expect(p.boxes.length).toBe(expected.length);
      expect(maxAbsDifference(p.boxes, expected)).toBeLessThan(1e-3);
    });

    const gtBoxes = [0, 1].map((i) => fixture.float(`transform.target.${i}.boxes`));
    const sampling = [0, 1].map((i) => ({
      positive: maskToIndices(fixture.int(`train.rpn.positive.${i}`)),
      negative: maskToIndices(fixture.int(`train.rpn.negative.${i}`)),
    }));
    const training = rpn.forward(features, imageSizes, padded, true, { gtBoxes, sampling });
    training.proposals.forEach((p, i) => {
      expect(maxAbsDifference(p.boxes, fixture.float(`train.proposals.${i}`))).toBeLessThan(1e-3);
    });
    const losses = fixture.meta.losses as Record<string, number>;
    expect(training.losses!.loss_objectness.dataSync()[0]).toBeCloseTo(losses.loss_objectness, 5);
    expect(training.losses!.loss_rpn_box_reg.dataSync()[0]).toBeCloseTo(losses.loss_rpn_box_reg, 5);
    tf.dispose([training.losses!.loss_objectness, training.losses!.loss_rpn_box_reg]);
    tf.dispose(features);
    store.dispose();
  });

  it('labels anchors against no ground truth as background and samples reproducibly', () => {
    const anchors = new Float32Array([0, 0, 10, 10, 5, 5, 20, 20]);
    const empty = anchorTargets(anchors, new Float32Array(0), DEFAULT_RPN_OPTIONS);
    expect([...empty.labels]).toEqual([0, 0]);
    // one gt equal to anchor 0: IoU 1 -> foreground; anchor 1 IoU 25/300 < 0.3 -> background
    const one = anchorTargets(anchors, new Float32Array([0, 0, 10, 10]), DEFAULT_RPN_OPTIONS);
    expect([...one.labels]).toEqual([1, 0]);
    expect([...one.regressionTargets.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    const { fixture, store, rpn, features, imageSizes, padded } = setup();
    const gtBoxes = [0, 1].map((i) => fixture.float(`transform.target.${i}.boxes`));
    const run = (seed: number) => {
      const out = rpn.forward(features, imageSizes, padded, true, {
        gtBoxes,
        sampling: createRandomSource(seed),
      });
      const value = out.losses!.loss_objectness.dataSync()[0];
      tf.dispose([out.losses!.loss_objectness, out.losses!.loss_rpn_box_reg]);
      return value;
    };
    expect(run(3)).toBe(run(3));
    tf.dispose(features);
    store.dispose();
  });

  it('has a gradient for both losses and rejects a sample outside the anchors', () => {
    const logits = tf.variable(tf.tensor2d([[0.5, -1, 2]]));
    const deltas = tf.variable(tf.zeros([1, 3, 4]) as tf.Tensor3D);
    const targets = [
      { labels: Int32Array.from([1, 0, -1]), regressionTargets: new Float32Array(12).fill(1) },
    ];
    const sampled = [{ positive: Int32Array.from([0]), negative: Int32Array.from([1]) }];
    const { grads } = tf.variableGrads(() => {
      const l = rpnLoss(logits, deltas, targets, sampled);
      return tf.add(l.loss_objectness, l.loss_rpn_box_reg) as tf.Scalar;
    });
    // d/dx BCE mean over 2: (sigmoid(x) - z) / 2
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    expect(maxAbsDifference(grads[logits.name].dataSync(), [(s(0.5) - 1) / 2, s(-1) / 2, 0])).toBeLessThan(
      1e-6,
    );
    // smooth-L1 with |d| = 1 > beta: gradient -1 / 2 on the positive's 4 codes
    expect(
      maxAbsDifference(grads[deltas.name].dataSync().subarray(0, 4), [-0.5, -0.5, -0.5, -0.5]),
    ).toBeLessThan(1e-6);
    tf.dispose([logits, deltas, ...Object.values(grads)]);
    const { store, rpn, features, imageSizes, padded } = setup();
    const bad = [
      { positive: Int32Array.from([1e7]), negative: new Int32Array(0) },
      { positive: new Int32Array(0), negative: new Int32Array(0) },
    ];
    expect(() =>
      rpn.forward(features, imageSizes, padded, true, {
        gtBoxes: [new Float32Array(0), new Float32Array(0)],
        sampling: bad,
      }),
    ).toThrow(ArgumentError);
    tf.dispose(features);
    store.dispose();
  });
});
