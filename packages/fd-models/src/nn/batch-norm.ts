import { ArgumentError } from '@fdl/dct-core';
import { batchNormTraining } from '@fdl/tfjs-wasm-train';
import * as tf from '@tensorflow/tfjs-core';
import { constantInit } from './init.js';
import type { Scope } from './parameter-store.js';
import type { ImageShape, ShapeTrace } from './trace.js';

/** torchvision's BatchNorm2d defaults. */
export const BATCH_NORM_DEFAULTS = Object.freeze({ epsilon: 1e-5, momentum: 0.1 });

interface PendingStatistics {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  /** Number of values per channel (batch * H * W), for torch's unbiased running variance. */
  count: number;
}

/**
 * torch `nn.BatchNorm2d` on NHWC tensors. Parameters `<name>.weight`, `<name>.bias`; buffers
 * `<name>.running_mean`, `<name>.running_var` (torch's `num_batches_tracked` is not kept).
 *
 * Training mode normalizes with the batch mean and biased variance, as torch does, and queues the
 * running-average update: `running = (1 - momentum) * running + momentum * batch`, with the unbiased
 * batch variance for `running_var`. The update is applied by `applyPendingUpdates()` after the
 * optimizer step (outside any gradient tape), which disposes the queued statistics.
 * Frozen mode (torchvision FrozenBatchNorm2d) always uses the running statistics.
 */
export class BatchNorm2d {
  readonly name: string;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  /** When true, training mode behaves like eval mode (statistics frozen). */
  frozen = false;
  private readonly pending: PendingStatistics[] = [];

  constructor(
    scope: Scope,
    readonly channels: number,
    readonly epsilon = BATCH_NORM_DEFAULTS.epsilon,
    readonly momentum = BATCH_NORM_DEFAULTS.momentum,
  ) {
    this.name = scope.prefix;
    const shape = [channels];
    this.weight = scope.store.add(scope.name('weight'), 'vector', shape, constantInit('vector', shape, 1));
    this.bias = scope.store.add(scope.name('bias'), 'vector', shape, constantInit('vector', shape, 0));
    this.runningMean = scope.store.add(
      scope.name('running_mean'),
      'vector',
      shape,
      constantInit('vector', shape, 0),
      true,
    );
    this.runningVar = scope.store.add(
      scope.name('running_var'),
      'vector',
      shape,
      constantInit('vector', shape, 1),
      true,
    );
  }

  /** `x`: [batch, H, W, channels]. */
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training || this.frozen) {
      return tf.batchNorm4d(
        x,
        this.runningMean as tf.Tensor1D,
        this.runningVar as tf.Tensor1D,
        this.bias as tf.Tensor1D,
        this.weight as tf.Tensor1D,
        this.epsilon,
      );
    }
    const [batch, height, width] = x.shape;
    if (batch * height * width <= 1) {
      // As torch: a single value per channel has no variance to normalise with.
      throw new ArgumentError(
        'BatchNorm2d',
        'x',
        `needs more than one value per channel in training mode, got shape [${x.shape}] (${this.name})`,
      );
    }
    // One differentiable op with a closed-form gradient (@fdl/tfjs-wasm-train): keeps only x for the
    // backward pass instead of tfjs' centred and squared copies; returns the batch mean and biased
    // variance as kept tensors, which are queued here and disposed in applyPendingUpdates().
    const { output, mean, variance } = batchNormTraining(
      x,
      this.weight as tf.Tensor1D,
      this.bias as tf.Tensor1D,
      {
        epsilon: this.epsilon,
      },
    );
    this.pending.push({ mean, variance, count: batch * height * width });
    return output;
  }

  /**
   * The running statistics as a per-channel affine map, `scale = weight / sqrt(running_var + eps)` and
   * `shift = bias - running_mean * scale`, for folding into the preceding convolution.
   */
  foldedAffine(): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
    return tf.tidy(() => {
      const scale = tf.mul(this.weight, tf.rsqrt(tf.add(this.runningVar, this.epsilon))) as tf.Tensor1D;
      const shift = tf.sub(this.bias, tf.mul(this.runningMean, scale)) as tf.Tensor1D;
      return { scale, shift };
    });
  }

  /** Number of training-mode forwards whose statistics have not been applied yet. */
  get pendingUpdates(): number {
    return this.pending.length;
  }

  /** Folds every queued batch statistic into the running averages, in forward order. */
  applyPendingUpdates(): void {
    for (const { mean, variance, count } of this.pending.splice(0)) {
      const m = this.momentum;
      const correction = count > 1 ? count / (count - 1) : 1;
      tf.tidy(() => {
        this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
        this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, m * correction)));
      });
      mean.dispose();
      variance.dispose();
    }
  }

  /** Drops queued statistics without applying them. */
  discardPendingUpdates(): void {
    for (const { mean, variance } of this.pending.splice(0)) {
      mean.dispose();
      variance.dispose();
    }
  }

  trace(input: ImageShape, trace: ShapeTrace): ImageShape {
    return trace.record({
      name: this.name,
      type: this.frozen ? 'FrozenBatchNorm2d' : 'BatchNorm2d',
      inputShape: input,
      outputShape: input,
      parameters: 2 * this.channels,
      multiplyAdds: 0,
    });
  }
}
