import { type ClassifierOptions, resolveClassifierOptions } from './classifier-options.js';
import { MobileNetV2 } from './mobilenet-v2.js';
import type { Network } from './network.js';
import { ResNet } from './resnet.js';

/**
 * Creates any supported classifier: `architecture` picks ResNet-18/34/50/101 or MobileNetV2, `input`
 * picks the RGB (torchvision) or DCT (paper) stem. See {@link ResNet} and {@link MobileNetV2}.
 */
export function createClassifier(options: ClassifierOptions): ResNet | MobileNetV2 {
  const resolved = resolveClassifierOptions('createClassifier', options);
  return resolved.architecture === 'mobilenetv2' ? new MobileNetV2(resolved) : new ResNet(resolved);
}

export type Classifier = Network;
