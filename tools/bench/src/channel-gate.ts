/**
 * Channel-gate cost at the paper's ResNet-50 geometry: a [4, 56, 56, 192] DCT cube on the cpu and wasm
 * backends. Baselines in the same run: multiplying the cube by a fixed [4, 1, 1, 192] mask (the
 * unavoidable masking), forward alone and forward + backward; and tf.mean over H, W for the global
 * average pool, against the batched matMul the gate uses instead. Rows: gate inference (argmax and
 * stochastic) against the forward baseline, gate training step (hard straight-through, gradients to
 * the gate weights and the input) against the backward baseline.
 *
 *   cd tools/bench && node --conditions=@fdl/source --import tsx src/channel-gate.ts [repetitions]
 *
 * Each case runs 3 warm-up iterations and `repetitions` timed ones (default 15); the table shows the
 * median in milliseconds. Shared machine: timings are noisy, the load average is printed.
 * Writes results/channel-gate.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createGateWeights,
  disposeGateWeights,
  gateForward,
  gateRegularizer,
  gateTrainableVariables,
} from '@fdl/channel-gate';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

const repetitions = Number(process.argv[2] ?? 15);
const shape: [number, number, number, number] = [4, 56, 56, 192];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function time(run: () => tf.Tensor | tf.Tensor[]): number[] {
  const samples: number[] = [];
  for (let i = 0; i < 3 + repetitions; i++) {
    const started = performance.now();
    const result = run();
    // Reading one value forces the backend to finish.
    for (const tensor of Array.isArray(result) ? result : [result]) tensor.dataSync();
    const elapsed = performance.now() - started;
    tf.dispose(result);
    if (i >= 3) samples.push(elapsed);
  }
  return samples;
}

interface Row {
  backend: string;
  case: string;
  baseline: string;
  medianMs: number;
  baselineMs: number;
  ratio: number;
  samplesMs: number[];
}

const rows: Row[] = [];
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  const input = tf.randomNormal(shape, 0, 1, 'float32', 1);
  const target = tf.randomNormal(shape, 0, 1, 'float32', 2);
  const fixedMask = tf.variable(tf.ones([shape[0], 1, 1, shape[3]]));
  const gate = createGateWeights(shape[3], { seed: 3 });
  const inputVariable = tf.variable(input);
  let step = 0;
  const positions = shape[1] * shape[2];
  const cases: Record<string, () => tf.Tensor | tf.Tensor[]> = {
    'pool: tf.mean over H, W': () => tf.mean(input, [1, 2]),
    'pool: batched matMul (as the gate does)': () =>
      tf.tidy(() =>
        tf.matMul(
          tf.fill([shape[0], 1, positions], 1 / positions),
          tf.reshape(input, [shape[0], positions, shape[3]]),
        ),
      ),
    'mask multiply (forward)': () => tf.mul(input, fixedMask),
    'mask multiply (forward + backward)': () => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(tf.mul(inputVariable, fixedMask), target)) as tf.Scalar,
        [inputVariable, fixedMask],
      );
      return [value, ...Object.values(grads)];
    },
    'gate argmax': () => {
      const result = gateForward(gate, input, { mode: 'argmax' });
      tf.dispose([result.logits, result.probabilities, result.mask]);
      return result.output;
    },
    'gate stochastic (seeded)': () => {
      const result = gateForward(gate, input, { mode: 'stochastic', seed: step++ });
      tf.dispose([result.logits, result.probabilities, result.mask]);
      return result.output;
    },
    'gate hard training step': () => {
      const { value, grads } = tf.variableGrads(() => {
        const result = gateForward(gate, inputVariable, { training: true, mode: 'hard', seed: step++ });
        return tf.add(
          tf.sum(tf.mul(result.output, target)),
          gateRegularizer(result.mask, { lambda: 0.01 }),
        ) as tf.Scalar;
      }, [...gateTrainableVariables(gate), inputVariable]);
      return [value, ...Object.values(grads)];
    },
  };
  const measured = Object.fromEntries(Object.entries(cases).map(([name, run]) => [name, time(run)]));
  const baselineOf = (name: string) =>
    name.startsWith('pool')
      ? 'pool: tf.mean over H, W'
      : name.includes('training') || name.includes('backward')
        ? 'mask multiply (forward + backward)'
        : 'mask multiply (forward)';
  for (const [name, samples] of Object.entries(measured)) {
    const baseline = baselineOf(name);
    const baselineMs = median(measured[baseline]!);
    rows.push({
      backend,
      case: name,
      baseline,
      medianMs: median(samples),
      baselineMs,
      ratio: median(samples) / baselineMs,
      samplesMs: samples,
    });
  }
  tf.dispose([input, target, fixedMask, inputVariable]);
  disposeGateWeights(gate);
}

console.log(
  `channel gate, input ${JSON.stringify(shape)}, ${repetitions} repetitions, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log('| backend | case | median ms | baseline | baseline ms | ratio |');
console.log('|---|---|---:|---|---:|---:|');
for (const row of rows) {
  console.log(
    `| ${row.backend} | ${row.case} | ${row.medianMs.toFixed(2)} | ${row.baseline} | ${row.baselineMs.toFixed(2)} | ${row.ratio.toFixed(2)} |`,
  );
}
const resultsDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(resultsDirectory, { recursive: true });
writeFileSync(
  join(resultsDirectory, 'channel-gate.json'),
  `${JSON.stringify({ shape, repetitions, loadAverage: loadavg(), rows }, null, 2)}\n`,
);
