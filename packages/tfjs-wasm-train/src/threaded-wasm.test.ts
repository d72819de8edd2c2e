import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setThreadedWasmBackend } from './threaded-wasm.js';

/** Runs a script in a fresh Node process (a process gets one wasm backend) and returns its last line. */
function runScript(lines: string[]): string {
  // Inside the package, so the script resolves tfjs from this package's node_modules.
  const cache = new URL('../node_modules/.cache/', import.meta.url).pathname;
  mkdirSync(cache, { recursive: true });
  const folder = mkdtempSync(join(cache, 'fdl-threads-'));
  const script = join(folder, 'threads.mts');
  const source = new URL('./index.ts', import.meta.url).pathname;
  writeFileSync(
    script,
    [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import '@tensorflow/tfjs-backend-cpu';",
      "import '@tensorflow/tfjs-backend-wasm';",
      "import os from 'node:os';",
      `import { registerAllGradients, registerWasmTrainingKernels, setThreadedWasmBackend } from ${JSON.stringify(source)};`,
      ...lines,
    ].join('\n'),
  );
  try {
    // The timeout also checks that the pool's worker threads let the process exit.
    const output = execFileSync(process.execPath, ['--conditions=@fdl/source', '--import', 'tsx', script], {
      cwd: new URL('..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return output.trim().split('\n').at(-1)!;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('setThreadedWasmBackend', () => {
  it('runs the wasm backend on 2 threads with the same results as cpu, restores the globals and exits', () => {
    const line = runScript([
      'const blob = globalThis.Blob; const createObjectURL = URL.createObjectURL; const cpus = os.cpus;',
      'await registerAllGradients();',
      'registerWasmTrainingKernels();',
      'const backend = await setThreadedWasmBackend({ threads: 2 });',
      'const again = await setThreadedWasmBackend({ threads: 2 });',
      'let mismatch = "";',
      'try { await setThreadedWasmBackend({ threads: 3 }); } catch (error) { mismatch = (error as Error).message; }',
      'const restored = globalThis.Blob === blob && URL.createObjectURL === createObjectURL && os.cpus === cpus;',
      'const x = tf.randomNormal([2, 12, 12, 8], 0, 1, "float32", 1) as tf.Tensor4D;',
      'const w = tf.randomNormal([3, 3, 8, 16], 0, 0.2, "float32", 2) as tf.Tensor4D;',
      'const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")));',
      'const run = () => [tf.conv2d(x, w, 2, "same"), ...tf.grads(loss)([x, w])].map((t) => Array.from(t.dataSync()));',
      'const threaded = run();',
      'const threads = (await import("@tensorflow/tfjs-backend-wasm")).getThreadsCount();',
      'const xs = x.dataSync(); const ws = w.dataSync();',
      'await tf.setBackend("cpu");',
      'const reference = [tf.conv2d(tf.tensor4d(xs, x.shape), tf.tensor4d(ws, w.shape), 2, "same"), ...tf.grads(loss)([tf.tensor4d(xs, x.shape), tf.tensor4d(ws, w.shape)])].map((t) => Array.from(t.dataSync()));',
      'const worst = threaded.map((values, i) => { const scale = Math.max(...reference[i].map(Math.abs)); return Math.max(...values.map((v, j) => Math.abs(v - reference[i][j]))) / scale; });',
      'console.log(JSON.stringify({ backend, same: again === backend, mismatch, restored, threads, worst }));',
    ]);
    const result = JSON.parse(line);
    expect(result.backend).toEqual({ threads: 2 });
    expect(result.same).toBe(true);
    expect(result.threads).toBe(2);
    expect(result.restored).toBe(true);
    expect(result.mismatch).toBe(
      'setThreadedWasmBackend: the wasm backend already runs 2 threads; a process gets one pool, asked for 3',
    );
    for (const worst of result.worst) expect(worst).toBeLessThan(1e-5);
  });
  it('refuses to start once the single-threaded wasm backend is initialized', () => {
    const line = runScript([
      'await tf.setBackend("wasm");',
      'try { await setThreadedWasmBackend({ threads: 2 }); console.log("started"); } catch (error) { console.log((error as Error).message); }',
    ]);
    expect(line).toBe(
      "setThreadedWasmBackend: the wasm backend is already initialized (single-threaded); call this before tf.setBackend('wasm') or tf.ready()",
    );
  });
  it('checks the thread count before touching anything', async () => {
    await expect(setThreadedWasmBackend({ threads: 0 })).rejects.toThrow(
      'setThreadedWasmBackend: options.threads must be an integer 1..8, got 0',
    );
    await expect(setThreadedWasmBackend({ threads: 2.5 })).rejects.toThrow('got 2.5');
    await expect(setThreadedWasmBackend({ threads: 9 })).rejects.toThrow('got 9');
  });
});
