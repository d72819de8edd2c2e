/**
 * How far `jpegToDctCube` (coefficients, chroma brought to the luma grid by DCT-domain box upsampling)
 * is from the pixel path (decode with libjpeg-identical upsampling, then `forwardDctPlane`) on the
 * hymenoptera JPEGs, per sampling layout and component, over blocks fully inside the image.
 *
 *   cd tools/jpeg-variants && node --conditions=@fdl/source --import tsx src/measure-cube-vs-pixels.ts [box|triangle]
 */
import { readFileSync } from 'node:fs';
import { forwardDctPlane } from '@fdl/dct-core';
import type { ChromaToLumaGrid } from '@fdl/dct-core/jpeg';
import { coefficientsToPlanes, jpegToDctCube, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import { listFilesRecursive, SHARED_DATA_MISSING, sharedDataPath } from '@fdl/test-utils';

const root = sharedDataPath('hymenoptera');
if (root === null) {
  console.error(SHARED_DATA_MISSING);
  process.exit(1);
}
const chroma = (process.argv[2] ?? 'box') as ChromaToLumaGrid;
interface Totals {
  files: number;
  max: number;
  sum: number;
  count: number;
  dcSum: number;
  dcCount: number;
  magnitude: number;
}
const totals = new Map<string, Totals>();
for (const path of listFilesRecursive(root).filter((file) => !file.endsWith('.gif'))) {
  const coefficients = readJpegCoefficients(new Uint8Array(readFileSync(path)));
  const layout = coefficients.components
    .map((c) => `${c.horizontalSampling}x${c.verticalSampling}`)
    .join(',');
  const cube = jpegToDctCube(coefficients, { chroma });
  const planes = coefficientsToPlanes(coefficients);
  planes.forEach((plane, component) => {
    const key = `${layout} ${['Y', 'Cb', 'Cr'][component]}`;
    const total = totals.get(key) ?? {
      files: 0,
      max: 0,
      sum: 0,
      count: 0,
      dcSum: 0,
      dcCount: 0,
      magnitude: 0,
    };
    totals.set(key, total);
    total.files++;
    const pixels = forwardDctPlane({ data: plane, width: coefficients.width, height: coefficients.height });
    for (let by = 0; by < Math.floor(coefficients.height / 8); by++) {
      for (let bx = 0; bx < Math.floor(coefficients.width / 8); bx++) {
        for (let k = 0; k < 64; k++) {
          const reference = pixels.data[(by * pixels.widthInBlocks + bx) * 64 + k];
          const difference = Math.abs(
            cube.data[(by * cube.width + bx) * cube.channels + component * 64 + k] - reference,
          );
          total.max = Math.max(total.max, difference);
          total.sum += difference;
          total.count++;
          total.magnitude += Math.abs(reference);
          if (k === 0) {
            total.dcSum += difference;
            total.dcCount++;
          }
        }
      }
    }
  });
}
console.log(`chroma ${chroma}`);
console.log('layout component  files  max|diff|  mean|diff|  mean|diff| DC  mean|pixel-path coefficient|');
for (const [key, t] of [...totals].sort()) {
  console.log(
    `${key.padEnd(22)} ${String(t.files).padStart(5)} ${t.max.toFixed(1).padStart(10)} ${(t.sum / t.count).toFixed(3).padStart(11)} ${(t.dcSum / t.dcCount).toFixed(3).padStart(14)} ${(t.magnitude / t.count).toFixed(2).padStart(10)}`,
  );
}
