import { type Classifier, createClassifier } from '@fdl/fd-models';
import type { ClassifyConfig } from '../config/schema.js';

/**
 * The classifier a config describes: RGB or DCT input with `channels` channels, optional gate, the
 * chosen backbone and width, seeded by `config.seed`.
 */
export function createModelFromConfig(
  config: ClassifyConfig,
  numClasses: number,
  channels: readonly number[] | null,
  options: { initialize?: boolean } = {},
): Classifier {
  const dct = config.input.mode === 'dct';
  return createClassifier({
    architecture: config.model.architecture,
    input: dct ? { kind: 'dct', channels: channels!.length } : 'rgb',
    numClasses,
    baseWidth: config.model.architecture === 'mobilenetv2' ? undefined : config.model.baseWidth,
    widthMultiplier: config.model.architecture === 'mobilenetv2' ? config.model.widthMultiplier : undefined,
    variant: config.model.variant,
    gate: dct && config.gate.enabled ? { forward: { tau: config.gate.temperature } } : false,
    seed: config.seed,
    // weights loaded right after creation need no random initialization
    initialize: options.initialize ?? true,
  });
}
