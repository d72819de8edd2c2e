import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ClassifyError } from '../errors.js';
import { selectBackend } from './backend.js';

describe('selectBackend', () => {
  it('auto skips the absent tensorflow bindings, picks wasm and logs why', async () => {
    const messages: string[] = [];
    const selection = await selectBackend('auto', { training: true, log: (m) => messages.push(m) });
    expect(selection.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.detail).toMatch(/^wasm \(1 thread\) \+ \d+ training kernels$/);
    expect(selection.skipped[0].name).toBe('tensorflow');
    expect(selection.skipped[0].reason).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(messages[0]).toMatch(/^backend: wasm .*\(auto; skipped tensorflow: /);
  });

  it('honours a forced cpu choice', async () => {
    const selection = await selectBackend('cpu', { log: () => {} });
    expect(selection).toEqual({ name: 'cpu', detail: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails clearly when a forced backend is unavailable or unknown', async () => {
    await expect(selectBackend('tensorflow', { log: () => {} })).rejects.toThrow(
      /^backend 'tensorflow' cannot be used: @tensorflow\/tfjs-node-gpu is not installed, @tensorflow\/tfjs-node is not installed$/,
    );
    await expect(selectBackend('gpu' as never, { log: () => {} })).rejects.toBeInstanceOf(ClassifyError);
  });
});
