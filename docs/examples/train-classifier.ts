/**
 * A tiny DCT classifier with a learned channel gate, trained for a few steps on the tfjs cpu backend:
 * generated images -> DCT-24 cubes -> gate -> narrow ResNet-18, cross-entropy + lambda * sum(gates), then
 * gate statistics -> a static selection.
 *
 *   node --conditions=@fdl/source --import tsx docs/examples/train-classifier.ts [steps = 20] [lambda = 0.05]
 */
import '@tensorflow/tfjs-backend-cpu';
import { GateStatistics, gateRegularizer, selectionFromGateFrequencies } from '@fdl/channel-gate';
import { createRgbImage, type DctCube, imageToDctCube, type RgbImage, resolveSelection } from '@fdl/dct-core';
import { createClassifier, trainStep } from '@fdl/fd-models';
import * as tf from '@tensorflow/tfjs-core';
import { printResult } from './print-result.js';

const steps = Number(process.argv[2] ?? 20);
const imagesPerClass = 8;
const selection = resolveSelection('DCT-24');

/**
 * Class 0: coarse horizontal stripes (period 16 px); class 1: fine ones (period 4 px). Each image gets its
 * own phase and colour, so only the frequency content tells the classes apart.
 */
function stripes(label: number, index: number): RgbImage {
  const size = 32;
  const image = createRgbImage(size, size);
  const period = label === 0 ? 16 : 4;
  const tint = [(37 * index) % 96, (53 * index) % 96, (71 * index) % 96];
  for (let y = 0; y < size; y++) {
    const on = Math.floor((y + index) / (period / 2)) % 2 === 0;
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) image.data[(y * size + x) * 3 + c] = (on ? 160 : 40) + tint[c];
    }
  }
  return image;
}

// The paper's input: DCT cubes of the selected channels, here [4, 4, 24] per 32 x 32 image, scaled to
// roughly unit range (a real run would use normalization statistics; see the normalization guide).
const cubes: DctCube[] = [];
const labels: number[] = [];
for (let index = 0; index < imagesPerClass; index++) {
  for (const label of [0, 1]) {
    cubes.push(imageToDctCube(stripes(label, index), { geometry: 'plain', selection }));
    labels.push(label);
  }
}
const { height, width, channels } = cubes[0];
const batch = new Float32Array(cubes.length * height * width * channels);
cubes.forEach((cube, i) => {
  batch.set(
    cube.data.map((value) => value / 256),
    i * cube.data.length,
  );
});

await tf.setBackend('cpu');
const inputs = tf.tensor4d(batch, [cubes.length, height, width, channels]);
const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2));

const model = createClassifier({
  architecture: 'resnet18',
  baseWidth: 4, // a narrow network: this is a demonstration, not the paper's ResNet-50
  numClasses: 2,
  input: { kind: 'dct', channels },
  gate: { seed: 1 },
  seed: 7,
});
console.log(
  `model: ${model.summary().parameters} parameters, input [batch, ${height}, ${width}, ${channels}]`,
);

const optimizer = tf.train.adam(0.01);
const lambda = Number(process.argv[3] ?? 0.05);
const losses: number[] = [];
for (let step = 0; step < steps; step++) {
  const loss = trainStep(model, optimizer, () => {
    const { logits, gate } = model.forward(inputs, { training: true, gate: { seed: step } });
    const taskLoss = tf.losses.softmaxCrossEntropy(targets, logits);
    return tf.add(taskLoss, gateRegularizer(gate!.mask, { lambda })) as tf.Scalar;
  });
  losses.push(loss);
  console.log(`step ${String(step + 1).padStart(2)}  loss ${loss.toFixed(4)}`);
}

// Inference: deterministic gate (argmax), accuracy and gate statistics over the set.
const statistics = new GateStatistics(channels);
const { logits, gate } = model.forward(inputs);
const predicted = tf.argMax(logits, 1);
const predictions = Array.from(await predicted.data());
await statistics.addMask(gate!.mask);
tf.dispose([predicted, logits, gate!.mask, gate!.probabilities, gate!.logits]);
const accuracy = predictions.filter((p, i) => p === labels[i]).length / labels.length;
const frequencies = Array.from(statistics.frequencies());
console.log(
  `training-set accuracy ${(accuracy * 100).toFixed(1)}%, channels on per image ${statistics.meanChannelsPerSample().toFixed(2)}`,
);

// The gate's statistics -> a static selection of the 8 most used channels, in dct-core's format.
const derived = selectionFromGateFrequencies(
  frequencies,
  { kind: 'top-k', count: 8 },
  {
    channelIndices: selection.indices,
    name: 'gate-top-8',
  },
);
console.log(`static selection from the gate: ${derived.indices.join(', ')}`);

tf.dispose([inputs, targets]);
optimizer.dispose();
model.dispose();
printResult({
  losses,
  accuracy,
  frequencies,
  meanChannelsPerSample: statistics.meanChannelsPerSample(),
  derived: [...derived.indices],
  selection: [...selection.indices],
  tensorsLeft: tf.memory().numTensors,
});
