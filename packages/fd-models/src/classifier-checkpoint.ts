import { ArgumentError } from '@fdl/dct-core';
import { createClassifier } from './classifier.js';
import type { ClassifierOptions } from './classifier-options.js';
import type { MobileNetV2 } from './mobilenet-v2.js';
import type { Backbone } from './network.js';
import type { ResNet } from './resnet.js';
import { loadSafetensors, loadSafetensorsMetadata, saveSafetensors } from './safetensors.js';

/** safetensors metadata `format` of checkpoints written by {@link saveClassifier}. */
export const CLASSIFIER_CHECKPOINT_FORMAT = 'fdl-classifier';

/**
 * A self-describing checkpoint: the state dict (torch names and layout, float32) plus the network's
 * options as JSON in the safetensors metadata (`options`), so {@link loadClassifier} can rebuild it.
 */
export function saveClassifier(model: Backbone): Uint8Array {
  // `initialize` only concerns construction; the weights come with the file.
  const { initialize: _initialize, ...options } = model.getConfig();
  return saveSafetensors(model.stateDict(), {
    format: CLASSIFIER_CHECKPOINT_FORMAT,
    options: JSON.stringify(options),
  });
}

/**
 * Builds the network a checkpoint describes (metadata `options`, written by {@link saveClassifier} or by
 * tools/convert-weights/convert.py) and loads its weights strictly. `overrides` replace stored options
 * (e.g. a different `gate` forward setting); structural overrides must still fit the weights.
 */
export function loadClassifier(
  bytes: Uint8Array,
  overrides: Partial<ClassifierOptions> = {},
): ResNet | MobileNetV2 {
  const metadata = loadSafetensorsMetadata(bytes);
  if (metadata.options === undefined) {
    throw new ArgumentError(
      'loadClassifier',
      'bytes',
      "has no 'options' metadata; write checkpoints with saveClassifier or tools/convert-weights/convert.py, or call createClassifier and loadStateDict",
    );
  }
  let stored: ClassifierOptions;
  try {
    stored = JSON.parse(metadata.options);
  } catch (error) {
    throw new ArgumentError(
      'loadClassifier',
      'bytes',
      `has unreadable 'options' metadata (${(error as Error).message})`,
    );
  }
  const model = createClassifier({ ...stored, ...overrides, initialize: false });
  try {
    model.loadStateDict(loadSafetensors(bytes));
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
