import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gateRegularizer } from '@fdl/channel-gate';
import { Random } from '@fdl/dct-core';
import type { Backbone } from '@fdl/fd-models';
import * as tf from '@tensorflow/tfjs-core';
import type { ClassifyConfig } from '../config/schema.js';
import type { TrainingData } from '../data/batches.js';
import { ClassificationMetrics } from '../evaluation/classification-metrics.js';
import { type EvaluationResult, evaluateModel } from '../evaluation/evaluate-model.js';
import { renderTrainingCurves } from '../plots/training-curves.js';
import { AdamWOptimizer } from './adamw-optimizer.js';
import { readCheckpoint } from './checkpoint-file.js';
import { CheckpointManager } from './checkpoint-manager.js';
import { assertFiniteTraining } from './divergence-guard.js';
import { GradientAccumulator } from './gradient-accumulator.js';
import { clipGradientsByGlobalNorm } from './gradient-clipping.js';
import type { InterruptFlag } from './interrupt.js';
import { labelSmoothingCrossEntropy } from './label-smoothing-loss.js';
import { type LearningRateScheduleOptions, learningRateAt } from './learning-rate-schedule.js';
import { MetricsLog } from './metrics-log.js';
import type { Optimizer } from './optimizer.js';
import type { NamedGradients, NamedParameter } from './parameters.js';
import { EpochProgress } from './progress.js';
import { SgdOptimizer } from './sgd-optimizer.js';
import {
  buildCheckpoint,
  CHECKPOINT_FORMAT,
  loadModelVariables,
  readTrainingMetadata,
  restoreTrainingState,
  type TrainingMetadata,
} from './training-state.js';
import { WeightEma } from './weight-ema.js';

/** State-dict prefix of the channel gate's parameters in fd-models networks (official DCTNet names). */
export const GATE_PARAMETER_PREFIX = 'inp_GM.';

export interface TrainerSetup {
  config: ClassifyConfig;
  model: Backbone;
  data: TrainingData;
  /** Run folder: logs, curves and `checkpoints/` go here. */
  folder: string;
  /** Resolved DCT channel indices (stored in checkpoints), null for RGB. */
  channels: number[] | null;
  /** Checkpoint to resume from (`last.fdlckpt` of an earlier run). */
  resumeFrom?: string | null;
  interrupt?: InterruptFlag | null;
  log?: (line: string) => void;
}

export interface TrainingResult {
  stoppedBy: 'completed' | 'interrupt';
  epochsCompleted: number;
  globalStep: number;
  /** Validation result of the last completed epoch (EMA weights when EMA is on), null if none ran. */
  lastEvaluation: EvaluationResult | null;
  lastCheckpoint: string | null;
  bestCheckpoint: string | null;
  curvesPath: string;
  epochLogPath: string;
  /** Training throughput of the last epoch (forward + backward + update), or null. */
  trainImagesPerSecond: number | null;
}

/** Builds the optimizer the config asks for. */
export function createOptimizer(config: ClassifyConfig): Optimizer {
  const o = config.optimizer;
  return o.kind === 'sgd'
    ? new SgdOptimizer({
        momentum: o.momentum,
        nesterov: o.nesterov,
        weightDecay: o.weightDecay,
        excludeNormAndBiasFromDecay: o.excludeNormAndBiasFromDecay,
      })
    : new AdamWOptimizer({
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        weightDecay: o.weightDecay,
        excludeNormAndBiasFromDecay: o.excludeNormAndBiasFromDecay,
      });
}

/** Optimizer steps per epoch for a training set size. */
export function stepsPerEpoch(config: ClassifyConfig, trainSize: number): number {
  const batches = Math.ceil(trainSize / config.train.batchSize);
  const steps = Math.max(1, Math.ceil(batches / config.train.accumulationSteps));
  return config.train.maxStepsPerEpoch === null ? steps : Math.min(steps, config.train.maxStepsPerEpoch);
}

/**
 * The training loop: label-smoothed cross-entropy (+ lambda * gate usage), gradient accumulation and
 * clipping, SGD/AdamW with a per-step schedule, weight EMA, a NaN/Inf guard, JSONL/CSV logs, curves,
 * atomic checkpoints (last + best N) every epoch and on interrupt, and exact resume.
 */
export class Trainer {
  private readonly setup: TrainerSetup;
  private readonly config: ClassifyConfig;
  private readonly model: Backbone;
  private readonly parameters: NamedParameter[];
  private readonly parameterNameOfVariable: Map<string, string>;
  private readonly optimizer: Optimizer;
  private readonly ema: WeightEma | null;
  private readonly accumulator: GradientAccumulator;
  private readonly checkpoints: CheckpointManager;
  private readonly epochLog: MetricsLog;
  private readonly stepLog: MetricsLog;
  private readonly schedule: LearningRateScheduleOptions;
  private readonly stepsPerEpoch: number;
  private readonly log: (line: string) => void;
  private rng: Random;
  private epoch = 0;
  private batchesDone = 0;
  private globalStep = 0;
  private lastGoodCheckpoint: string | null = null;
  private lastMetrics: Record<string, number | null> = {};
  /** Open gate channels per image of the latest micro-batch, for the step log. */
  private pendingGateChannels: number | null = null;

  constructor(setup: TrainerSetup) {
    this.setup = setup;
    this.config = setup.config;
    this.model = setup.model;
    this.log = setup.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.parameters = [...this.model.trainableVariables()].map(([name, variable]) => ({ name, variable }));
    this.parameterNameOfVariable = new Map(this.parameters.map((p) => [p.variable.name, p.name]));
    this.optimizer = createOptimizer(this.config);
    const e = this.config.train.ema;
    this.ema = e.enabled
      ? new WeightEma(Object.fromEntries(this.model.variables()), { decay: e.decay, warmup: e.warmup })
      : null;
    this.accumulator = new GradientAccumulator(this.config.train.accumulationSteps);
    this.checkpoints = new CheckpointManager(join(setup.folder, 'checkpoints'), {
      keepBest: this.config.train.keepBest,
    });
    this.epochLog = new MetricsLog(join(setup.folder, 'epochs'));
    this.stepLog = new MetricsLog(join(setup.folder, 'steps'));
    this.stepsPerEpoch = stepsPerEpoch(this.config, setup.data.trainSize);
    const s = this.config.schedule;
    this.schedule = {
      kind: s.kind,
      baseLearningRate: this.config.optimizer.learningRate,
      totalSteps: this.config.train.epochs * this.stepsPerEpoch,
      stepsPerEpoch: this.stepsPerEpoch,
      warmupSteps: Math.round(s.warmupEpochs * this.stepsPerEpoch),
      warmupStartFactor: s.warmupStartFactor,
      minLearningRate: s.minLearningRate,
      gamma: s.gamma,
      stepEpochs: s.stepEpochs,
      milestones: s.milestones,
    };
    this.rng = new Random(this.config.seed);
    if (setup.resumeFrom) this.resume(setup.resumeFrom);
  }

  private resume(path: string): void {
    const payload = readCheckpoint(path);
    const metadata = readTrainingMetadata(payload, path);
    loadModelVariables(this.model.variables(), payload.tensors, path);
    restoreTrainingState(payload, metadata, this.optimizer, this.ema, path);
    this.epoch = metadata.epoch;
    this.batchesDone = metadata.batchesDone;
    this.globalStep = metadata.globalStep;
    this.rng = Random.fromState(metadata.rng);
    this.lastGoodCheckpoint = path;
    this.log(
      `resumed from ${path}: ${metadata.epoch} epochs done` +
        (metadata.batchesDone > 0
          ? ` + ${metadata.batchesDone} batches of epoch ${metadata.epoch + 1}`
          : '') +
        `, step ${metadata.globalStep}`,
    );
  }

  async run(): Promise<TrainingResult> {
    const { config } = this;
    const totalEpochs = config.train.epochs;
    let lastEvaluation: EvaluationResult | null = null;
    let stoppedBy: TrainingResult['stoppedBy'] = 'completed';
    this.log(
      `training ${totalEpochs} epochs x ${this.stepsPerEpoch} steps (batch ${config.train.batchSize}` +
        `${config.train.accumulationSteps > 1 ? ` x ${config.train.accumulationSteps} accumulated` : ''}, ` +
        `${this.setup.data.trainSize} train / ${this.setup.data.evalSize} val images)`,
    );
    try {
      while (this.epoch < totalEpochs) {
        const interrupted = await this.trainEpoch();
        if (interrupted) {
          stoppedBy = 'interrupt';
          break;
        }
        lastEvaluation = await this.endEpoch();
      }
    } finally {
      this.accumulator.dispose();
    }
    const curvesPath = this.writeCurves();
    return {
      stoppedBy,
      epochsCompleted: this.epoch,
      globalStep: this.globalStep,
      lastEvaluation,
      lastCheckpoint: this.lastGoodCheckpoint,
      bestCheckpoint: this.checkpoints.bestPath(),
      curvesPath,
      epochLogPath: this.epochLog.csvPath,
      trainImagesPerSecond: (this.lastMetrics.train_images_per_second as number | undefined) ?? null,
    };
  }

  /** Trains one epoch (or its remainder after a resume); returns true when interrupted. */
  private async trainEpoch(): Promise<boolean> {
    const { config } = this;
    const skip = this.batchesDone;
    const microBatches = this.stepsPerEpoch * config.train.accumulationSteps;
    const progress = new EpochProgress(`epoch ${this.epoch + 1}/${config.train.epochs}`, microBatches, {
      bar: config.train.progress,
    });
    const trainMetrics = new ClassificationMetrics(this.setup.data.classes.length);
    const started = performance.now();
    let batchIndex = 0;
    let stepsThisEpoch = Math.floor(skip / config.train.accumulationSteps);
    let images = 0;
    try {
      for await (const batch of this.setup.data.trainBatches(this.epoch)) {
        if (batchIndex < skip) {
          batchIndex++;
          continue;
        }
        if (stepsThisEpoch >= this.stepsPerEpoch) break;
        const learningRate = learningRateAt(this.globalStep, this.schedule);
        const result = this.forwardBackward(batch.inputs, batch.shape, batch.labels, learningRate);
        trainMetrics.add(result.logits, batch.labels, result.loss);
        images += batch.labels.length;
        batchIndex++;
        if (this.accumulator.add(result.gradients)) {
          tf.dispose(Object.values(result.gradients));
          this.optimizerStep(learningRate, result);
          stepsThisEpoch++;
        } else {
          tf.dispose(Object.values(result.gradients));
        }
        progress.tick(batch.labels.length, result.loss);
        if (this.setup.interrupt?.isRequested && this.accumulator.pending === 0) {
          this.batchesDone = batchIndex;
          const path = this.saveCheckpoint('interrupt');
          this.log(`interrupted: checkpoint written to ${path} (resume with --resume ${path})`);
          return true;
        }
      }
      if (this.accumulator.pending > 0) {
        // an epoch that does not divide into whole accumulation groups still applies its last gradients
        this.optimizerStep(learningRateAt(this.globalStep, this.schedule), null);
      }
    } finally {
      progress.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const summary = trainMetrics.summary();
    this.lastMetrics = {
      train_loss: summary.meanLoss,
      train_top1: summary.top1,
      train_images_per_second: images / Math.max(seconds, 1e-9),
      train_seconds: seconds,
    };
    return false;
  }

  private forwardBackward(
    inputs: Float32Array,
    shape: [number, number, number, number],
    labels: Int32Array,
    learningRate: number,
  ): { loss: number; gateChannels: number | null; logits: Float32Array; gradients: NamedGradients } {
    const { config } = this;
    const kept: { logits?: tf.Tensor; mask?: tf.Tensor } = {};
    const variables = this.parameters.map((p) => p.variable);
    // the gate's Gumbel noise is seeded from the run's generator, whose state the checkpoints keep
    const gateSeed = this.config.gate.enabled ? this.rng.nextUint32() : 0;
    const { value, grads } = tf.variableGrads(() => {
      const x = tf.tensor4d(inputs, shape);
      const y = tf.tensor1d(labels, 'int32');
      const out = this.model.forward(x, { training: true, gate: { seed: gateSeed } });
      kept.logits = tf.keep(out.logits);
      let loss = labelSmoothingCrossEntropy(out.logits, y, config.train.labelSmoothing);
      if (out.gate) {
        kept.mask = tf.keep(out.gate.mask);
        loss = tf.add(loss, gateRegularizer(out.gate.mask, { lambda: config.gate.lambda }));
      }
      return loss;
    }, variables);
    const loss = value.dataSync()[0];
    // copied before the tensor is disposed (some backends hand out their own storage)
    const logits = Float32Array.from(kept.logits!.dataSync() as Float32Array);
    let gateChannels: number | null = null;
    if (kept.mask) {
      const sum = tf.tidy(() => tf.sum(kept.mask!));
      gateChannels = sum.dataSync()[0] / shape[0];
      sum.dispose();
    }
    tf.dispose([value, kept.logits!, ...(kept.mask ? [kept.mask] : [])]);
    const gradients: NamedGradients = {};
    for (const [variableName, gradient] of Object.entries(grads)) {
      gradients[this.parameterNameOfVariable.get(variableName) ?? variableName] = gradient;
    }
    try {
      assertFiniteTraining({ loss }, this.divergenceContext(learningRate));
    } catch (error) {
      this.model.discardBatchNormUpdates();
      tf.dispose(Object.values(gradients));
      throw error;
    }
    this.model.applyBatchNormUpdates();
    this.pendingGateChannels = gateChannels;
    return { loss, gateChannels, logits, gradients };
  }

  private optimizerStep(learningRate: number, last: { loss: number } | null): void {
    const mean = this.accumulator.takeMean();
    const clipped = clipGradientsByGlobalNorm(mean, this.config.train.clipGradientNorm);
    try {
      assertFiniteTraining(
        { loss: last?.loss ?? 0, gradientNorm: clipped.norm },
        this.divergenceContext(learningRate),
      );
      const gateScale = this.config.gate.learningRateScale;
      this.optimizer.apply(this.parameters, clipped.gradients, learningRate, (p) =>
        p.name.startsWith(GATE_PARAMETER_PREFIX) ? gateScale : 1,
      );
    } finally {
      tf.dispose(Object.values(mean));
      if (clipped.clipped) tf.dispose(Object.values(clipped.gradients));
    }
    this.globalStep += 1;
    this.ema?.update(Object.fromEntries(this.model.variables()));
    this.stepLog.append({
      step: this.globalStep,
      epoch: this.epoch + 1,
      lr: learningRate,
      loss: last?.loss ?? null,
      // with a gate the loss is cross-entropy + lambda * open channels per image (gateRegularizer, 'sum')
      gate_penalty:
        this.pendingGateChannels === null ? null : this.config.gate.lambda * this.pendingGateChannels,
      gradient_norm: clipped.norm,
      gate_channels: this.pendingGateChannels,
    });
  }

  private divergenceContext(learningRate: number) {
    return {
      epoch: this.epoch + 1,
      step: this.globalStep + 1,
      learningRate,
      lastGoodCheckpoint: this.lastGoodCheckpoint,
    };
  }

  private async endEpoch(): Promise<EvaluationResult> {
    const { config } = this;
    const evaluation = await this.evaluate();
    let emaEvaluation: EvaluationResult | null = null;
    if (this.ema) emaEvaluation = await this.withEmaWeights(() => this.evaluate());
    this.epoch += 1;
    this.batchesDone = 0;
    const record: Record<string, number | null> = {
      epoch: this.epoch,
      step: this.globalStep,
      lr: learningRateAt(Math.max(0, this.globalStep - 1), this.schedule),
      ...this.lastMetrics,
      val_loss: evaluation.meanLoss,
      val_top1: evaluation.top1,
      val_top5: evaluation.top5,
      val_top1_ema: emaEvaluation?.top1 ?? null,
      val_gate_channels: evaluation.gateChannels,
      val_images_per_second: evaluation.imagesPerSecond,
      input_bytes_per_image: evaluation.inputBytesPerImage,
    };
    this.lastMetrics = record;
    this.epochLog.append(record);
    const score = (emaEvaluation ?? evaluation).top1;
    this.saveCheckpoint('epoch', score);
    this.writeCurves();
    this.log(
      `epoch ${this.epoch}/${config.train.epochs}: train loss ${fmt(record.train_loss)} top-1 ${pct(record.train_top1)} | ` +
        `val loss ${fmt(evaluation.meanLoss)} top-1 ${pct(evaluation.top1)} top-5 ${pct(evaluation.top5)}` +
        (emaEvaluation ? ` (ema top-1 ${pct(emaEvaluation.top1)})` : '') +
        (evaluation.gateChannels !== null ? ` | gate ${evaluation.gateChannels.toFixed(1)} channels` : ''),
    );
    return emaEvaluation ?? evaluation;
  }

  private evaluate(): Promise<EvaluationResult> {
    return evaluateModel(this.model, this.setup.data.evalBatches(), {
      numClasses: this.setup.data.classes.length,
      maxSamples: this.config.train.maxEvalSamples,
    });
  }

  /** Runs `f` with the EMA weights swapped into the model, then restores the live weights. */
  private async withEmaWeights<T>(f: () => Promise<T>): Promise<T> {
    const variables = this.model.variables();
    const saved = new Map([...variables].map(([name, v]) => [name, tf.clone(v)]));
    const averages = this.ema!.stateDict();
    for (const [name, variable] of variables) variable.assign(averages[name]);
    try {
      return await f();
    } finally {
      for (const [name, variable] of variables) variable.assign(saved.get(name)!);
      tf.dispose([...saved.values()]);
    }
  }

  private saveCheckpoint(reason: TrainingMetadata['reason'], score?: number): string {
    const metadata: TrainingMetadata = {
      format: CHECKPOINT_FORMAT,
      version: 1,
      epoch: this.epoch,
      batchesDone: this.batchesDone,
      globalStep: this.globalStep,
      rng: this.rng.state(),
      optimizerKind: this.optimizer.kind,
      optimizerStep: this.optimizer.step,
      emaUpdates: this.ema?.updateCount ?? null,
      config: this.config as unknown as Record<string, unknown>,
      classes: this.setup.data.classes,
      channels: this.setup.channels,
      metrics: this.lastMetrics,
      written: new Date().toISOString(),
      reason,
    };
    const payload = buildCheckpoint({
      metadata,
      variables: this.model.variables(),
      optimizer: this.optimizer,
      ema: this.ema,
    });
    const path = this.checkpoints.saveLast(payload);
    this.lastGoodCheckpoint = path;
    if (score !== undefined) this.checkpoints.offerBest(payload, this.epoch, score);
    return path;
  }

  private writeCurves(): string {
    const path = join(this.setup.folder, 'curves.png');
    writeFileSync(path, renderTrainingCurves(this.epochLog.read(), this.stepLog.read()));
    return path;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.ema?.dispose();
    this.accumulator.dispose();
  }
}

function fmt(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(4) : '-';
}

function pct(value: number | null | undefined): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(2)}%` : '-';
}
