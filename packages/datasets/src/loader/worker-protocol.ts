import type {
  SampleOutcome,
  SamplePipeline,
  SampleProcessorContext,
  SampleTask,
} from '../pipeline/sample-processor.js';

/** What every worker starts with. */
export interface WorkerData {
  pipeline: SamplePipeline;
  context: SampleProcessorContext;
}

/** Main thread -> worker. */
export interface WorkerRequest {
  id: number;
  task: SampleTask;
}

/** Worker -> main thread. */
export type WorkerReply =
  | { type: 'ready'; decoder: string }
  | { type: 'failed'; message: string }
  | { type: 'outcome'; id: number; outcome: SampleOutcome };
