/**
 * JPEG coefficient extraction vs. full decoders, one core, on the hymenoptera JPEGs (397 files).
 *
 *   cd tools/bench && node --conditions=@fdl/source --import tsx src/jpeg-coefficients.ts [rounds]
 *
 * Decoders, all on the same in-memory bytes: `readJpegCoefficients` (@fdl/dct-core/jpeg, quantized DCT
 * coefficients, no IDCT), `decodeJpeg` (our full RGB decode), jpeg-js 0.4.4 full decode (baseline), and
 * sharp 0.34.5 (libjpeg-turbo, SIMD) full decode to raw RGB with `sharp.concurrency(1)`; and the use case:
 * a DCT-24 cube on the image's own block grid from the coefficients (`jpegToDctCube`, triangle chroma)
 * versus through pixels (`decodeJpeg`, `rgbToYcbcrFloat`, `forwardDctPlane` with the DCT-24 frequencies).
 * Each image is timed per round after a warm-up round; its time is the median over rounds. Two clocks:
 * wall time, and process CPU time (`process.cpuUsage`, all threads, so sharp's worker thread counts),
 * which is far less sensitive to other processes sharing the cores. The table reports, per clock, the
 * median per-image time, throughput (images/s and MB/s of JPEG input, from the sum of per-image medians)
 * and ratios against jpeg-js (the named baseline) and sharp. Writes results/jpeg-coefficients.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forwardDctPlane, presetSelection, rgbToYcbcrFloat } from '@fdl/dct-core';
import { decodeJpeg, jpegToDctCube, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import { listFilesRecursive, SHARED_DATA_MISSING, sharedDataPath } from '@fdl/test-utils';
import jpeg from 'jpeg-js';
import sharp from 'sharp';

const root = sharedDataPath('hymenoptera');
if (root === null) {
  console.error(SHARED_DATA_MISSING);
  process.exit(1);
}
const rounds = Number(process.argv[2] ?? 5);
const files = listFilesRecursive(root)
  .filter((path) => !path.endsWith('.gif'))
  .map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) }));
const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);

sharp.concurrency(1);
sharp.cache(false);

const dct24 = presetSelection(24);
const dct24Frequencies = [0, 1, 2].map((component) =>
  dct24.indices.filter((channel) => channel >> 6 === component).map((channel) => channel & 63),
);

type Decoder = { name: string; run: (bytes: Uint8Array) => unknown | Promise<unknown> };
const decoders: Decoder[] = [
  {
    name: 'jpeg-js decode (baseline)',
    run: (bytes) => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false }),
  },
  {
    name: 'sharp decode (libjpeg-turbo)',
    run: (bytes) => sharp(bytes).removeAlpha().raw().toBuffer(),
  },
  { name: 'fdl readJpegCoefficients', run: (bytes) => readJpegCoefficients(bytes) },
  { name: 'fdl decodeJpeg (RGB)', run: (bytes) => decodeJpeg(bytes) },
  // The point of the reader: a DCT-24 cube on the image's own grid, from coefficients vs from pixels.
  {
    name: 'DCT-24 cube from coefficients',
    run: (bytes) => jpegToDctCube(readJpegCoefficients(bytes), { channelIndices: dct24.indices }),
  },
  {
    name: 'DCT-24 cube via decode + DCT',
    run: (bytes) => {
      const planes = rgbToYcbcrFloat(decodeJpeg(bytes));
      const { width, height } = planes;
      return [planes.y, planes.cb, planes.cr].map((data, component) =>
        forwardDctPlane({ data, width, height }, { frequencies: dct24Frequencies[component] }),
      );
    },
  },
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Wall and CPU milliseconds of one decode. */
async function time(decoder: Decoder, bytes: Uint8Array): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = decoder.run(bytes);
  if (result instanceof Promise) await result;
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000];
}

const clocks = ['wall', 'cpu'] as const;
const perImage = new Map<string, { wall: number[][]; cpu: number[][] }>();
for (const decoder of decoders) {
  perImage.set(decoder.name, { wall: files.map(() => []), cpu: files.map(() => []) });
}
// Warm-up, then rounds interleaved across decoders so background load hits all of them alike.
for (const decoder of decoders) for (const file of files) await time(decoder, file.bytes);
for (let round = 0; round < rounds; round++) {
  for (const decoder of decoders) {
    const times = perImage.get(decoder.name)!;
    for (let i = 0; i < files.length; i++) {
      const [wall, cpu] = await time(decoder, files[i].bytes);
      times.wall[i].push(wall);
      times.cpu[i].push(cpu);
    }
  }
}

const rows = decoders.flatMap((decoder) =>
  clocks.map((clock) => {
    const medians = perImage.get(decoder.name)![clock].map(median);
    const total = medians.reduce((sum, value) => sum + value, 0);
    return {
      decoder: decoder.name,
      clock,
      medianMsPerImage: median(medians),
      imagesPerSecond: (files.length / total) * 1000,
      megabytesPerSecond: totalBytes / 1e6 / (total / 1000),
    };
  }),
);
console.log(
  `${files.length} hymenoptera JPEGs, ${(totalBytes / 1e6).toFixed(1)} MB, ${rounds} rounds, one core (medians; shared machine, expect noise)`,
);
console.log(
  ['decoder'.padEnd(32), 'clock', 'median ms/img', 'images/s', ' MB/s', 'x jpeg-js', 'x sharp'].join('  '),
);
for (const row of rows) {
  const baseline = rows.find((other) => other.decoder === decoders[0].name && other.clock === row.clock)!;
  const sharpRow = rows.find((other) => other.decoder === decoders[1].name && other.clock === row.clock)!;
  console.log(
    [
      row.decoder.padEnd(32),
      row.clock.padEnd(5),
      row.medianMsPerImage.toFixed(3).padStart(13),
      row.imagesPerSecond.toFixed(0).padStart(8),
      row.megabytesPerSecond.toFixed(1).padStart(5),
      (row.imagesPerSecond / baseline.imagesPerSecond).toFixed(2).padStart(9),
      (row.imagesPerSecond / sharpRow.imagesPerSecond).toFixed(2).padStart(7),
    ].join('  '),
  );
}
const baseline = { decoder: decoders[0].name };
const folder = join(import.meta.dirname, '..', 'results');
mkdirSync(folder, { recursive: true });
writeFileSync(
  join(folder, 'jpeg-coefficients.json'),
  `${JSON.stringify({ files: files.length, bytes: totalBytes, rounds, baseline: baseline.decoder, rows }, null, 2)}\n`,
);
