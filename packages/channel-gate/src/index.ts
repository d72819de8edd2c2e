export { FONT_CHARACTERS, rasterizeText, textWidth } from './bitmap-font.js';
export {
  type CollectedGateStatistics,
  type CollectGateStatisticsOptions,
  collectGateStatistics,
} from './collect-statistics.js';
export { hexColour, luminance, type Rgb, viridis } from './colormap.js';
export { GateStatisticsError } from './errors.js';
export {
  GATE_FORWARD_DEFAULTS,
  GATE_MODES,
  type GateForwardOptions,
  type GateForwardResult,
  type GateMode,
  gateForward,
  validateGateInput,
} from './gate-forward.js';
export {
  CHANNEL_GATE_DEFAULTS,
  CHANNEL_GATE_WEIGHT_NAMES,
  ChannelGate,
  type ChannelGateOptions,
  channelGate,
  type GateInferenceMode,
  type GateTrainingMode,
} from './gate-layer.js';
export {
  createGateWeights,
  createGateWeightsFrom,
  disposeGateWeights,
  GATE_WEIGHTS_DEFAULTS,
  type GateWeights,
  type GateWeightsOptions,
  type GateWeightValues,
  gateTrainableVariables,
  initialGateWeightValues,
} from './gate-weights.js';
export {
  GUMBEL_SOFTMAX_DEFAULTS,
  type GumbelNoiseOptions,
  type GumbelSoftmaxOptions,
  gumbelSoftmax,
  gumbelSoftmaxHard,
  gumbelSoftmaxSoft,
  sampleGumbel,
} from './gumbel.js';
export {
  GATE_HEATMAP_DEFAULTS,
  type GateHeatmapOptions,
  gateHeatmapModel,
  type HeatmapCell,
  type HeatmapModel,
  type HeatmapText,
  MISSING_CELL_COLOUR,
} from './heatmap-model.js';
export { renderGateHeatmapSvg } from './heatmap-svg.js';
export {
  formatLambdaSweepMarkdown,
  LAMBDA_SWEEP_DEFAULTS,
  type LambdaSweepJson,
  type LambdaSweepOptions,
  type LambdaSweepResult,
  type LambdaSweepRow,
  lambdaSweepJson,
  summarizeLambdaSweep,
  writeLambdaSweep,
} from './lambda-sweep.js';
export {
  gateWeightValuesFromStateDict,
  gateWeightValuesToStateDict,
  OFFICIAL_GATE_PREFIX,
  readGateWeightValues,
  type StateDictTensor,
} from './official-weights.js';
export {
  GATE_REGULARIZER_DEFAULTS,
  type GateRegularizerOptions,
  type GateRegularizerReduction,
  gateRegularizer,
} from './regularizer.js';
export {
  type GateSelectionOptions,
  type SelectionCriterion,
  selectionFromGateFrequencies,
} from './selection.js';
export { GateStatistics, type GateStatisticsJson } from './statistics.js';
export {
  type ConstantTemperature,
  type CosineTemperature,
  type ExponentialTemperature,
  type TemperatureSchedule,
  temperatureAt,
} from './temperature.js';
