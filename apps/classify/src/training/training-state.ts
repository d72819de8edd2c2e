import type { RandomState } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkpointError } from '../errors.js';
import type { CheckpointPayload, StoredTensor } from './checkpoint-file.js';
import type { Optimizer } from './optimizer.js';
import type { WeightEma } from './weight-ema.js';

export const CHECKPOINT_FORMAT = 'fdl-classify-checkpoint';

/** What a checkpoint's metadata holds besides the tensors. */
export interface TrainingMetadata {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  /** Epochs fully completed. */
  epoch: number;
  /** Training batches already consumed in epoch `epoch` (0 at an epoch boundary; > 0 after an interrupt). */
  batchesDone: number;
  /** Optimizer steps so far. */
  globalStep: number;
  /** State of the run's generator (the gate's per-step Gumbel seeds are drawn from it). */
  rng: RandomState;
  optimizerKind: string;
  optimizerStep: number;
  emaUpdates: number | null;
  /** Resolved config of the run that wrote it. */
  config: Record<string, unknown>;
  classes: string[];
  /** Resolved DCT channel indices, or null for RGB. */
  channels: number[] | null;
  /** Last epoch's validation metrics. */
  metrics: Record<string, number | null>;
  written: string;
  reason: 'epoch' | 'interrupt' | 'final';
}

/** Copies tensors to plain data (read outside any tidy). */
export function storeTensors(
  prefix: string,
  tensors: Iterable<[string, tf.Tensor]>,
): Record<string, StoredTensor> {
  const out: Record<string, StoredTensor> = {};
  for (const [name, tensor] of tensors) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const values = tensor.dataSync();
    out[`${prefix}${name}`] = {
      dtype,
      shape: [...tensor.shape],
      data:
        dtype === 'int32' ? Int32Array.from(values as Int32Array) : Float32Array.from(values as Float32Array),
    };
  }
  return out;
}

/** Entries of `tensors` under `prefix` (prefix removed). */
export function tensorsUnder(
  tensors: Record<string, StoredTensor>,
  prefix: string,
): [string, StoredTensor][] {
  return Object.entries(tensors)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, value]) => [key.slice(prefix.length), value]);
}

export function toTensor(stored: StoredTensor): tf.Tensor {
  return tf.tensor(stored.data, stored.shape, stored.dtype);
}

/**
 * Assigns `model/<name>` tensors to the model's variables; every variable must be present with its shape,
 * so a checkpoint of another architecture or channel count fails with the first mismatching name.
 */
export function loadModelVariables(
  variables: Map<string, tf.Variable>,
  tensors: Record<string, StoredTensor>,
  path: string,
  prefix = 'model/',
): void {
  const stored = new Map(tensorsUnder(tensors, prefix));
  if (stored.size === 0) throw checkpointError(path, `holds no '${prefix}' tensors`);
  for (const [name, variable] of variables) {
    const value = stored.get(name);
    if (value === undefined) {
      throw checkpointError(path, `lacks '${prefix}${name}' (checkpoint of another model?)`, { name });
    }
    if (value.shape.join(',') !== variable.shape.join(',')) {
      throw checkpointError(
        path,
        `'${prefix}${name}' has shape [${value.shape}], the model expects [${variable.shape}] (checkpoint of another model?)`,
        { name },
      );
    }
    tf.tidy(() => variable.assign(tf.cast(toTensor(value), variable.dtype)));
  }
  const extra = [...stored.keys()].filter((name) => !variables.has(name));
  if (extra.length > 0)
    throw checkpointError(path, `has tensors the model lacks: ${extra.slice(0, 5).join(', ')}`);
}

export interface TrainingStateParts {
  metadata: TrainingMetadata;
  variables: Map<string, tf.Variable>;
  optimizer: Optimizer;
  ema: WeightEma | null;
}

export function buildCheckpoint(parts: TrainingStateParts): CheckpointPayload {
  const optimizerState = parts.optimizer.state();
  return {
    metadata: parts.metadata as unknown as Record<string, unknown>,
    tensors: {
      ...storeTensors('model/', parts.variables),
      ...storeTensors('optimizer/', Object.entries(optimizerState.tensors)),
      ...(parts.ema ? storeTensors('ema/', Object.entries(parts.ema.stateDict())) : {}),
    },
  };
}

/** Checks the metadata of a training checkpoint and returns it typed. */
export function readTrainingMetadata(payload: CheckpointPayload, path: string): TrainingMetadata {
  const metadata = payload.metadata as Partial<TrainingMetadata>;
  if (metadata.format !== CHECKPOINT_FORMAT || metadata.version !== 1) {
    throw checkpointError(
      path,
      `is not a classify training checkpoint (format ${JSON.stringify(metadata.format)})`,
    );
  }
  return metadata as TrainingMetadata;
}

/** Restores optimizer slots and EMA averages from a checkpoint. */
export function restoreTrainingState(
  payload: CheckpointPayload,
  metadata: TrainingMetadata,
  optimizer: Optimizer,
  ema: WeightEma | null,
  path: string,
): void {
  if (metadata.optimizerKind !== optimizer.kind) {
    throw checkpointError(
      path,
      `was written with optimizer '${metadata.optimizerKind}', this run uses '${optimizer.kind}'`,
    );
  }
  const slots = tensorsUnder(payload.tensors, 'optimizer/').map(
    ([name, stored]) => [name, toTensor(stored)] as const,
  );
  optimizer.loadState({
    kind: metadata.optimizerKind,
    step: metadata.optimizerStep,
    tensors: Object.fromEntries(slots),
  });
  for (const [, tensor] of slots) tensor.dispose();
  if (ema) {
    const averages = tensorsUnder(payload.tensors, 'ema/').map(
      ([name, stored]) => [name, toTensor(stored)] as const,
    );
    if (averages.length === 0)
      throw checkpointError(path, 'holds no EMA weights but this run has EMA enabled');
    ema.loadStateDict(Object.fromEntries(averages), metadata.emaUpdates ?? 0);
    for (const [, tensor] of averages) tensor.dispose();
  }
}
