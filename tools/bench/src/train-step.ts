/**
 * Training-step and inference benchmark: DCT-ResNet-50 (C = 24, 64, 192 at 56x56), RGB ResNet-50 at
 * 224x224 and DCT-MobileNetV2 (C = 24 at 112x112) on tfjs `wasm` (with @fdl/tfjs-wasm-train's kernels)
 * and `cpu`, against PyTorch CPU (torch_train_step.py, run with /usr/bin/python3 when it has torch)
 * at the same thread count. Baseline: PyTorch CPU.
 *
 * Each (backend, model) configuration runs in its own child process, so peak memory (max RSS, and
 * the wasm heap) is per configuration. A training step is forward + backward + SGD (momentum 0.9)
 * update of softmax cross-entropy on random labels, batch 8; inference is a forward pass in eval
 * mode at batch 1 and 8. All timings are medians over repetitions after one warm-up.
 *
 * Run: cd tools/bench && node --conditions=@fdl/source --import tsx src/train-step.ts
 *   --quick           fewer repetitions
 *   --only <names>    comma-separated model names (dct-resnet50-c24, dct-resnet50-c64, dct-resnet50-c192,
 *                     resnet50-rgb224, dct-mobilenetv2-c24)
 *   --cpu-train       also time one cpu training step (batch 1) for every model (very slow: minutes each)
 *   --no-torch        skip PyTorch
 *   --threads <n>     thread count for PyTorch and wasm (default 1)
 *   --profile         per-kernel time of one wasm training step of the first model
 *   --models <m>      fd-models (default: @fdl/fd-models' createClassifier) or local (this file's
 *                     definitions, with @fdl/tfjs-wasm-train's memory-lean batchNormTraining)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { batchNormTraining, registerAllGradients } from '@fdl/tfjs-wasm-train';
import * as tf from '@tensorflow/tfjs-core';

// tfjs-core registers no gradients under plain Node: register them before any training step.
await registerAllGradients();

// ---------------------------------------------------------------------------------------------------
// Models (NHWC, torchvision geometry: explicit symmetric padding, stride on the 3x3 conv).

type Input = { kind: 'rgb' } | { kind: 'dct'; channels: number };
type Architecture = 'resnet50' | 'mobilenetv2';
/** Where the networks come from: @fdl/fd-models, or the definitions in this file. */
type ModelSource = 'fd-models' | 'local';

interface ModelSpec {
  readonly name: string;
  readonly architecture: Architecture;
  readonly input: Input;
  /** Spatial size of the network input. */
  readonly size: number;
}

const MODELS: readonly ModelSpec[] = [
  { name: 'dct-resnet50-c24', architecture: 'resnet50', input: { kind: 'dct', channels: 24 }, size: 56 },
  { name: 'dct-resnet50-c64', architecture: 'resnet50', input: { kind: 'dct', channels: 64 }, size: 56 },
  { name: 'dct-resnet50-c192', architecture: 'resnet50', input: { kind: 'dct', channels: 192 }, size: 56 },
  { name: 'resnet50-rgb224', architecture: 'resnet50', input: { kind: 'rgb' }, size: 224 },
  {
    name: 'dct-mobilenetv2-c24',
    architecture: 'mobilenetv2',
    input: { kind: 'dct', channels: 24 },
    size: 112,
  },
];
const NUM_CLASSES = 1000;

interface BenchModel {
  /** x [batch, size, size, channels] -> logits [batch, NUM_CLASSES] */
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  readonly trainable: tf.Variable[];
  /** Called after each optimizer step (fd-models folds BatchNorm statistics here). */
  afterStep(): void;
  readonly source: string;
}

/** Seeded parameter factory: He-normal convolutions, unit BatchNorm, small linear layer. */
class Parameters {
  readonly trainable: tf.Variable[] = [];
  private seed = 1;
  conv(kh: number, kw: number, ci: number, co: number): tf.Variable {
    const std = Math.sqrt(2 / (kh * kw * co));
    return this.add(tf.randomNormal([kh, kw, ci, co], 0, std, 'float32', this.seed++));
  }
  depthwise(k: number, c: number): tf.Variable {
    return this.add(tf.randomNormal([k, k, c, 1], 0, Math.sqrt(2 / (k * k)), 'float32', this.seed++));
  }
  linear(ci: number, co: number): [tf.Variable, tf.Variable] {
    return [this.add(tf.randomNormal([ci, co], 0, 0.01, 'float32', this.seed++)), this.add(tf.zeros([co]))];
  }
  batchNorm(c: number): BatchNormParameters {
    return {
      gamma: this.add(tf.ones([c])),
      beta: this.add(tf.zeros([c])),
      mean: tf.zeros([c]),
      variance: tf.ones([c]),
    };
  }
  private add(t: tf.Tensor): tf.Variable {
    const v = tf.variable(t);
    t.dispose();
    this.trainable.push(v);
    return v;
  }
}

interface BatchNormParameters {
  gamma: tf.Variable;
  beta: tf.Variable;
  /** Running statistics used in eval mode (not updated: this is a speed benchmark). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

function pads(p: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ];
}

type Activation = 'linear' | 'relu' | 'relu6';

/** BatchNorm (+ activation): training mode through batchNormTraining, which fuses the activation. */
function batchNorm(
  x: tf.Tensor4D,
  bn: BatchNormParameters,
  training: boolean,
  activation: Activation,
): tf.Tensor4D {
  if (training) {
    const { output, mean, variance } = batchNormTraining(x, bn.gamma as tf.Tensor1D, bn.beta as tf.Tensor1D, {
      activation,
    });
    tf.dispose([mean, variance]);
    return output;
  }
  const y = tf.batchNorm4d(x, bn.mean, bn.variance, bn.beta as tf.Tensor1D, bn.gamma as tf.Tensor1D, 1e-5);
  return activation === 'relu' ? tf.relu(y) : activation === 'relu6' ? tf.relu6(y) : y;
}

interface ConvBn {
  filter: tf.Variable;
  bn: BatchNormParameters;
  stride: number;
  pad: number;
  depthwise: boolean;
}

function convBn(p: Parameters, k: number, ci: number, co: number, stride: number, depthwise = false): ConvBn {
  return {
    filter: depthwise ? p.depthwise(k, ci) : p.conv(k, k, ci, co),
    bn: p.batchNorm(co),
    stride,
    pad: (k - 1) / 2,
    depthwise,
  };
}

function applyConvBn(x: tf.Tensor4D, layer: ConvBn, training: boolean, activation: Activation): tf.Tensor4D {
  const filter = layer.filter as tf.Tensor4D;
  const y = layer.depthwise
    ? tf.depthwiseConv2d(x, filter, layer.stride, pads(layer.pad))
    : tf.conv2d(x, filter, layer.stride, pads(layer.pad));
  return batchNorm(y, layer.bn, training, activation);
}

function buildResNet50(p: Parameters, input: Input): BenchModel['forward'] {
  const stem = input.kind === 'rgb' ? convBn(p, 7, 3, 64, 2) : undefined;
  let inChannels = input.kind === 'rgb' ? 64 : input.channels;
  const blocks: { a: ConvBn; b: ConvBn; c: ConvBn; down?: ConvBn }[] = [];
  [3, 4, 6, 3].forEach((count, stage) => {
    const width = 64 * 2 ** stage;
    for (let i = 0; i < count; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const block = {
        a: convBn(p, 1, inChannels, width, 1),
        b: convBn(p, 3, width, width, stride),
        c: convBn(p, 1, width, width * 4, 1),
        down: i === 0 ? convBn(p, 1, inChannels, width * 4, stride) : undefined,
      };
      blocks.push(block);
      inChannels = width * 4;
    }
  });
  const [fcWeight, fcBias] = p.linear(2048, NUM_CLASSES);
  return (x, training) => {
    let h = x;
    if (stem !== undefined) {
      h = applyConvBn(h, stem, training, 'relu');
      h = tf.maxPool(h, 3, 2, 1);
    }
    for (const block of blocks) {
      const identity: tf.Tensor4D = block.down ? applyConvBn(h, block.down, training, 'linear') : h;
      let y = applyConvBn(h, block.a, training, 'relu');
      y = applyConvBn(y, block.b, training, 'relu');
      y = applyConvBn(y, block.c, training, 'linear');
      h = tf.relu(tf.add(y, identity)) as tf.Tensor4D;
    }
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, fcWeight), fcBias);
  };
}

function buildMobileNetV2(p: Parameters, input: Input): BenchModel['forward'] {
  // The paper's DCT variant drops the stride-2 stem (features.0): the 112x112 cube feeds the first
  // inverted residual, whose depthwise conv then has C channels.
  const first = input.kind === 'rgb' ? convBn(p, 3, 3, 32, 2) : undefined;
  const settings = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  const blocks: { expand?: ConvBn; depthwise: ConvBn; project: ConvBn; residual: boolean }[] = [];
  let channels = input.kind === 'rgb' ? 32 : input.channels;
  for (const [t, c, n, s] of settings as [number, number, number, number][]) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = channels * t;
      blocks.push({
        expand: t === 1 ? undefined : convBn(p, 1, channels, hidden, 1),
        depthwise: convBn(p, 3, hidden, hidden, stride, true),
        project: convBn(p, 1, hidden, c, 1),
        residual: stride === 1 && channels === c,
      });
      channels = c;
    }
  }
  const last = convBn(p, 1, channels, 1280, 1);
  const [fcWeight, fcBias] = p.linear(1280, NUM_CLASSES);
  return (x, training) => {
    let h = first === undefined ? x : applyConvBn(x, first, training, 'relu6');
    for (const block of blocks) {
      let y = block.expand ? applyConvBn(h, block.expand, training, 'relu6') : h;
      y = applyConvBn(y, block.depthwise, training, 'relu6');
      y = applyConvBn(y, block.project, training, 'linear');
      h = block.residual ? tf.add(h, y) : y;
    }
    h = applyConvBn(h, last, training, 'relu6');
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, fcWeight), fcBias);
  };
}

/**
 * fd-models' classifier (`createClassifier`, variant 'paper') or the local definitions above
 * ('local': the same layer graph, with @fdl/tfjs-wasm-train's `batchNormTraining` in training mode).
 */
async function buildModel(spec: ModelSpec, source: ModelSource): Promise<BenchModel> {
  if (source === 'fd-models') {
    const { createClassifier } = await import('@fdl/fd-models');
    const model = createClassifier({
      architecture: spec.architecture,
      input: spec.input.kind === 'rgb' ? 'rgb' : { kind: 'dct', channels: spec.input.channels },
      numClasses: NUM_CLASSES,
    });
    return {
      forward: (x, training) => model.forward(x, { training }).logits as tf.Tensor2D,
      trainable: [...model.trainableVariables().values()],
      afterStep: () => model.applyBatchNormUpdates(),
      source: '@fdl/fd-models createClassifier',
    };
  }
  const p = new Parameters();
  const forward =
    spec.architecture === 'resnet50' ? buildResNet50(p, spec.input) : buildMobileNetV2(p, spec.input);
  return { forward, trainable: p.trainable, afterStep: () => {}, source: 'train-step.ts local definition' };
}

// ---------------------------------------------------------------------------------------------------
// Worker: one (backend, model) configuration in this process.

interface WorkerTask {
  backend: 'wasm' | 'cpu';
  model: string;
  models: ModelSource;
  threads: number;
  trainBatch: number;
  trainReps: number;
  inferReps: number;
  /** Skip training (cpu default: too slow). */
  train: boolean;
  /** Also time inference at batch 8 (skipped on cpu: ~10 s an image). */
  inferBatch8: boolean;
  profile: boolean;
}

interface WorkerResult {
  backend: string;
  model: string;
  source: string;
  threads: number;
  trainBatch: number;
  trainStepMs: number[] | null;
  /** Process CPU time (user + system) of each timed step: robust to other load on the machine. */
  trainStepCpuMs: number[] | null;
  trainImagesPerSecond: number | null;
  trainImagesPerCpuSecond: number | null;
  inferMsPerImageBatch1: number | null;
  inferMsPerImageBatch8: number | null;
  inferCpuMsPerImageBatch1: number | null;
  inferCpuMsPerImageBatch8: number | null;
  finalLoss: number | null;
  maxRssMiB: number;
  wasmHeapMiB: number | null;
  profile?: { kernel: string; totalMs: number; calls: number }[];
  /** Peak bytes of live tfjs tensors during the profiled step (tf.profile). */
  profilePeakMiB?: number;
  registeredKernels?: string[];
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runWorker(task: WorkerTask): Promise<WorkerResult> {
  let registeredKernels: string[] | undefined;
  if (task.backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    const { registerWasmTrainingKernels, setThreadedWasmBackend } = await import('@fdl/tfjs-wasm-train');
    registeredKernels = registerWasmTrainingKernels();
    // The multi-threaded build on `threads` threads (1: tf.setBackend('wasm')).
    await setThreadedWasmBackend({ threads: task.threads });
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend(task.backend);
  }
  await tf.ready();
  const spec = MODELS.find((m) => m.name === task.model)!;
  const model = await buildModel(spec, task.models);
  const channels = spec.input.kind === 'rgb' ? 3 : spec.input.channels;
  const makeInput = (batch: number, seed: number) =>
    tf.randomNormal([batch, spec.size, spec.size, channels], 0, 1, 'float32', seed) as tf.Tensor4D;

  const result: WorkerResult = {
    backend: task.backend,
    model: task.model,
    source: model.source,
    threads: task.threads,
    trainBatch: task.trainBatch,
    trainStepMs: null,
    trainStepCpuMs: null,
    trainImagesPerSecond: null,
    trainImagesPerCpuSecond: null,
    inferMsPerImageBatch1: null,
    inferMsPerImageBatch8: null,
    inferCpuMsPerImageBatch1: null,
    inferCpuMsPerImageBatch8: null,
    finalLoss: null,
    maxRssMiB: 0,
    wasmHeapMiB: null,
    registeredKernels,
  };

  /** [wall ms, cpu ms] per image, medians after one warm-up. */
  const infer = (batch: number, reps: number): [number, number] => {
    const x = makeInput(batch, 7);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < reps + 1; r++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const logits = tf.tidy(() => model.forward(x, false));
      logits.dataSync();
      logits.dispose();
      if (r > 0) {
        wall.push(performance.now() - start);
        cpu.push(cpuMs(process.cpuUsage(cpuStart)));
      }
    }
    x.dispose();
    return [median(wall) / batch, median(cpu) / batch];
  };
  [result.inferMsPerImageBatch1, result.inferCpuMsPerImageBatch1] = infer(1, task.inferReps);
  if (task.inferBatch8) {
    [result.inferMsPerImageBatch8, result.inferCpuMsPerImageBatch8] = infer(
      8,
      Math.max(1, Math.ceil(task.inferReps / 2)),
    );
  }

  if (task.train) {
    const x = makeInput(task.trainBatch, 11);
    const labels = tf.tidy(() =>
      tf.oneHot(tf.randomUniform([task.trainBatch], 0, NUM_CLASSES, 'int32', 12) as tf.Tensor1D, NUM_CLASSES),
    );
    const optimizer = tf.train.momentum(0.01, 0.9);
    const step = (): number => {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(labels, model.forward(x, true)) as tf.Scalar,
        true,
        model.trainable,
      )!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      model.afterStep();
      return value;
    };
    const warmUp = task.backend === 'wasm' ? 1 : 0;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let r = 0; r < task.trainReps + warmUp; r++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      result.finalLoss = step();
      if (r >= warmUp) {
        times.push(performance.now() - start);
        cpuTimes.push(cpuMs(process.cpuUsage(cpuStart)));
      }
    }
    result.trainStepMs = times;
    result.trainStepCpuMs = cpuTimes;
    result.trainImagesPerSecond = (task.trainBatch * 1000) / median(times);
    result.trainImagesPerCpuSecond = (task.trainBatch * 1000) / median(cpuTimes);
    if (task.profile) {
      const info = await tf.profile(() => {
        step();
      });
      const byKernel = new Map<string, { totalMs: number; calls: number }>();
      for (const kernel of info.kernels) {
        const entry = byKernel.get(kernel.name) ?? { totalMs: 0, calls: 0 };
        entry.totalMs += Number(kernel.kernelTimeMs) || 0;
        entry.calls += 1;
        byKernel.set(kernel.name, entry);
      }
      result.profilePeakMiB = info.peakBytes / 2 ** 20;
      result.profile = [...byKernel.entries()]
        .map(([kernel, v]) => ({ kernel, ...v }))
        .sort((a, b) => b.totalMs - a.totalMs);
    }
    x.dispose();
    labels.dispose();
  }
  if (task.backend === 'wasm') {
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    result.wasmHeapMiB = backend.wasm.HEAPU8.buffer.byteLength / 2 ** 20;
  }
  result.maxRssMiB = process.resourceUsage().maxRSS / 1024;
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Orchestrator.

interface TorchResult {
  model: string;
  threads: number;
  trainBatch: number;
  trainStepMs: number[];
  trainStepCpuMs: number[];
  trainImagesPerSecond: number;
  trainImagesPerCpuSecond: number;
  inferMsPerImageBatch1: number;
  inferMsPerImageBatch8: number;
  inferCpuMsPerImageBatch1: number;
  inferCpuMsPerImageBatch8: number;
  maxRssMiB: number;
}

const here = dirname(fileURLToPath(import.meta.url));

function runChild(task: WorkerTask): WorkerResult | { error: string } {
  const child = spawnSync(
    process.execPath,
    [
      '--conditions=@fdl/source',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--worker',
      JSON.stringify(task),
    ],
    { cwd: join(here, '..'), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) {
    return { error: (child.stderr || child.stdout).split('\n').slice(-15).join('\n').slice(-2000) };
  }
  return JSON.parse(line.slice('RESULT '.length)) as WorkerResult;
}

function runTorch(
  spec: ModelSpec,
  threads: number,
  trainBatch: number,
  reps: number,
  inferReps: number,
): TorchResult | { error: string } {
  const channels = spec.input.kind === 'rgb' ? 3 : spec.input.channels;
  const child = spawnSync(
    '/usr/bin/python3',
    [
      join(here, 'torch_train_step.py'),
      '--architecture',
      spec.architecture,
      '--input',
      spec.input.kind,
      '--channels',
      String(channels),
      '--size',
      String(spec.size),
      '--threads',
      String(threads),
      '--batch',
      String(trainBatch),
      '--reps',
      String(reps),
      '--infer-reps',
      String(inferReps),
      '--name',
      spec.name,
    ],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) return { error: (child.stderr || child.stdout).slice(-2000) };
  return JSON.parse(line.slice('RESULT '.length)) as TorchResult;
}

function torchAvailable(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  return probe.status === 0;
}

function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      worker: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'cpu-train': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'no-cpu': { type: 'boolean', default: false },
      threads: { type: 'string', default: '1' },
      profile: { type: 'boolean', default: false },
      models: { type: 'string', default: 'fd-models' },
    },
  });
  if (values.worker !== undefined) {
    const result = await runWorker(JSON.parse(values.worker) as WorkerTask);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const threads = Number(values.threads);
  const models = values.models as ModelSource;
  if (models !== 'fd-models' && models !== 'local')
    throw new Error(`--models must be fd-models or local, got ${models}`);
  const trainReps = values.quick ? 2 : 3;
  const inferReps = values.quick ? 3 : 5;
  const specs = values.only ? MODELS.filter((m) => values.only!.split(',').includes(m.name)) : MODELS;
  const withTorch = !values['no-torch'] && torchAvailable();
  const rows: {
    model: string;
    wasm: WorkerResult | { error: string };
    cpu?: WorkerResult | { error: string };
    torch?: TorchResult | { error: string };
  }[] = [];
  for (const [index, spec] of specs.entries()) {
    console.error(`[train-step] ${spec.name}: wasm ...`);
    const wasm = runChild({
      backend: 'wasm',
      model: spec.name,
      models,
      threads,
      trainBatch: 8,
      trainReps,
      inferReps,
      train: true,
      inferBatch8: true,
      profile: values.profile && index === 0,
    });
    let cpu: WorkerResult | { error: string } | undefined;
    if (!values['no-cpu']) {
      // cpu: inference at batch 1 only once (~10 s an image); training only with --cpu-train.
      console.error(`[train-step] ${spec.name}: cpu ...`);
      cpu = runChild({
        backend: 'cpu',
        model: spec.name,
        models,
        threads: 1,
        trainBatch: 1,
        trainReps: 1,
        inferReps: 1,
        train: values['cpu-train'],
        inferBatch8: false,
        profile: false,
      });
    }
    let torch: TorchResult | { error: string } | undefined;
    if (withTorch) {
      console.error(`[train-step] ${spec.name}: torch ...`);
      torch = runTorch(spec, threads, 8, trainReps, inferReps);
    }
    rows.push({ model: spec.name, wasm, cpu, torch });
  }

  const ok = <T extends object>(r: T | { error: string } | undefined): T | undefined =>
    r !== undefined && !('error' in r) ? r : undefined;
  console.log(
    `\nTraining step (batch 8, SGD momentum) and inference, threads = ${threads}, models: ${models}. Medians.` +
      `\nBaseline: PyTorch CPU${withTorch ? '' : ' (not available)'}. "cpu" columns use process CPU time (robust to` +
      ' other load on a shared machine); "wall" columns use elapsed time.',
  );
  const header = [
    'model',
    'wasm img/cpu-s',
    'torch img/cpu-s',
    'wasm/torch train (cpu)',
    'wasm/torch train (wall)',
    'wasm inf cpu-ms b1',
    'b8',
    'torch inf cpu-ms b1',
    'b8',
    'wasm/torch inf b8 (cpu)',
    'cpu inf wall-ms b1',
    'cpu train img/s',
    'wasm RSS MiB',
    'wasm heap MiB',
    'torch RSS MiB',
  ];
  const table = rows.map((row) => {
    const w = ok(row.wasm);
    const c = ok(row.cpu);
    const t = ok(row.torch);
    return [
      row.model,
      fmt(w?.trainImagesPerCpuSecond, 3),
      fmt(t?.trainImagesPerCpuSecond, 3),
      w?.trainImagesPerCpuSecond && t
        ? `${fmt(t.trainImagesPerCpuSecond / w.trainImagesPerCpuSecond, 2)}x`
        : '-',
      w?.trainImagesPerSecond && t ? `${fmt(t.trainImagesPerSecond / w.trainImagesPerSecond, 2)}x` : '-',
      fmt(w?.inferCpuMsPerImageBatch1),
      fmt(w?.inferCpuMsPerImageBatch8),
      fmt(t?.inferCpuMsPerImageBatch1),
      fmt(t?.inferCpuMsPerImageBatch8),
      w?.inferCpuMsPerImageBatch8 && t
        ? `${fmt(w.inferCpuMsPerImageBatch8 / t.inferCpuMsPerImageBatch8, 2)}x`
        : '-',
      fmt(c?.inferMsPerImageBatch1, 0),
      c?.trainImagesPerSecond ? fmt(c.trainImagesPerSecond, 4) : 'skipped',
      fmt(w?.maxRssMiB, 0),
      fmt(w?.wasmHeapMiB, 0),
      fmt(t?.maxRssMiB, 0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const r of table) console.log(line(r));
  for (const row of rows) {
    for (const [label, r] of [
      ['wasm', row.wasm],
      ['cpu', row.cpu],
      ['torch', row.torch],
    ] as const) {
      if (r !== undefined && 'error' in r) console.log(`\n${row.model} ${label} failed:\n${r.error}`);
    }
  }
  const profiled = rows.map((r) => ok(r.wasm)).find((r) => r?.profile);
  if (profiled?.profile) {
    const total = profiled.profile.reduce((s, k) => s + k.totalMs, 0);
    console.log(
      `\nPer-kernel time of one wasm training step, ${profiled.model} (tf.profile, total ${total.toFixed(0)} ms):`,
    );
    for (const k of profiled.profile.slice(0, 15)) {
      console.log(
        `${k.kernel.padStart(36)} ${k.totalMs.toFixed(0).padStart(7)} ms ${((100 * k.totalMs) / total).toFixed(1).padStart(5)}% ${String(k.calls).padStart(5)} calls`,
      );
    }
  }
  const resultsDir = join(here, '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const out = join(resultsDir, 'train-step.json');
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), threads, models, note: 'medians; machine shared, timings noisy', rows }, null, 2)}\n`,
  );
  console.log(`\nwrote ${out}`);
}

await main();
