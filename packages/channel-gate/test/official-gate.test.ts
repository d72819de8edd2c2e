import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { gateForward } from '../src/gate-forward.js';
import { createGateWeightsFrom, disposeGateWeights } from '../src/gate-weights.js';
import {
  gateWeightValuesFromStateDict,
  gateWeightValuesToStateDict,
  readGateWeightValues,
  type StateDictTensor,
} from '../src/official-weights.js';

/** Written by fixtures/generate_official_gate.py (PyTorch, the official gate's architecture). */
interface OfficialGateFixture {
  shape: [number, number, number, number];
  input: number[];
  noise: number[];
  state_dict: Record<string, StateDictTensor>;
  inference: Record<'logits' | 'probabilities' | 'mask' | 'output', number[]>;
  training: Record<'logits' | 'probabilities' | 'mask' | 'output' | 'running_mean' | 'running_var', number[]>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/official-gate.json', import.meta.url), 'utf8'),
) as OfficialGateFixture;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `index ${i}`).toBeLessThan(
      tolerance * (1 + Math.abs(expected[i])),
    );
  }
}

describe('gate against PyTorch (official architecture and state-dict names)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const phase of ['inference', 'training'] as const) {
    it(`matches PyTorch in ${phase}`, async () => {
      const weights = createGateWeightsFrom(gateWeightValuesFromStateDict(fixture.state_dict, ''));
      const input = tf.tensor4d(fixture.input, fixture.shape);
      const noise = tf.tensor3d(fixture.noise, [fixture.shape[0], fixture.shape[3], 2]);
      const result = gateForward(weights, input, {
        training: phase === 'training',
        mode: 'stochastic',
        noise,
      });
      const expected = fixture[phase];
      expectClose(await result.logits.data(), expected.logits, 1e-4);
      expectClose(await result.probabilities.data(), expected.probabilities, 1e-5);
      expect(Array.from(await result.mask.data())).toEqual(expected.mask);
      expectClose(await result.output.data(), expected.output, 1e-6);
      if (phase === 'training') {
        const training = fixture.training;
        expectClose(await weights.normMovingMean.data(), training.running_mean, 1e-5);
        expectClose(await weights.normMovingVariance.data(), training.running_var, 1e-5);
      }
      tf.dispose([input, noise, result as never]);
      disposeGateWeights(weights);
    });
  }

  it('round-trips the state dict (names, shapes, values)', async () => {
    const values = gateWeightValuesFromStateDict(fixture.state_dict, '');
    const exported = gateWeightValuesToStateDict(values, '');
    for (const [name, entry] of Object.entries(exported)) {
      const original = fixture.state_dict[name];
      expect(entry.shape, name).toEqual(original.shape);
      expectClose(entry.data, Array.from(original.data), 1e-7);
    }
    const weights = createGateWeightsFrom(values);
    expect(await readGateWeightValues(weights)).toEqual(values);
    disposeGateWeights(weights);
    const prefixed = gateWeightValuesToStateDict(values);
    expect(Object.keys(prefixed)[0]).toBe('inp_GM.inp_gate.0.weight');
    expect(gateWeightValuesFromStateDict(prefixed)).toEqual(values);
  });

  it('names the missing or mis-shaped entry', () => {
    const { 'inp_gate.1.bias': _removed, ...missing } = fixture.state_dict;
    expect(() => gateWeightValuesFromStateDict(missing, '')).toThrow(
      "gateWeightValuesFromStateDict: argument 'stateDict' has no 'inp_gate.1.bias'",
    );
    const misShaped = {
      ...fixture.state_dict,
      'inp_gate_l.bias': { shape: [8], data: new Array(8).fill(0) },
    };
    expect(() => gateWeightValuesFromStateDict(misShaped, '')).toThrow(
      "gateWeightValuesFromStateDict: argument 'stateDict' entry 'inp_gate_l.bias' must have shape [16], got [8]",
    );
  });
});
