import { presetCounts, presetSelection, resolveSelection } from '@fdl/dct-core';
import { describe, expect, it } from 'vitest';
import { selectionFromGateFrequencies } from './selection.js';

/** Frequencies that decrease with u + v and are lower for chroma, like the paper's Fig. 5. */
function paperLikeFrequencies(): number[] {
  return Array.from({ length: 192 }, (_, channel) => {
    const component = Math.floor(channel / 64);
    const u = (channel % 64) >> 3;
    const v = channel % 8;
    return Math.max(0, 1 - (u + v) / 7 - component * 0.3) * (1 - channel / 10_000);
  });
}

describe('selectionFromGateFrequencies', () => {
  it('takes the top-k channels overall, ascending, accepted as-is by resolveSelection', () => {
    const frequencies = new Array(192).fill(0);
    frequencies[5] = 0.9;
    frequencies[64] = 0.95;
    frequencies[130] = 0.5;
    frequencies[0] = 0.5;
    const selection = selectionFromGateFrequencies(frequencies, { kind: 'top-k', count: 3 });
    // 130 and 0 tie at 0.5: the lower channel wins.
    expect(selection.indices).toEqual([0, 5, 64]);
    expect(selection.name).toBe('gate-top3');
    expect(selection.mask.filter(Boolean).length).toBe(3);
    expect(resolveSelection(selection).indices).toEqual([0, 5, 64]);
    expect(resolveSelection([...selection.indices]).indices).toEqual([0, 5, 64]);
    expect(resolveSelection([...selection.mask]).indices).toEqual([0, 5, 64]);
  });

  it('recovers the DCT-24 shape per component from paper-like statistics', () => {
    const selection = selectionFromGateFrequencies(paperLikeFrequencies(), {
      kind: 'per-component',
      counts: { y: 16, cb: 4, cr: 4 },
    });
    expect(selection.name).toBe('gate-y16-cb4-cr4');
    expect(selection.indices.length).toBe(24);
    // The 16 lowest u + v of Y, ties to the lower index: u + v <= 4 holds 15, then (0,5).
    expect(selection.indices.filter((c) => c < 64).every((c) => (c >> 3) + (c % 8) <= 5)).toBe(true);
    expect(selection.indices.filter((c) => c >= 64 && c < 128)).toEqual([64, 65, 66, 72]);
    expect(selection.indices.filter((c) => c >= 128)).toEqual([128, 129, 130, 136]);
  });

  it('round-trips the official presets: statistics shaped like DCT-n give back DCT-n', () => {
    for (const count of [24, 48, 64]) {
      const preset = presetSelection(count);
      const frequencies = preset.mask.map((kept, channel) => (kept ? 0.9 - channel / 1000 : 0.1));
      expect(selectionFromGateFrequencies(frequencies, { kind: 'top-k', count }).indices).toEqual(
        preset.indices,
      );
      expect(
        selectionFromGateFrequencies(frequencies, { kind: 'threshold', threshold: 0.5 }).indices,
      ).toEqual(preset.indices);
      const counts = presetCounts(count);
      expect(selectionFromGateFrequencies(frequencies, { kind: 'per-component', counts }).indices).toEqual(
        preset.indices,
      );
    }
  });

  it('keeps every channel above a threshold and maps a gate over a channel subset', () => {
    const frequencies = [0.2, 0.8, 0.5, 1];
    const selection = selectionFromGateFrequencies(
      frequencies,
      { kind: 'threshold', threshold: 0.5 },
      { channelIndices: [0, 9, 64, 128], name: 'mine' },
    );
    expect(selection.indices).toEqual([9, 64, 128]);
    expect(selection.name).toBe('mine');
    const all = selectionFromGateFrequencies(new Array(192).fill(1), { kind: 'threshold', threshold: 1 });
    expect(all.indices.length).toBe(192);
  });

  it('names argument and value in its errors', () => {
    const frequencies = new Array(192).fill(0.1);
    expect(() => selectionFromGateFrequencies([0.5, 0.5], { kind: 'top-k', count: 1 })).toThrow(
      "selectionFromGateFrequencies: argument 'frequencies' must hold 192 values (or pass options.channelIndices for a subset), got 2",
    );
    expect(() => selectionFromGateFrequencies(frequencies, { kind: 'top-k', count: 193 })).toThrow(
      "selectionFromGateFrequencies: argument 'criterion.count' must be an integer in [1, 192], got 193",
    );
    expect(() => selectionFromGateFrequencies(frequencies, { kind: 'threshold', threshold: 0.5 })).toThrow(
      `selectionFromGateFrequencies: argument 'criterion' selects no channel ({"kind":"threshold","threshold":0.5}); the highest frequency is 0.1`,
    );
    expect(() =>
      selectionFromGateFrequencies(frequencies, { kind: 'per-component', counts: { y: 65, cb: 0, cr: 0 } }),
    ).toThrow(
      "selectionFromGateFrequencies: argument 'criterion.counts.y' must be an integer in [0, 64], got 65",
    );
    const wrong = [...frequencies];
    wrong[7] = 1.5;
    expect(() => selectionFromGateFrequencies(wrong, { kind: 'top-k', count: 1 })).toThrow(
      "selectionFromGateFrequencies: argument 'frequencies' must lie in [0, 1], got 1.5 at index 7",
    );
    expect(() =>
      selectionFromGateFrequencies([0.5], { kind: 'top-k', count: 1 }, { channelIndices: [0, 1] }),
    ).toThrow(
      "selectionFromGateFrequencies: argument 'options.channelIndices' must map each of the 1 frequencies to a channel, got 2 indices",
    );
  });
});
