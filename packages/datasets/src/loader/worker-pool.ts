import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FdlError } from '@fdl/dct-core';
import type { SampleOutcome, SampleTask } from '../pipeline/sample-processor.js';
import type { WorkerData, WorkerReply } from './worker-protocol.js';

/** A worker thread died or could not start. */
export class WorkerPoolError extends FdlError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('E_WORKER', message, details);
  }
}

/**
 * How a worker runs the package. From a build (no `@fdl/source` condition), workers load the bundled
 * `sample-worker.js` next to the bundle. From TypeScript sources (vitest, tsx) or whenever the process
 * resolves workspace packages to their `.ts` sources (`--conditions=@fdl/source`), a small evaluated
 * bootstrap registers tsx's ESM hooks and then imports the worker entry, with the `@fdl/source`
 * condition. (`--import tsx` in a worker's execArgv does not take effect for the worker's modules on
 * Node 20, hence the bootstrap.)
 */
function createWorker(data: WorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './sample-worker.ts' : './sample-worker.js', import.meta.url);
  const sourceCondition = fromSource || process.execArgv.some((argument) => argument.includes('@fdl/source'));
  const tsxApi = sourceCondition ? resolveTsxApi() : null;
  if (!tsxApi) return new Worker(entry, { workerData: data });
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { (api.register ?? api.default.register)(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv: ['--conditions=@fdl/source'] });
}

/** URL of tsx's ESM registration API, or null when tsx is not installed. */
function resolveTsxApi(): string | null {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    try {
      return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    } catch {
      return null;
    }
  }
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, { resolve: (outcome: SampleOutcome) => void; reject: (error: Error) => void }>;
}

interface Queued {
  id: number;
  task: SampleTask;
  resolve: (outcome: SampleOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of worker threads running the same pipeline. Tasks are dispatched FIFO to the least
 * busy worker, at most `tasksPerWorker` in flight per worker. More than one overlaps a sample's file
 * read and native decode with the previous sample's JavaScript work; 4 also keeps a worker busy while
 * the main thread, which hands out the next task, waits for a core that the workers fill (measured on
 * 2 cores with 2 workers, DCT-24 data-pipeline benchmark: 1.62x one worker with 2 in flight, 1.82x with 4).
 */
export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private readonly tasksPerWorker: number;
  private nextId = 0;
  private closed = false;
  private decoderName = '';

  private constructor(size: number, tasksPerWorker: number) {
    this.size = size;
    this.tasksPerWorker = tasksPerWorker;
  }

  /** Starts `size` workers and waits until each has built its pipeline. */
  static async start(size: number, data: WorkerData, tasksPerWorker = 4): Promise<WorkerPool> {
    const pool = new WorkerPool(size, tasksPerWorker);
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = createWorker(data);
      const slot: Slot = { worker, inFlight: new Map() };
      pool.slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onStartError = (error: Error) =>
            reject(new WorkerPoolError(`data loader worker ${i} failed to start: ${error.message}`));
          worker.once('error', onStartError);
          worker.once('message', (reply: WorkerReply) => {
            worker.off('error', onStartError);
            if (reply.type === 'ready') {
              pool.decoderName = reply.decoder;
              resolve();
            } else if (reply.type === 'failed') {
              reject(new WorkerPoolError(`data loader worker ${i} failed to start: ${reply.message}`));
            }
          });
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    for (const slot of pool.slots) pool.attach(slot);
    return pool;
  }

  /** Name of the JPEG decoder the workers use. */
  get decoder(): string {
    return this.decoderName;
  }

  /** Queues a task; resolves with its outcome (sample failures are outcomes, not rejections). */
  run(task: SampleTask): Promise<SampleOutcome> {
    if (this.closed) return Promise.reject(new WorkerPoolError('WorkerPool.run: the pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Drops queued (not yet dispatched) tasks, rejecting them; tasks in flight finish normally. */
  cancelQueued(reason = 'cancelled'): void {
    for (const queued of this.queue.splice(0))
      queued.reject(new WorkerPoolError(`WorkerPool: task ${reason}`));
  }

  /** Terminates every worker; pending tasks are rejected. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelQueued('cancelled by close()');
    await Promise.all(
      this.slots.map(async (slot) => {
        for (const pending of slot.inFlight.values())
          pending.reject(new WorkerPoolError('WorkerPool: closed while a task was running'));
        slot.inFlight.clear();
        await slot.worker.terminate();
      }),
    );
  }

  private attach(slot: Slot): void {
    slot.worker.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'outcome') return;
      const pending = slot.inFlight.get(reply.id);
      if (!pending) return;
      slot.inFlight.delete(reply.id);
      pending.resolve(reply.outcome);
      this.dispatch();
    });
    const fail = (error: Error) => {
      for (const pending of slot.inFlight.values()) pending.reject(error);
      slot.inFlight.clear();
      // A dead worker takes no more work; the rest of the pool carries on.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      if (this.slots.length === 0) this.cancelQueued('abandoned: every worker died');
      else this.dispatch();
    };
    slot.worker.on('error', (error) =>
      fail(new WorkerPoolError(`data loader worker crashed: ${error.message}`)),
    );
    slot.worker.on('exit', (code) => {
      if (!this.closed) fail(new WorkerPoolError(`data loader worker exited with code ${code}`, { code }));
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const slot of this.slots) {
        if (slot.inFlight.size < this.tasksPerWorker && (!best || slot.inFlight.size < best.inFlight.size))
          best = slot;
      }
      if (!best) return;
      const queued = this.queue.shift()!;
      best.inFlight.set(queued.id, { resolve: queued.resolve, reject: queued.reject });
      best.worker.postMessage({ id: queued.id, task: queued.task });
    }
  }
}
