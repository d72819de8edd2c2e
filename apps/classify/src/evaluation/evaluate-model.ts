import type { Backbone } from '@fdl/fd-models';
import * as tf from '@tensorflow/tfjs-core';
import type { ClassificationBatch } from '../data/batches.js';
import { labelSmoothingCrossEntropy } from '../training/label-smoothing-loss.js';
import { ClassificationMetrics, type ClassificationSummary } from './classification-metrics.js';

export interface EvaluationResult extends ClassificationSummary {
  imagesPerSecond: number;
  seconds: number;
  /**
   * Bytes of the float32 tensor handed to the model per image (H * W * C * 4): the paper's
   * "normalized input size" compares this across RGB and DCT inputs.
   */
  inputBytesPerImage: number;
  /** [H, W, C] of one model input. */
  inputShape: [number, number, number];
  /** Mean number of open gate channels per image, or null without a gate. */
  gateChannels: number | null;
  /**
   * Per-channel selection counts of the gate in @fdl/channel-gate's `GateStatisticsJson` form (read it
   * with `GateStatistics.fromJSON`), or null without a gate.
   */
  gateStatistics: GateSelectionCounts | null;
}

/** `GateStatisticsJson` of @fdl/channel-gate: per channel, the summed mask values over `samples` images. */
export interface GateSelectionCounts {
  format: 'fdl-gate-statistics';
  version: 1;
  channels: number;
  samples: number;
  selectedSums: number[];
}

export interface EvaluateOptions {
  numClasses: number;
  /** Stop after this many samples (null: all). */
  maxSamples: number | null;
  /** Receives each batch's logits (e.g. to save raw logits); arrays are owned by the callee. */
  onLogits?: (logits: Float32Array, batch: ClassificationBatch) => void;
}

/**
 * Runs the model in inference mode over batches and accumulates top-1/top-5, per-class accuracy, the
 * confusion matrix, mean loss (plain cross-entropy), throughput and gate usage. Leaves no tensors behind.
 */
export async function evaluateModel(
  model: Backbone,
  batches: AsyncIterable<ClassificationBatch>,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const metrics = new ClassificationMetrics(options.numClasses);
  let gateStatistics: GateSelectionCounts | null = null;
  let inputShape: [number, number, number] = [0, 0, 0];
  let modelSeconds = 0;
  let seen = 0;
  for await (const batch of batches) {
    if (options.maxSamples !== null && seen >= options.maxSamples) break;
    inputShape = [batch.shape[1], batch.shape[2], batch.shape[3]];
    const started = performance.now();
    const { logits, loss, mask } = tf.tidy(() => {
      const x = tf.tensor4d(batch.inputs, batch.shape);
      const out = model.forward(x, { training: false });
      const labels = tf.tensor1d(batch.labels, 'int32');
      const result: { logits: tf.Tensor2D; loss: tf.Scalar; mask?: tf.Tensor2D } = {
        logits: out.logits,
        loss: labelSmoothingCrossEntropy(out.logits, labels, 0),
      };
      if (out.gate) result.mask = out.gate.mask;
      return result;
    });
    const logitValues = (await logits.data()) as Float32Array;
    const lossValue = (await loss.data())[0];
    modelSeconds += (performance.now() - started) / 1000;
    if (mask) {
      const [batchSize, channels] = mask.shape;
      gateStatistics ??= {
        format: 'fdl-gate-statistics',
        version: 1,
        channels,
        samples: 0,
        selectedSums: new Array(channels).fill(0),
      };
      const values = await mask.data();
      for (let i = 0; i < values.length; i++) gateStatistics.selectedSums[i % channels] += values[i];
      gateStatistics.samples += batchSize;
    }
    tf.dispose([logits, loss, ...(mask ? [mask] : [])]);
    metrics.add(logitValues, batch.labels, lossValue);
    options.onLogits?.(logitValues, batch);
    seen += batch.labels.length;
  }
  const summary = metrics.summary();
  return {
    ...summary,
    imagesPerSecond: modelSeconds > 0 ? summary.count / modelSeconds : 0,
    seconds: modelSeconds,
    inputBytesPerImage: inputShape[0] * inputShape[1] * inputShape[2] * 4,
    inputShape,
    gateChannels:
      gateStatistics && gateStatistics.samples > 0
        ? gateStatistics.selectedSums.reduce((a, b) => a + b, 0) / gateStatistics.samples
        : null,
    gateStatistics,
  };
}
