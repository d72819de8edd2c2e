import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('docs/examples/wasm-training.ts', () => {
  it('fails without the kernels, then trains on wasm exactly as on cpu', async () => {
    const { result } = await runExample('wasm-training');
    expect(result.errorBefore).toBe("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
    expect(result.registered).toEqual(
      expect.arrayContaining([
        'Conv2DBackpropFilter',
        'Conv2DBackpropInput',
        'DepthwiseConv2dNativeBackpropFilter',
        'DepthwiseConv2dNativeBackpropInput',
        'UnsortedSegmentSum',
        'Identity',
      ]),
    );
    // d(sum(conv1x1(x, w)))/dw = sum(x) = 1 + 2 + 3 + 4.
    expect(result.gradientValue).toBe(10);
    const cpu = result.cpuLosses as number[];
    const wasm = result.wasmLosses as number[];
    expect(cpu).toHaveLength(5);
    // Two classes: the first loss is near ln 2, and SGD lowers it every step.
    expect(Math.abs(cpu[0] - Math.LN2)).toBeLessThan(0.2);
    for (let i = 1; i < cpu.length; i++) expect(cpu[i]).toBeLessThan(cpu[i - 1]);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i] - cpu[i])).toBeLessThan(1e-5);
    // The training loop (tensors, variables, gradients) leaves nothing behind on either backend.
    expect(result.tensorsLeft).toEqual([0, 0]);
  });
});
