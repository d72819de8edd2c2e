import { existsSync, readFileSync } from 'node:fs';
import { resolveSelection } from '@fdl/dct-core';
import { type Classifier, loadSafetensors } from '@fdl/fd-models';
import { resolveConfig } from '../config/load-config.js';
import type { ClassifyConfig } from '../config/schema.js';
import { checkpointError, inputError } from '../errors.js';
import { CHECKPOINT_EXTENSION, readCheckpoint } from '../training/checkpoint-file.js';
import {
  loadModelVariables,
  readTrainingMetadata,
  type TrainingMetadata,
} from '../training/training-state.js';
import { createModelFromConfig } from './create-model.js';

/**
 * DCT channel indices a config selects, or null for RGB input. A `.json` selection file (written by
 * `gate-stats`) is read for its `indices`.
 */
export function resolveChannels(config: ClassifyConfig): number[] | null {
  if (config.input.mode !== 'dct') return null;
  const spec = config.input.channels;
  if (typeof spec === 'string' && spec.toLowerCase().endsWith('.json')) {
    if (!existsSync(spec))
      throw inputError(`input.channels: selection file '${spec}' does not exist`, { path: spec });
    const parsed = JSON.parse(readFileSync(spec, 'utf8')) as { indices?: unknown };
    if (!Array.isArray(parsed.indices)) {
      throw inputError(`input.channels: selection file '${spec}' has no 'indices' list`, { path: spec });
    }
    return [...resolveSelection(parsed.indices as number[]).indices];
  }
  return [...resolveSelection(spec as string | number[]).indices];
}

export interface LoadedModel {
  model: Classifier;
  /** The config the weights were trained with (fdl checkpoints) or the one given (safetensors). */
  config: ClassifyConfig;
  classes: string[];
  channels: number[] | null;
  /** Training metadata of an fdl checkpoint; null for safetensors. */
  metadata: TrainingMetadata | null;
}

export interface LoadTrainedModelOptions {
  /** Config describing the network for safetensors weights (fdl checkpoints carry their own). */
  config: ClassifyConfig;
  /** Class names for safetensors weights (default `class-0`, `class-1`, ...). */
  classes?: string[] | null;
  /** Load the EMA weights of an fdl checkpoint instead of the live ones. */
  useEma?: boolean;
}

/**
 * Builds a model from weights: an fdl training checkpoint (`.fdlckpt`: the network is rebuilt from the
 * config stored inside) or a safetensors file with torchvision names (the network comes from
 * `options.config`; the class count from the classifier weight's shape).
 */
export function loadTrainedModel(path: string, options: LoadTrainedModelOptions): LoadedModel {
  if (!existsSync(path)) throw checkpointError(path, 'does not exist');
  if (path.endsWith(CHECKPOINT_EXTENSION)) {
    const payload = readCheckpoint(path);
    const metadata = readTrainingMetadata(payload, path);
    const config = resolveConfig([metadata.config as Record<string, unknown>], `config stored in ${path}`);
    const model = createModelFromConfig(config, metadata.classes.length, metadata.channels, {
      initialize: false,
    });
    try {
      const prefix = options.useEma ? 'ema/' : 'model/';
      loadModelVariables(model.variables(), payload.tensors, path, prefix);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return { model, config, classes: metadata.classes, channels: metadata.channels, metadata };
  }
  // a plain Uint8Array copy: slicing a Node Buffer would view its whole (pooled) backing store
  const stateDict = loadSafetensors(new Uint8Array(readFileSync(path)));
  const classifierWeight = stateDict['fc.weight'] ?? stateDict['classifier.1.weight'];
  if (classifierWeight === undefined) {
    throw checkpointError(path, "has neither 'fc.weight' (ResNet) nor 'classifier.1.weight' (MobileNetV2)");
  }
  const numClasses = classifierWeight.shape[0];
  const config = options.config;
  const channels = resolveChannels(config);
  const model = createModelFromConfig(config, numClasses, channels, { initialize: false });
  try {
    model.loadStateDict(stateDict);
  } catch (error) {
    model.dispose();
    // the loader lists every mismatching tensor; the first few say enough
    const reason = (error as Error).message;
    const short = reason.length > 600 ? `${reason.slice(0, 600)}...` : reason;
    throw checkpointError(path, `does not fit ${config.model.architecture} (${config.input.mode}): ${short}`);
  }
  const classes = options.classes ?? Array.from({ length: numClasses }, (_, i) => `class-${i}`);
  if (classes.length !== numClasses) {
    throw checkpointError(path, `has ${numClasses} classes but ${classes.length} class names were given`);
  }
  return { model, config, classes, channels, metadata: null };
}
