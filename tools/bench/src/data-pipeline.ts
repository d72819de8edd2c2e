/**
 * Data pipeline throughput: images/s of the ResNet-50 DCT-24 training pipeline (random resized crop 448,
 * flip, upscaled chroma, DCT, DCT-24 selection, normalization) side by side with the RGB-224 training
 * pipeline (random resized crop 224, flip, normalize), per decoder, on 1 and 2 worker threads, over the
 * hymenoptera train split (244 images).
 *
 *   cd tools/bench && node --conditions=@fdl/source --import tsx src/data-pipeline.ts [rounds] [decoders]
 *
 * e.g. `... src/data-pipeline.ts 3 sharp,jpeg-js,fdl` (the defaults). Every configuration runs in its own
 * child process, pinned with `taskset` to one core (1 worker) or two cores (2 workers), so "per core"
 * means one core. A child warms up (worker start, JIT: 3 batches of 16) and then times one full epoch.
 * Rounds go over all configurations in turn, so background load hits them alike; the table shows the
 * median over rounds. Baselines in the same run:
 * sharp's own decode + resize (shorter side 256) + centre crop 224, and jpeg-js decode alone, both on one
 * pinned core. Ratios: DCT-24 against RGB-224 with the same decoder and workers, and 2 workers against 1.
 * Besides wall-clock images/s, each child reports images per CPU-second of its whole process (all
 * threads: main, workers, libvips/libuv): on a busy shared machine that is the stable "per core" figure.
 * Writes results/data-pipeline.json. Timings on a shared machine are noisy: the load average is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassificationPipeline, DataLoader, type DecoderName, openImageFolder } from '@fdl/datasets';
import { SHARED_DATA_MISSING, sharedDataPath } from '@fdl/test-utils';

interface Config {
  kind: 'pipeline' | 'sharp-native' | 'jpeg-js-decode';
  mode?: 'dct' | 'rgb';
  decoder?: DecoderName;
  workers?: number;
  epochs: number;
}

interface Measurement {
  config: Config;
  decoder: string;
  /** Wall-clock throughput per timed epoch. */
  imagesPerSecond: number[];
  /** Images per CPU-second of the whole child process (all threads), per timed epoch. */
  imagesPerCpuSecond: number[];
  median: number;
}

const root = sharedDataPath('hymenoptera');
if (root === null) {
  console.error(SHARED_DATA_MISSING);
  process.exit(1);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function runChild(config: Config): Promise<Measurement> {
  const dataset = openImageFolder(root!, { split: 'train' });
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let cpuStart = process.cpuUsage();
  const startCpu = () => {
    cpuStart = process.cpuUsage();
  };
  const recordCpu = (images: number) => {
    const used = process.cpuUsage(cpuStart);
    cpuRates.push(images / ((used.user + used.system) / 1e6));
  };
  if (config.kind === 'pipeline') {
    const pipeline = createClassificationPipeline({
      mode: config.mode!,
      train: true,
      decoder: config.decoder,
    });
    const loader = new DataLoader(dataset, pipeline, {
      batchSize: 16,
      shuffle: true,
      seed: 1,
      workers: config.workers,
    });
    try {
      let warmUp = 0;
      for await (const _ of loader.epoch(0)) if (++warmUp === 3) break;
      for (let epoch = 1; epoch <= config.epochs; epoch++) {
        const started = performance.now();
        startCpu();
        let images = 0;
        for await (const batch of loader.epoch(epoch)) images += batch.shape[0];
        rates.push((images / (performance.now() - started)) * 1000);
        recordCpu(images);
      }
    } finally {
      await loader.close();
    }
    return {
      config,
      decoder: loader.report().decoder ?? '?',
      imagesPerSecond: rates,
      imagesPerCpuSecond: cpuRates,
      median: median(rates),
    };
  }
  const files = dataset.samples.map((sample) => readFileSync(sample.path));
  if (config.kind === 'sharp-native') {
    const sharp = (await import('sharp')).default;
    sharp.concurrency(1);
    sharp.cache(false);
    for (let epoch = 0; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      startCpu();
      for (const bytes of files) {
        await sharp(bytes)
          .resize(256, 256, { fit: 'outside' })
          .resize(224, 224, { fit: 'cover' })
          .removeAlpha()
          .raw()
          .toBuffer();
      }
      if (epoch > 0) rates.push((files.length / (performance.now() - started)) * 1000);
      if (epoch > 0) recordCpu(files.length);
    }
    return {
      config,
      decoder: 'sharp',
      imagesPerSecond: rates,
      imagesPerCpuSecond: cpuRates,
      median: median(rates),
    };
  }
  const jpeg = (await import('jpeg-js')).default;
  for (let epoch = 0; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    startCpu();
    for (const bytes of files) jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
    if (epoch > 0) rates.push((files.length / (performance.now() - started)) * 1000);
    if (epoch > 0) recordCpu(files.length);
  }
  return {
    config,
    decoder: 'jpeg-js',
    imagesPerSecond: rates,
    imagesPerCpuSecond: cpuRates,
    median: median(rates),
  };
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const childArgument = process.argv.indexOf('--child');
  if (childArgument >= 0) {
    const result = await runChild(JSON.parse(process.argv[childArgument + 1]!) as Config);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rounds = Number(process.argv[2] ?? 3);
  const epochs = 1;
  const pinned = hasTaskset();
  const script = fileURLToPath(import.meta.url);
  const decoders = (process.argv[3] ?? 'sharp,jpeg-js,fdl').split(',') as DecoderName[];
  const configs: Config[] = [
    { kind: 'sharp-native', epochs },
    { kind: 'jpeg-js-decode', epochs },
  ];
  for (const decoder of decoders)
    for (const workers of [1, 2])
      for (const mode of ['dct', 'rgb'] as const)
        configs.push({ kind: 'pipeline', mode, decoder, workers, epochs });
  const loadBefore = loadavg()[0]!;
  const measured = new Map<Config, Measurement[]>(configs.map((config) => [config, []]));
  for (let round = 0; round < rounds; round++)
    for (const config of configs) {
      const cores = (config.workers ?? 1) === 1 ? '0' : '0,1';
      const command = pinned ? 'taskset' : process.execPath;
      const prefix = pinned ? ['-c', cores, process.execPath] : [];
      const child = spawnSync(
        command,
        [...prefix, '--conditions=@fdl/source', '--import', 'tsx', script, '--child', JSON.stringify(config)],
        { encoding: 'utf8', cwd: join(dirname(script), '..') },
      );
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !line.startsWith('{')) {
        console.error(`configuration ${JSON.stringify(config)} failed:\n${child.stderr}`);
        continue;
      }
      const result = JSON.parse(line) as Measurement;
      measured.get(config)!.push(result);
      console.error(`round ${round + 1}, ${label(result)}: ${result.median.toFixed(1)} images/s`);
    }
  const results: Measurement[] = [...measured.values()]
    .filter((list) => list.length > 0)
    .map((list) => {
      const rates = list.flatMap((m) => m.imagesPerSecond);
      const cpuRates = list.flatMap((m) => m.imagesPerCpuSecond);
      return { ...list[0]!, imagesPerSecond: rates, imagesPerCpuSecond: cpuRates, median: median(rates) };
    });
  const loadAfter = loadavg()[0]!;
  const find = (mode: 'dct' | 'rgb', decoder: DecoderName, workers: number) =>
    results.find(
      (r) => r.config.mode === mode && r.config.decoder === decoder && r.config.workers === workers,
    );
  const rows = results.map((result) => {
    const { mode, decoder, workers } = result.config;
    const rgb = mode === 'dct' ? find('rgb', decoder!, workers!) : undefined;
    const single = workers === 2 ? find(mode!, decoder!, 1) : undefined;
    return {
      configuration: label(result),
      decoder: result.decoder,
      imagesPerSecond: Number(result.median.toFixed(1)),
      perRound: result.imagesPerSecond.map((rate) => Number(rate.toFixed(1))),
      imagesPerCpuSecond: Number(median(result.imagesPerCpuSecond).toFixed(1)),
      dctOverRgbTime: rgb ? Number((rgb.median / result.median).toFixed(2)) : null,
      dctOverRgbCpu: rgb
        ? Number((median(rgb.imagesPerCpuSecond) / median(result.imagesPerCpuSecond)).toFixed(2))
        : null,
      twoWorkersOverOne: single ? Number((result.median / single.median).toFixed(2)) : null,
    };
  });
  console.log(`hymenoptera train (244 images), median images/s over ${rounds} rounds of one timed epoch`);
  console.log(
    `pinned with taskset: ${pinned}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
  );
  console.table(rows);
  const resultsFolder = join(dirname(script), '..', 'results');
  mkdirSync(resultsFolder, { recursive: true });
  writeFileSync(
    join(resultsFolder, 'data-pipeline.json'),
    `${JSON.stringify({ date: new Date().toISOString(), rounds, pinned, loadBefore, loadAfter, rows }, null, 2)}\n`,
  );
}

function label(result: Measurement): string {
  const { kind, mode, decoder, workers } = result.config;
  if (kind === 'sharp-native') return 'baseline: sharp decode+resize+crop 224 (native, 1 core)';
  if (kind === 'jpeg-js-decode') return 'baseline: jpeg-js decode alone (1 core)';
  return `${mode === 'dct' ? 'DCT-24 448' : 'RGB-224'} train, ${decoder}, ${workers} worker${workers === 1 ? '' : 's'}`;
}

await main();
