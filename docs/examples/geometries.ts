/**
 * The paper's three geometries on one generated photo-sized image: ResNet-50 (resize 512, crop 448 ->
 * 56 x 56 blocks), MobileNetV2 (1024 / 896 -> 112 x 112) and Mask R-CNN (Y from the image x2, chroma from
 * the image x4 and 4:2:0, so every plane sits at H/4 x W/4), next to the plain 4:4:4 cube.
 *
 *   node --conditions=@fdl/source --import tsx docs/examples/geometries.ts
 */
import {
  classificationValidationTransform,
  createDemoImage,
  imageToDctCube,
  MOBILENET_VALIDATION_OPTIONS,
  RESNET_VALIDATION_OPTIONS,
} from '@fdl/dct-core';
import { printResult } from './print-result.js';

// An ImageNet-like 500 x 375 picture (hymenoptera and ImageNet photos are mostly this size).
const photo = createDemoImage(500, 375);

const plain = imageToDctCube(photo, { geometry: 'plain', selection: 'DCT-24' });
const resnet = classificationValidationTransform(photo, RESNET_VALIDATION_OPTIONS);
const mobilenet = classificationValidationTransform(photo, MOBILENET_VALIDATION_OPTIONS);
// Detection works on the resized, padded image; a small 200 x 120 one keeps this example fast.
const detectionImage = createDemoImage(200, 120);
const detection = imageToDctCube(detectionImage, { geometry: 'detection', selection: 'DCT-24' });

const rows: [string, string, number[]][] = [
  ['plain 4:4:4', '500 x 375', [plain.height, plain.width, plain.channels]],
  ['ResNet-50 (512 / 448)', '500 x 375', [resnet.height, resnet.width, resnet.channels]],
  ['MobileNetV2 (1024 / 896)', '500 x 375', [mobilenet.height, mobilenet.width, mobilenet.channels]],
  ['Mask R-CNN (detection)', '200 x 120', [detection.height, detection.width, detection.channels]],
];
for (const [name, input, shape] of rows)
  console.log(`${name.padEnd(26)} ${input.padEnd(10)} -> ${shape.join(' x ')}`);

printResult({
  plain: rows[0][2],
  resnet: rows[1][2],
  mobilenet: rows[2][2],
  detection: rows[3][2],
  resnetChannels: Array.from(resnet.channelIndices),
});
