import * as tf from '@tensorflow/tfjs-core';
import { WasmTrainingError } from './errors.js';

/**
 * tfjs-backend-wasm ships a multi-threaded SIMD build (XNNPACK with a pthread pool) and its Emscripten
 * glue supports Node's worker_threads, but tfjs never loads it in Node, for three reasons this module
 * works around while the backend initializes (and undoes afterwards):
 *
 * 1. `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false under Node: the flag is set to true.
 * 2. The glue hands its scripts to workers as `Blob`s and `blob:` URLs, which Node's `Worker` and the
 *    worker's `importScripts` shim cannot load: while the backend starts, `Blob` writes its text to a
 *    file in a private temporary folder and `URL.createObjectURL` returns that path (in the workers too,
 *    through a preamble that also defines the names the Node bundle of tfjs 4.22 gives `fs`, `path`,
 *    `perf_hooks`, `os` and the global object, which the worker's copy of the glue expects).
 * 3. The C++ side sizes XNNPACK's pool as min(setThreadsCount(n), logical cores / 2), assuming
 *    2 hyper-threads per core; in Node the glue counts cores with `os.cpus()`, so a 2-core machine gets
 *    one thread. `os.cpus()` reports twice the requested count while the pool is created.
 *
 * The pthread pool is created once with 8 workers, so at most 8 threads can be used.
 */

/** tfjs versions whose Node bundle this module was written against (bundle-internal names, see above). */
const SUPPORTED_TFJS_WASM = /^4\.22\./;
const MAX_THREADS = 8;

export interface ThreadedWasmOptions {
  /** Threads of XNNPACK's pool, the calling thread included. Default: `os.availableParallelism()`, at most 8. */
  threads?: number;
}

export interface ThreadedWasmBackend {
  /** Threads the pool really has (tfjs's `getThreadsCount()`). */
  threads: number;
}

let started: ThreadedWasmBackend | null = null;

/** The parts of the backend's Emscripten module used here. */
interface WasmModule {
  tfjs: { getThreadsCount: () => number };
  PThread?: {
    runningWorkers: { unref?: () => void }[];
    unusedWorkers: { unref?: () => void }[];
  };
}

/** The preamble of the pthread worker script: Node paths instead of blob URLs, and the bundle's names. */
const WORKER_PREAMBLE = [
  '"use strict";',
  'Object.assign(global, { require$$0: require("fs"), require$$1: require("path"),',
  '  require$$3: require("perf_hooks"), require$$4: require("os"), commonjsGlobal: global });',
  'URL.createObjectURL = function (file) { return file.fdlScriptPath; };',
  'URL.revokeObjectURL = function () {};',
  '',
].join('\n');

/**
 * Makes tfjs's wasm backend the active backend, running its multi-threaded SIMD build on `threads`
 * worker threads (Node only). Call it instead of `tf.setBackend('wasm')`, before the wasm backend
 * has been initialized; calling it again with the same thread count returns the running backend.
 * With `threads: 1` it is `tf.setBackend('wasm')`. Register @fdl kernels
 * (`registerWasmTrainingKernels`) before or after; they run unchanged.
 */
export async function setThreadedWasmBackend(
  options: ThreadedWasmOptions = {},
): Promise<ThreadedWasmBackend> {
  const name = 'setThreadedWasmBackend';
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    throw new WasmTrainingError(
      name,
      `Node only; in a browser tfjs picks its threaded build itself when the page is cross-origin isolated`,
    );
  }
  const os = (await import('node:os')).default;
  const threads = options.threads ?? Math.min(os.availableParallelism(), MAX_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new WasmTrainingError(name, `options.threads must be an integer 1..${MAX_THREADS}, got ${threads}`);
  }
  if (started !== null) {
    if (started.threads !== threads) {
      throw new WasmTrainingError(
        name,
        `the wasm backend already runs ${started.threads} threads; a process gets one pool, asked for ${threads}`,
      );
    }
    if (!(await tf.setBackend('wasm')))
      throw new WasmTrainingError(name, `tf.setBackend('wasm') returned false`);
    return started;
  }
  // Not tf.findBackend: it starts initializing the backend it is asked about, single-threaded.
  if ((tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm !== undefined) {
    throw new WasmTrainingError(
      name,
      `the wasm backend is already initialized (single-threaded); call this before tf.setBackend('wasm') or tf.ready()`,
    );
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (threads === 1) {
    if (!(await tf.setBackend('wasm')))
      throw new WasmTrainingError(name, `tf.setBackend('wasm') returned false`);
    started = { threads: 1 };
    return started;
  }
  if (!SUPPORTED_TFJS_WASM.test(wasm.version_wasm)) {
    throw new WasmTrainingError(
      name,
      `written for @tensorflow/tfjs-backend-wasm 4.22 (bundle-internal names), found ${wasm.version_wasm}`,
    );
  }
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const folder = mkdtempSync(join(os.tmpdir(), 'fdl-wasm-threads-'));
  // Workers started later (none, normally: the pool is created once) still read these files.
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  let files = 0;
  /** Stands in for `Blob` while the backend starts: the text goes to a file, `fdlScriptPath` names it. */
  class ScriptFile {
    readonly fdlScriptPath: string;
    constructor(parts: unknown[]) {
      let text = parts.map(String).join('');
      if (text.startsWith('"use strict";var Module={};'))
        text = WORKER_PREAMBLE + text.slice('"use strict";'.length);
      this.fdlScriptPath = join(folder, `script-${files++}.js`);
      writeFileSync(this.fdlScriptPath, text);
    }
  }
  const originalBlob = globalThis.Blob;
  const originalCreateObjectUrl = URL.createObjectURL;
  const originalCpus = os.cpus;
  const cpus = originalCpus();
  globalThis.Blob = ScriptFile as unknown as typeof Blob;
  URL.createObjectURL = ((object: unknown) =>
    object instanceof ScriptFile
      ? object.fdlScriptPath
      : originalCreateObjectUrl(object as Blob)) as typeof URL.createObjectURL;
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]!);
  try {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    if (!(await tf.setBackend('wasm')))
      throw new WasmTrainingError(name, `tf.setBackend('wasm') returned false`);
    await tf.ready();
  } finally {
    globalThis.Blob = originalBlob;
    URL.createObjectURL = originalCreateObjectUrl;
    os.cpus = originalCpus;
  }
  // The pool's worker threads wait for work forever; unreferenced, they do not keep Node running once
  // the program is done (kernels run synchronously, so no task of theirs is awaited by the event loop).
  const module = (tf.backend() as unknown as { wasm: WasmModule }).wasm;
  for (const worker of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])])
    worker.unref?.();
  // Asked of the active backend's own module (tfjs's getThreadsCount() reports the last one built).
  const actual = module.tfjs.getThreadsCount();
  if (actual !== threads) {
    throw new WasmTrainingError(name, `asked for ${threads} threads, the wasm backend runs ${actual}`);
  }
  started = { threads: actual };
  return started;
}
