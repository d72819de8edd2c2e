import type { GateWeights } from '@fdl/channel-gate';
import { ArgumentError } from '@fdl/dct-core';
import type * as tf from '@tensorflow/tfjs-core';
import type { GateCallOptions } from './classifier-options.js';
import { describeInput, inputChannels, type ResolvedClassifierOptions } from './classifier-options.js';
import type { GatedInput } from './gated-input.js';
import { BatchNorm2d } from './nn/batch-norm.js';
import { ParameterStore, Scope } from './nn/parameter-store.js';
import { type ImageShape, type LayerRecord, ShapeTrace } from './nn/trace.js';
import {
  type LoadStateDictOptions,
  type LoadStateDictReport,
  readStateDict,
  type StateDict,
  writeStateDict,
} from './state-dict.js';

export interface ForwardOptions {
  /** Training mode: BatchNorm uses batch statistics and queues running-average updates. Default false. */
  training?: boolean;
  /**
   * Per-call options of the channel gate (mode, tau, seed, noise, ...; see @fdl/channel-gate's
   * `gateForward`), merged over `options.gate.forward`. Ignored by networks without a gate.
   */
  gate?: GateCallOptions;
}

/** What the channel gate contributed to a forward pass (see @fdl/channel-gate). */
export type GateResult = {
  /** [batch, C] gate values, exactly 0/1 except in the gate's `soft` mode (feed to `gateRegularizer`). */
  mask: tf.Tensor2D;
  /** [batch, C] P(on) without noise. */
  probabilities: tf.Tensor2D;
  /** [batch, C, 2] (off, on) logits. */
  logits: tf.Tensor3D;
};

export type ForwardResult = {
  /** [batch, numClasses] */
  logits: tf.Tensor2D;
  /** Present when the network has a channel gate. */
  gate?: GateResult;
};

/**
 * Multi-scale features, NHWC. For ResNets: the outputs of layer1..layer4. Strides relative to the
 * network input: RGB 4, 8, 16, 32; DCT `paper` 1, 2, 4, 8 (4, 8, 16, 32 of the image when the DCT
 * planes sit at H/4, the Mask R-CNN geometry); DCT `official` 1, 1, 2, 4.
 */
export type FeatureMaps = {
  c2: tf.Tensor4D;
  c3: tf.Tensor4D;
  c4: tf.Tensor4D;
  c5: tf.Tensor4D;
};

export interface SummaryOptions {
  /** Input height and width (default: the paper geometry, 224 RGB, 56 DCT ResNet, 112 DCT MobileNetV2). */
  inputSize?: number;
}

export interface ModelSummary {
  architecture: string;
  input: string;
  variant: string;
  /** [H, W, C] of one input image. */
  inputShape: ImageShape;
  rows: LayerRecord[];
  /** Learnable parameters (as torch's `sum(p.numel() for p in model.parameters())`). */
  parameters: number;
  trainableParameters: number;
  /** Multiply-adds per image (convolutions and linear layers). */
  multiplyAdds: number;
  /** A printable table. */
  text: string;
}

/** The common surface of every fd-models network. */
export interface Backbone {
  readonly options: ResolvedClassifierOptions;
  /** `input`: [batch, H, W, C] (RGB image or DCT cube). */
  forward(input: tf.Tensor4D, options?: ForwardOptions): ForwardResult;
  features(input: tf.Tensor4D, options?: ForwardOptions): FeatureMaps;
  variables(): Map<string, tf.Variable>;
  trainableVariables(): Map<string, tf.Variable>;
  stateDict(): StateDict;
  loadStateDict(record: StateDict, options?: LoadStateDictOptions): LoadStateDictReport;
  summary(options?: SummaryOptions): ModelSummary;
  /** Freezes the first `stages` stages (detectron2's FREEZE_AT): 0 none, 1 stem, 2 stem + layer1, ... 5. */
  setFrozenStages(stages: number): void;
  /** Freezes every BatchNorm (running statistics always, affine parameters not trained). */
  setFrozenBatchNorm(frozen: boolean): void;
  /** Folds running statistics queued by training-mode forwards into the BN buffers (call after each step). */
  applyBatchNormUpdates(): void;
  discardBatchNormUpdates(): void;
  /** The channel gate's weights (DCT networks created with `gate`), else undefined. */
  gateWeights(): GateWeights | undefined;
  /** The resolved options: `createClassifier(model.getConfig())` builds the same network. */
  getConfig(): ResolvedClassifierOptions;
  dispose(): void;
}

/** Shared machinery: the parameter store, BatchNorm bookkeeping, freezing, state dicts and summaries. */
export abstract class Network implements Backbone {
  protected readonly store = new ParameterStore();
  protected readonly root: Scope;
  protected readonly batchNorms: BatchNorm2d[] = [];
  /** The channel gate in front of a DCT network, when `options.gate` asks for one. */
  protected gated: GatedInput | undefined;
  private frozenStages = 0;
  private frozenBatchNorm = false;

  constructor(readonly options: ResolvedClassifierOptions) {
    this.root = new Scope(this.store, '', options.seed, options.initialize);
  }

  abstract forward(input: tf.Tensor4D, options?: ForwardOptions): ForwardResult;
  abstract features(input: tf.Tensor4D, options?: ForwardOptions): FeatureMaps;
  /** Walks the network on shapes, recording every layer. */
  protected abstract traceLayers(input: ImageShape, trace: ShapeTrace): void;
  /** Module-name prefixes per stage: index 0 = stem, 1..4 = the four stages. */
  protected abstract stagePrefixes(): string[][];
  protected abstract defaultInputSize(): number;

  /** Runs the gate (if any) on the input. */
  protected applyGate(input: tf.Tensor4D, options: ForwardOptions): { x: tf.Tensor4D; gate?: GateResult } {
    if (!this.gated) return { x: input };
    const { output, gate } = this.gated.forward(input, options.training ?? false, options.gate);
    return { x: output, gate };
  }

  /** The gate's weights (for `gateRegularizer`, statistics, or a separate learning rate), if any. */
  gateWeights(): GateWeights | undefined {
    return this.gated?.weights;
  }

  getConfig(): ResolvedClassifierOptions {
    return this.options;
  }

  protected batchNorm(scope: Scope, channels: number): BatchNorm2d {
    const layer = new BatchNorm2d(scope, channels);
    this.batchNorms.push(layer);
    return layer;
  }

  /** Checks the input tensor against the network's channel count; names the function and the shape. */
  protected checkInput(functionName: string, input: tf.Tensor): void {
    const channels = inputChannels(this.options.input);
    if (input.rank !== 4 || input.shape[3] !== channels) {
      throw new ArgumentError(
        functionName,
        'input',
        `must be [batch, H, W, ${channels}] (${describeInput(this.options.input)}), got shape [${input.shape}]`,
      );
    }
  }

  variables(): Map<string, tf.Variable> {
    return this.store.variables();
  }

  trainableVariables(): Map<string, tf.Variable> {
    return this.store.trainableVariables();
  }

  stateDict(): StateDict {
    return readStateDict(this.store);
  }

  loadStateDict(record: StateDict, options?: LoadStateDictOptions): LoadStateDictReport {
    return writeStateDict(this.store, record, options, `${this.constructor.name}.loadStateDict`);
  }

  setFrozenStages(stages: number): void {
    if (!Number.isInteger(stages) || stages < 0 || stages > 5) {
      throw new ArgumentError('setFrozenStages', 'stages', `must be an integer in 0..5, got ${stages}`);
    }
    this.frozenStages = stages;
    this.updateFreezing();
  }

  setFrozenBatchNorm(frozen: boolean): void {
    this.frozenBatchNorm = frozen;
    this.updateFreezing();
  }

  private updateFreezing(): void {
    const frozenPrefixes = this.stagePrefixes().slice(0, this.frozenStages).flat();
    const inFrozenStage = (name: string) =>
      frozenPrefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`));
    const names = this.store.list().filter((entry) => !entry.isBuffer);
    this.store.setFrozen(
      names.map((entry) => entry.name),
      false,
    );
    this.store.setFrozen(
      names.filter((entry) => inFrozenStage(entry.name)).map((entry) => entry.name),
      true,
    );
    for (const layer of this.batchNorms) {
      layer.frozen = this.frozenBatchNorm || inFrozenStage(layer.name);
      if (layer.frozen) this.store.setFrozen([`${layer.name}.weight`, `${layer.name}.bias`], true);
    }
  }

  applyBatchNormUpdates(): void {
    for (const layer of this.batchNorms) layer.applyPendingUpdates();
  }

  discardBatchNormUpdates(): void {
    for (const layer of this.batchNorms) layer.discardPendingUpdates();
  }

  summary(options: SummaryOptions = {}): ModelSummary {
    const size = options.inputSize ?? this.defaultInputSize();
    const inputShape: ImageShape = [size, size, inputChannels(this.options.input)];
    const trace = new ShapeTrace();
    this.traceLayers(inputShape, trace);
    const parameters = this.store
      .list()
      .filter((entry) => !entry.isBuffer)
      .reduce((sum, entry) => sum + entry.torchShape.reduce((product, n) => product * n, 1), 0);
    const trainableParameters = [...this.store.trainableVariables().values()].reduce(
      (sum, variable) => sum + variable.size,
      0,
    );
    const multiplyAdds = trace.rows.reduce((sum, row) => sum + row.multiplyAdds, 0);
    const summary = {
      architecture: this.options.architecture,
      input: describeInput(this.options.input),
      variant: this.options.input === 'rgb' ? 'torchvision' : this.options.variant,
      inputShape,
      rows: trace.rows,
      parameters,
      trainableParameters,
      multiplyAdds,
    };
    return { ...summary, text: formatSummary(summary) };
  }

  dispose(): void {
    this.discardBatchNormUpdates();
    this.store.dispose();
  }
}

function formatSummary(summary: Omit<ModelSummary, 'text'>): string {
  const header = ['layer', 'type', 'output [H, W, C]', 'parameters', 'multiply-adds'];
  const lines = summary.rows.map((row) => [
    row.name,
    row.type,
    `[${row.outputShape.join(', ')}]`,
    row.parameters.toLocaleString('en-US'),
    row.multiplyAdds.toLocaleString('en-US'),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ');
  const title = `${summary.architecture} (${summary.input}, ${summary.variant}), input [${summary.inputShape.join(', ')}]`;
  return [
    title,
    format(header),
    ...lines.map(format),
    `parameters: ${summary.parameters.toLocaleString('en-US')} (trainable ${summary.trainableParameters.toLocaleString('en-US')})`,
    `multiply-adds: ${summary.multiplyAdds.toLocaleString('en-US')} (${(summary.multiplyAdds / 1e9).toFixed(3)} G)`,
  ].join('\n');
}
