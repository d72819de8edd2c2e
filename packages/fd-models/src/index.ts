export {
  ADAPT_PRETRAINED_DEFAULTS,
  type AdaptPretrainedOptions,
  adaptPretrainedToDct,
} from './adapt-pretrained.js';
export { type Classifier, createClassifier } from './classifier.js';
export { CLASSIFIER_CHECKPOINT_FORMAT, loadClassifier, saveClassifier } from './classifier-checkpoint.js';
export {
  type Architecture,
  CLASSIFIER_DEFAULTS,
  type ClassifierOptions,
  type GateCallOptions,
  type GateConfig,
  type NetworkInput,
  type NetworkVariant,
  type ResolvedClassifierOptions,
} from './classifier-options.js';
export { WeightsError } from './errors.js';
export { GatedInput } from './gated-input.js';
export {
  createMobileNetV2,
  MOBILENET_V2_DROPOUT,
  MOBILENET_V2_SETTING,
  MobileNetV2,
  type MobileNetV2Options,
  makeDivisible,
} from './mobilenet-v2.js';
export {
  type Backbone,
  type FeatureMaps,
  type ForwardOptions,
  type ForwardResult,
  type GateResult,
  type ModelSummary,
  Network,
  type SummaryOptions,
} from './network.js';
export { BATCH_NORM_DEFAULTS, BatchNorm2d } from './nn/batch-norm.js';
export { Conv2d, type Conv2dOptions } from './nn/conv2d.js';
export {
  nchwToNhwc,
  nhwcToNchw,
  type ParameterKind,
  permuteArray,
  tfToTorch,
  torchToTf,
} from './nn/layout.js';
export { Linear, type LinearInit } from './nn/linear.js';
export { type ParameterEntry, ParameterStore, Scope } from './nn/parameter-store.js';
export { globalAveragePool, maxPool2d } from './nn/pool.js';
export type { ImageShape, LayerRecord } from './nn/trace.js';
export {
  createResNet,
  RESNET_DEFAULTS,
  RESNET_SPECS,
  ResNet,
  type ResNetArchitecture,
  type ResNetOptions,
} from './resnet.js';
export { loadSafetensors, loadSafetensorsMetadata, saveSafetensors } from './safetensors.js';
export {
  LOAD_STATE_DICT_DEFAULTS,
  type LoadStateDictOptions,
  type LoadStateDictReport,
  type StateDict,
  type TensorData,
  type TensorDtype,
  type TensorRecord,
  toFloat32,
} from './state-dict.js';
export { trainStep } from './training.js';
