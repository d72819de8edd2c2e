/**
 * DCT coefficients straight from a JPEG file, without decoding pixels: the encoder already computed them.
 * The example encodes an image in code (jpeg-js, quality 100), reads the quantized coefficients back with
 * `readJpegCoefficients`, assembles a cube with `jpegToDctCube`, and compares it with the cube computed
 * from the decoded pixels.
 *
 *   node --conditions=@fdl/source --import tsx docs/examples/jpeg-coefficients.ts [photo.jpg]
 */
import { readFileSync } from 'node:fs';
import { channelIndex, createRgbImage, imageToDctCube } from '@fdl/dct-core';
import { decodeJpeg, jpegToDctCube, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import jpeg from 'jpeg-js';
import { printResult } from './print-result.js';

/** A 40 x 24 test picture: a horizontal luma ramp with a blue square, so every component has content. */
function generatedJpeg(): Uint8Array {
  const width = 40;
  const height = 24;
  const image = createRgbImage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSquare = x >= 16 && x < 32 && y >= 8 && y < 24;
      const ramp = Math.round((255 * x) / (width - 1));
      image.data.set(inSquare ? [30, 60, 220] : [ramp, ramp, ramp], (y * width + x) * 3);
    }
  }
  // jpeg-js wants RGBA.
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(image.data.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data: rgba, width, height }, 100).data);
}

const path = process.argv[2];
const bytes = path === undefined ? generatedJpeg() : new Uint8Array(readFileSync(path));
console.log(`${path ?? 'generated JPEG'}: ${bytes.length} bytes`);

// 1. The quantized coefficients, per component, natural (row-major) order inside a block.
const coefficients = readJpegCoefficients(bytes);
const sampling = coefficients.components.map((c) => `${c.horizontalSampling}x${c.verticalSampling}`);
console.log(
  `${coefficients.width} x ${coefficients.height}, ${coefficients.colorSpace}, ${coefficients.frameType}, sampling ${sampling.join(' ')}`,
);
const luma = coefficients.components[0];
console.log(
  `Y: ${luma.heightInBlocks} x ${luma.widthInBlocks} blocks, quantization[0..3] ${luma.quantization.slice(0, 4).join(' ')}`,
);
const firstBlockDc = luma.blocks[0] * luma.quantization[0];
console.log(`Y DC of block (0, 0), dequantized: ${firstBlockDc}`);

// 2. A cube on the luma grid, straight from the coefficients (dequantized; chroma brought to luma's grid
//    when the file is subsampled).
const fromCoefficients = jpegToDctCube(coefficients);

// 3. The same cube through pixels: decode (libjpeg-compatible islow IDCT), then the forward DCT.
const pixels = decodeJpeg(bytes);
const fromPixels = imageToDctCube({ data: pixels.data, width: pixels.width, height: pixels.height });

// At quality 100 every quantization step is 1, so the two agree within the rounding of the 8-bit decode.
// Compare on the channels both hold.
let largestDifference = 0;
let largestDcDifference = 0;
const dcChannels = new Set([channelIndex(0, 0, 0), channelIndex(1, 0, 0), channelIndex(2, 0, 0)]);
for (let p = 0; p < fromCoefficients.height * fromCoefficients.width; p++) {
  for (let i = 0; i < fromCoefficients.channels; i++) {
    const channel = fromCoefficients.channelIndices[i];
    const other = fromPixels.channelIndices.indexOf(channel);
    const difference = Math.abs(
      fromCoefficients.data[p * fromCoefficients.channels + i] -
        fromPixels.data[p * fromPixels.channels + other],
    );
    largestDifference = Math.max(largestDifference, difference);
    if (dcChannels.has(channel)) largestDcDifference = Math.max(largestDcDifference, difference);
  }
}
console.log(
  `cube from coefficients ${fromCoefficients.height} x ${fromCoefficients.width} x ${fromCoefficients.channels}; ` +
    `largest difference to the pixel path ${largestDifference.toFixed(3)} (DC ${largestDcDifference.toFixed(3)})`,
);

printResult({
  width: coefficients.width,
  height: coefficients.height,
  colorSpace: coefficients.colorSpace,
  sampling,
  lumaBlocks: [luma.heightInBlocks, luma.widthInBlocks],
  lumaQuantization: Array.from(luma.quantization),
  firstBlockDc,
  cubeShape: [fromCoefficients.height, fromCoefficients.width, fromCoefficients.channels],
  firstBlockCubeDc: fromCoefficients.data[fromCoefficients.channelIndices.indexOf(0)],
  largestDifference,
  largestDcDifference,
});
