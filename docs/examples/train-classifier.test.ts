import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('docs/examples/train-classifier.ts', () => {
  it('trains the gated DCT-24 network: the loss falls, the classes separate, the gate yields a selection', async () => {
    const { stdout, result } = await runExample('train-classifier', ['20', '0.05']);
    expect(stdout).toContain('input [batch, 4, 4, 24]');
    const losses = result.losses as number[];
    expect(losses).toHaveLength(20);
    for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
    // Two balanced classes start near ln 2 = 0.69 of task loss plus lambda * 24 open channels = 1.2.
    expect(losses[0]).toBeGreaterThan(0.9);
    const lastFive = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(lastFive).toBeLessThan(losses[0] * 0.7);
    // 16 images; at least 14 right after 20 steps (the seeded run gets 15 or 16).
    expect(result.accuracy as number).toBeGreaterThanOrEqual(14 / 16);

    // Gate statistics: per-channel fraction of the 16 images with the channel on.
    const frequencies = result.frequencies as number[];
    expect(frequencies).toHaveLength(24);
    for (const f of frequencies) {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
      expect(Number.isInteger(f * 16)).toBe(true);
    }
    expect(result.meanChannelsPerSample as number).toBeCloseTo(
      frequencies.reduce((a, b) => a + b, 0),
      6,
    );
    // The static selection is the 8 most frequent channels (ties to the lower channel), as global indices.
    const selection = result.selection as number[];
    const expected = selection
      .map((channel, i) => ({ channel, frequency: frequencies[i] }))
      .sort((a, b) => b.frequency - a.frequency || a.channel - b.channel)
      .slice(0, 8)
      .map((entry) => entry.channel)
      .sort((a, b) => a - b);
    expect(result.derived).toEqual(expected);
    expect(stdout).toContain(`static selection from the gate: ${expected.join(', ')}`);
    // Every tensor the example created was disposed.
    expect(result.tensorsLeft).toBe(0);
  });
});
