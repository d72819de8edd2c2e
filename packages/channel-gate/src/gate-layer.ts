import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GATE_FORWARD_DEFAULTS, gateForward } from './gate-forward.js';
import { GATE_WEIGHTS_DEFAULTS, type GateWeights, initialGateWeightValues } from './gate-weights.js';
import { deriveSeed } from './random.js';
import { GATE_REGULARIZER_DEFAULTS, type GateRegularizerReduction, gateRegularizer } from './regularizer.js';
import { type TemperatureSchedule, temperatureAt } from './temperature.js';
import {
  formatShape,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from './validate.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** How the layer samples its mask while training. */
export type GateTrainingMode = 'hard' | 'soft';
/** How the layer decides its mask at inference. */
export type GateInferenceMode = 'argmax' | 'threshold' | 'stochastic';

/** Options of the {@link ChannelGate} layer (all serialised by `getConfig`). */
export interface ChannelGateOptions extends LayerArgs {
  /** `hard` (straight-through, the paper) or `soft` (annealed Gumbel-softmax). */
  trainingMode?: GateTrainingMode;
  /** `argmax` (deterministic, default), `threshold` on P(on), or `stochastic` (the official evaluation). */
  inferenceMode?: GateInferenceMode;
  /** Gumbel temperature; change it during training with `setTemperature` (e.g. from `temperatureAt`). */
  tau?: number;
  /**
   * Anneal tau automatically: each training call n (0, 1, ...) uses `temperatureAt(schedule, n)`.
   * Resume a run with `setTrainingStep`. Overrides `tau` in training calls.
   */
  temperatureSchedule?: TemperatureSchedule;
  /** P(on) threshold of inference mode `threshold`. */
  threshold?: number;
  /** Seed of the initialisation and of the noise stream (call n uses a seed derived from it and n). */
  seed?: number;
  /** lambda of the gate penalty added to the layer's losses (model.fit adds them to the task loss). */
  lambda?: number;
  /** `sum` (paper eq. 2) or `mean` (official code). */
  regularizerReduction?: GateRegularizerReduction;
  /** Return `[gated, mask]` instead of the gated tensor alone (mask: [batch, C]). */
  returnMask?: boolean;
  /** Batch-norm momentum with PyTorch semantics. */
  momentum?: number;
  /** Batch-norm epsilon. */
  epsilon?: number;
  /** Initial "off" / "on" logit biases and projection standard deviation (official values by default). */
  offBias?: number;
  onBias?: number;
  projectionStandardDeviation?: number;
}

/** Defaults of {@link ChannelGateOptions}. */
export const CHANNEL_GATE_DEFAULTS = Object.freeze({
  trainingMode: 'hard' as GateTrainingMode,
  inferenceMode: 'argmax' as GateInferenceMode,
  tau: GATE_FORWARD_DEFAULTS.tau,
  threshold: GATE_FORWARD_DEFAULTS.threshold,
  lambda: 0,
  regularizerReduction: GATE_REGULARIZER_DEFAULTS.reduction,
  returnMask: false,
  momentum: GATE_FORWARD_DEFAULTS.momentum,
  epsilon: GATE_FORWARD_DEFAULTS.epsilon,
  ...GATE_WEIGHTS_DEFAULTS,
});

/**
 * Layer weight names, in order; each maps onto a {@link GateWeights} field and the official PyTorch
 * name given there (e.g. `squeeze_kernel` <-> `inp_gate.0.weight` transposed).
 */
export const CHANNEL_GATE_WEIGHT_NAMES = Object.freeze([
  'squeeze_kernel',
  'squeeze_bias',
  'norm_gamma',
  'norm_beta',
  'norm_moving_mean',
  'norm_moving_variance',
  'projection_kernel',
  'projection_bias',
] as const);

const FIELDS = [
  'squeezeKernel',
  'squeezeBias',
  'normGamma',
  'normBeta',
  'normMovingMean',
  'normMovingVariance',
  'projectionKernel',
  'projectionBias',
] as const;

/**
 * The learned frequency-channel gate (paper Fig. 4) as a serialisable tfjs Layer. Input
 * [batch, H, W, C]; output the input times a per-sample, per-channel 0/1 mask (or `[output, mask]`
 * with `returnMask`). With `lambda > 0` the layer registers its penalty as a layer loss, so
 * `model.fit` trains against it; custom loops can read `lastMask` or use `gateForward` directly.
 */
export class ChannelGate extends tfl.layers.Layer {
  static readonly className = 'FdlChannelGate';

  readonly trainingMode: GateTrainingMode;
  readonly inferenceMode: GateInferenceMode;
  readonly threshold: number;
  readonly seed: number | undefined;
  readonly lambda: number;
  readonly regularizerReduction: GateRegularizerReduction;
  readonly returnMask: boolean;
  readonly momentum: number;
  readonly epsilon: number;
  readonly offBias: number;
  readonly onBias: number;
  readonly projectionStandardDeviation: number;
  private temperature: number;
  readonly temperatureSchedule: TemperatureSchedule | undefined;
  private callCount = 0;
  private trainingCalls = 0;
  private gateVariables: tfl.LayerVariable[] = [];
  private mostRecentMask: tf.Tensor2D | undefined;

  constructor(options: ChannelGateOptions = {}) {
    super(options);
    const defaults = CHANNEL_GATE_DEFAULTS;
    this.trainingMode = options.trainingMode ?? defaults.trainingMode;
    this.inferenceMode = options.inferenceMode ?? defaults.inferenceMode;
    this.temperature = options.tau ?? defaults.tau;
    this.temperatureSchedule = options.temperatureSchedule;
    // Validates the schedule now rather than at the first training call.
    if (this.temperatureSchedule !== undefined) temperatureAt(this.temperatureSchedule, 0);
    this.threshold = options.threshold ?? defaults.threshold;
    this.seed = options.seed;
    this.lambda = options.lambda ?? defaults.lambda;
    this.regularizerReduction = options.regularizerReduction ?? defaults.regularizerReduction;
    this.returnMask = options.returnMask ?? defaults.returnMask;
    this.momentum = options.momentum ?? defaults.momentum;
    this.epsilon = options.epsilon ?? defaults.epsilon;
    this.offBias = options.offBias ?? defaults.offBias;
    this.onBias = options.onBias ?? defaults.onBias;
    this.projectionStandardDeviation =
      options.projectionStandardDeviation ?? defaults.projectionStandardDeviation;
    if (this.trainingMode !== 'hard' && this.trainingMode !== 'soft') {
      throw new ArgumentError(
        'ChannelGate',
        'options.trainingMode',
        `must be 'hard' or 'soft', got '${this.trainingMode}'`,
      );
    }
    if (!['argmax', 'threshold', 'stochastic'].includes(this.inferenceMode)) {
      throw new ArgumentError(
        'ChannelGate',
        'options.inferenceMode',
        `must be 'argmax', 'threshold' or 'stochastic', got '${this.inferenceMode}'`,
      );
    }
    requirePositive('ChannelGate', 'options.tau', this.temperature);
    requireInRange('ChannelGate', 'options.threshold', this.threshold, 0, 1);
    requireNonNegative('ChannelGate', 'options.lambda', this.lambda);
    requireInRange('ChannelGate', 'options.momentum', this.momentum, 0, 1);
    requirePositive('ChannelGate', 'options.epsilon', this.epsilon);
    this.supportsMasking = false;
  }

  /** Current Gumbel temperature. */
  get tau(): number {
    return this.temperature;
  }

  /** Number of training calls so far (the step of `temperatureSchedule`). */
  get trainingStep(): number {
    return this.trainingCalls;
  }

  /** Sets the training-call counter, e.g. to resume an annealed run at its step. */
  setTrainingStep(step: number): void {
    requireInteger('ChannelGate.setTrainingStep', 'step', step, 0);
    this.trainingCalls = step;
  }

  /** Sets the Gumbel temperature for the following calls (e.g. `temperatureAt(schedule, step)`). */
  setTemperature(tau: number): void {
    requirePositive('ChannelGate.setTemperature', 'tau', tau);
    this.temperature = tau;
  }

  /**
   * The mask [batch, C] of the most recent call, while that tensor is alive (inside the same tidy or
   * training step), otherwise undefined. Not owned by the caller.
   */
  get lastMask(): tf.Tensor2D | undefined {
    return this.mostRecentMask === undefined || this.mostRecentMask.isDisposed
      ? undefined
      : this.mostRecentMask;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const channels = shape[shape.length - 1];
    if (shape.length !== 4 || channels == null) {
      throw new ArgumentError(
        'ChannelGate.build',
        'inputShape',
        `must be [batch, H, W, C] with a known C, got [${shape.map((size) => size ?? 'null').join(', ')}]`,
      );
    }
    const initial = initialGateWeightValues(channels, {
      seed: this.seed,
      offBias: this.offBias,
      onBias: this.onBias,
      projectionStandardDeviation: this.projectionStandardDeviation,
    });
    const shapes = {
      squeezeKernel: [channels, channels],
      projectionKernel: [channels, 2],
      projectionBias: [channels, 2],
    };
    this.gateVariables = FIELDS.map((field, i) => {
      const weightShape = shapes[field as keyof typeof shapes] ?? [channels];
      const trainable = field !== 'normMovingMean' && field !== 'normMovingVariance';
      const variable = this.addWeight(
        CHANNEL_GATE_WEIGHT_NAMES[i],
        weightShape,
        'float32',
        tfl.initializers.zeros(),
        undefined,
        trainable,
      );
      const value = tf.tensor(initial[field], weightShape, 'float32');
      variable.write(value);
      value.dispose();
      return variable;
    });
    if (this.lambda > 0) {
      this.addLoss(() => {
        const mask = this.lastMask;
        return mask === undefined
          ? tf.scalar(0)
          : gateRegularizer(mask, { lambda: this.lambda, reduction: this.regularizerReduction });
      });
    }
    this.built = true;
  }

  /** The layer's variables as {@link GateWeights} (live views: do not dispose them). */
  gateWeights(): GateWeights {
    if (!this.built) {
      throw new ArgumentError(
        'ChannelGate.gateWeights',
        'this',
        'is not built yet: call the layer or build() first',
      );
    }
    // LayerVariable.read() returns the underlying tf.Variable (typed as Tensor).
    const read = (i: number) => this.gateVariables[i].read() as tf.Variable;
    return {
      channels: this.gateVariables[0].shape[0] as number,
      squeezeKernel: read(0),
      squeezeBias: read(1),
      normGamma: read(2),
      normBeta: read(3),
      normMovingMean: read(4),
      normMovingVariance: read(5),
      projectionKernel: read(6),
      projectionBias: read(7),
    };
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return this.returnMask ? [shape, [shape[0], shape[shape.length - 1]]] : shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (input.rank !== 4) {
      throw new ArgumentError(
        'ChannelGate.call',
        'inputs',
        `must be [batch, H, W, C], got shape ${formatShape(input.shape)}`,
      );
    }
    const training = kwargs?.training === true;
    const seed = this.seed === undefined ? undefined : deriveSeed(this.seed, this.callCount);
    this.callCount++;
    if (training && this.temperatureSchedule !== undefined) {
      this.temperature = temperatureAt(this.temperatureSchedule, this.trainingCalls);
    }
    if (training) this.trainingCalls++;
    const result = gateForward(this.gateWeights(), input, {
      training,
      mode: training ? this.trainingMode : this.inferenceMode,
      tau: this.temperature,
      threshold: this.threshold,
      seed,
      momentum: this.momentum,
      epsilon: this.epsilon,
    });
    tf.dispose([result.logits, result.probabilities]);
    this.mostRecentMask = result.mask;
    return this.returnMask ? [result.output, result.mask] : result.output;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      trainingMode: this.trainingMode,
      inferenceMode: this.inferenceMode,
      tau: this.temperature,
      threshold: this.threshold,
      lambda: this.lambda,
      regularizerReduction: this.regularizerReduction,
      returnMask: this.returnMask,
      momentum: this.momentum,
      epsilon: this.epsilon,
      offBias: this.offBias,
      onBias: this.onBias,
      projectionStandardDeviation: this.projectionStandardDeviation,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    if (this.temperatureSchedule !== undefined) {
      config.temperatureSchedule = { ...this.temperatureSchedule } as unknown as tf.serialization.ConfigDict;
    }
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(ChannelGate);

/** Factory of the {@link ChannelGate} layer, in the style of `tf.layers.*`. */
export function channelGate(options: ChannelGateOptions = {}): ChannelGate {
  return new ChannelGate(options);
}
