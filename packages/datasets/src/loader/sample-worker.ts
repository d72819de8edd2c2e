/**
 * Worker-thread entry of the data loader: builds a `SampleProcessor` from `workerData`, reports
 * `ready` (with the decoder name), then processes tasks and posts outcomes with their buffers
 * transferred (no copy).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSampleProcessor, type SampleTask } from '../pipeline/sample-processor.js';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('sample-worker must run in a worker thread');
const { pipeline, context } = workerData as WorkerData;

try {
  const processor = await createSampleProcessor(pipeline, context);
  port.postMessage({ type: 'ready', decoder: processor.decoder } satisfies WorkerReply);
  port.on('message', async (request: WorkerRequest) => {
    const outcome = await processor.process(request.task as SampleTask);
    const transfer: ArrayBuffer[] = [];
    if (outcome.ok) {
      transfer.push(outcome.data.buffer as ArrayBuffer);
      if (outcome.target?.masks) transfer.push(outcome.target.masks.buffer as ArrayBuffer);
    }
    port.postMessage({ type: 'outcome', id: request.id, outcome } satisfies WorkerReply, transfer);
  });
} catch (error) {
  port.postMessage({
    type: 'failed',
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  } satisfies WorkerReply);
}
