/** One batch as the model receives it. */
export interface ClassificationBatch {
  /** Row-major values of the model input. */
  inputs: Float32Array;
  /** [batch, H, W, C]: an RGB image batch or a DCT cube `[batch, H/8, W/8, channels]`. */
  shape: [number, number, number, number];
  /** [batch] class indices. */
  labels: Int32Array;
  paths: string[];
}

/** The data side of training: class names and deterministic batch streams. */
export interface TrainingData {
  classes: string[];
  /** Number of training samples. */
  trainSize: number;
  /** Number of validation samples. */
  evalSize: number;
  /** Training batches of epoch `epoch` (0-based), shuffled and augmented deterministically from (seed, epoch). */
  trainBatches(epoch: number): AsyncIterable<ClassificationBatch>;
  /** Validation batches in a fixed order, without augmentation. */
  evalBatches(): AsyncIterable<ClassificationBatch>;
  /** Files that could not be decoded and were skipped, with the reason. */
  skipped(): { path: string; reason: string }[];
  close(): Promise<void>;
}
