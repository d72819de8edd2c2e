import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { decodeNpy, encodeNpy } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';
import type { ClassifyConfig } from '../config/schema.js';
import { prepareImageBatch } from '../data/training-data.js';
import { inputError } from '../errors.js';
import { type LoadedModel, loadTrainedModel } from '../model/load-trained-model.js';
import { selectBackend } from '../runtime/backend.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff', '.ppm', '.pgm']);

export interface PredictCommandOptions {
  weights: string;
  /** Image files, folders (their images, sorted) or .npy model inputs ([H, W, C] or [N, H, W, C] float32). */
  inputs: string[];
  topK?: number;
  /** Write the raw logits [N, numClasses] float32 as .npy. */
  saveLogits?: string | null;
  classes?: string[] | null;
  useEma?: boolean;
  log?: (line: string) => void;
}

export interface Prediction {
  input: string;
  top: { class: string; index: number; probability: number; logit: number }[];
}

/** Expands folders into their image files (sorted); keeps files and .npy paths as given. */
export function expandInputs(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw inputError(`predict: input '${input}' does not exist`, { path: input });
    if (statSync(input).isDirectory()) {
      const files = readdirSync(input)
        .filter((name) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase()))
        .sort()
        .map((name) => join(input, name));
      if (files.length === 0)
        throw inputError(`predict: folder '${input}' holds no image files`, { path: input });
      out.push(...files);
    } else {
      out.push(input);
    }
  }
  return out;
}

/** Runs the model on images or ready inputs and returns the top-k classes with softmax probabilities. */
export async function predictCommand(
  config: ClassifyConfig,
  options: PredictCommandOptions,
): Promise<Prediction[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const paths = expandInputs(options.inputs);
  await selectBackend(config.backend, { training: false, threads: config.threads, log });
  const loaded = loadTrainedModel(options.weights, {
    config,
    classes: options.classes,
    useEma: options.useEma,
  });
  try {
    const topK = Math.min(options.topK ?? 5, loaded.classes.length);
    const predictions: Prediction[] = [];
    const allLogits: number[] = [];
    const npyPaths = paths.filter((p) => extname(p).toLowerCase() === '.npy');
    const imagePaths = paths.filter((p) => extname(p).toLowerCase() !== '.npy');
    const groups: { names: string[]; inputs: Float32Array; shape: [number, number, number, number] }[] = [];
    for (const path of npyPaths) groups.push(readNpyInput(path));
    for (let i = 0; i < imagePaths.length; i += 16) {
      const chunk = imagePaths.slice(i, i + 16);
      const batch = await prepareImageBatch(loaded.config, loaded.channels, chunk);
      groups.push({ names: chunk, inputs: batch.inputs, shape: batch.shape });
    }
    for (const group of groups) {
      const logits = runLogits(loaded, group.inputs, group.shape);
      const k = loaded.classes.length;
      group.names.forEach((name, n) => {
        const row = Array.from(logits.subarray(n * k, (n + 1) * k));
        allLogits.push(...row);
        predictions.push({ input: name, top: topClasses(row, loaded.classes, topK) });
      });
    }
    if (options.saveLogits) {
      const array = {
        shape: [predictions.length, loaded.classes.length],
        data: Float32Array.from(allLogits),
      };
      writeFileSync(options.saveLogits, encodeNpy(array));
      log(`wrote logits [${array.shape}] to ${options.saveLogits}`);
    }
    return predictions;
  } finally {
    loaded.model.dispose();
  }
}

function readNpyInput(path: string): {
  names: string[];
  inputs: Float32Array;
  shape: [number, number, number, number];
} {
  // a plain Uint8Array copy: decodeNpy's slice() of a Node Buffer would view the whole pooled buffer
  const array = decodeNpy(new Uint8Array(readFileSync(path)));
  if (array.dtype !== 'float32' || (array.shape.length !== 3 && array.shape.length !== 4)) {
    throw inputError(
      `predict: '${path}' must hold a float32 model input [H, W, C] or [N, H, W, C], got ${array.dtype} [${array.shape}]`,
      { path, shape: array.shape },
    );
  }
  const shape = (array.shape.length === 3 ? [1, ...array.shape] : array.shape) as [
    number,
    number,
    number,
    number,
  ];
  const names = shape[0] === 1 ? [path] : Array.from({ length: shape[0] }, (_, i) => `${path}[${i}]`);
  return { names, inputs: array.data as Float32Array, shape };
}

/** Logits of the model for one input batch; leaves no tensors. */
export function runLogits(
  loaded: LoadedModel,
  inputs: Float32Array,
  shape: [number, number, number, number],
): Float32Array {
  const logits = tf.tidy(() => loaded.model.forward(tf.tensor4d(inputs, shape), { training: false }).logits);
  const values = logits.dataSync() as Float32Array;
  logits.dispose();
  return values;
}

/** Top-k classes by logit with softmax probabilities (computed in float64). */
export function topClasses(
  logits: readonly number[],
  classes: readonly string[],
  k: number,
): Prediction['top'] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return logits
    .map((logit, index) => ({ class: classes[index], index, probability: exps[index] / total, logit }))
    .sort((a, b) => b.logit - a.logit || a.index - b.index)
    .slice(0, k);
}
