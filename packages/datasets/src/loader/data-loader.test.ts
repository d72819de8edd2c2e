import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { openImageFolder } from '../folder/image-folder.js';
import { createClassificationPipeline } from '../pipeline/classification-pipeline.js';
import { type ClassificationBatch, DataLoader } from './data-loader.js';
import { WorkerPoolError } from './worker-pool.js';

const root = mkdtempSync(join(tmpdir(), 'fdl-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A small JPEG whose content depends on `seed`, of a size that varies with it. */
function writeJpeg(path: string, seed: number): void {
  const width = 24 + (seed % 5) * 7;
  const height = 20 + (seed % 3) * 9;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++)
    data.set([(i * seed) % 256, (i + seed * 40) % 256, (seed * 91) % 256, 255], i * 4);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, jpeg.encode({ data, width, height }, 90).data);
}

for (let i = 0; i < 14; i++)
  writeJpeg(join(root, 'good', i % 2 ? 'cat' : 'dog', `${String(i).padStart(2, '0')}.jpg`), i + 1);
const tiny = createClassificationPipeline({ mode: 'dct', train: true, size: 16, selection: 'DCT-24' });

async function collect(loader: DataLoader, epoch: number): Promise<ClassificationBatch[]> {
  const batches: ClassificationBatch[] = [];
  for await (const batch of loader.epoch(epoch)) batches.push(batch);
  return batches;
}

describe('DataLoader', () => {
  const dataset = openImageFolder(join(root, 'good'));

  it('batches in dataset order with labels, paths and the last partial batch', async () => {
    const progress: number[][] = [];
    const loader = new DataLoader(dataset, tiny, {
      batchSize: 4,
      onProgress: (p) => progress.push([p.batch, p.batches, p.samples, p.total]),
    });
    expect([loader.size, loader.length]).toEqual([14, 4]);
    const batches = await collect(loader, 0);
    expect(batches.map((b) => b.shape)).toEqual([
      [4, 2, 2, 24],
      [4, 2, 2, 24],
      [4, 2, 2, 24],
      [2, 2, 2, 24],
    ]);
    expect(batches.flatMap((b) => b.indices)).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(Array.from(batches[0]!.labels)).toEqual(dataset.samples.slice(0, 4).map((s) => s.label));
    expect(batches[0]!.paths).toEqual(dataset.samples.slice(0, 4).map((s) => s.path));
    expect(progress).toEqual([
      [1, 4, 4, 14],
      [2, 4, 8, 14],
      [3, 4, 12, 14],
      [4, 4, 14, 14],
    ]);
    expect(loader.report()).toMatchObject({ processed: 14, skipped: [] });
    await loader.close();
    const dropLast = new DataLoader(dataset, tiny, { batchSize: 4, dropLast: true });
    expect((await collect(dropLast, 0)).map((b) => b.shape[0])).toEqual([4, 4, 4]);
  });

  it('gives identical batches on 0 and 2 workers, reshuffles per epoch, and shards disjointly', async () => {
    const options = { batchSize: 3, shuffle: true, seed: 11 };
    const inline = new DataLoader(dataset, tiny, options);
    const threaded = new DataLoader(dataset, tiny, { ...options, workers: 2, prefetch: 3 });
    try {
      const a = await collect(inline, 1);
      const b = await collect(threaded, 1);
      expect(b.map((x) => x.indices)).toEqual(a.map((x) => x.indices));
      for (let i = 0; i < a.length; i++) expect(Array.from(b[i]!.inputs)).toEqual(Array.from(a[i]!.inputs));
      const order1 = a.flatMap((x) => x.indices);
      expect([...order1].sort((x, y) => x - y)).toEqual(Array.from({ length: 14 }, (_, i) => i));
      expect(inline.order(2)).not.toEqual(order1);
      expect(inline.order(1)).toEqual(order1);
      // The same sample gets a different augmentation in another epoch.
      const position = inline.order(2).indexOf(a[0]!.indices[0]!);
      const epoch2 = await collect(inline, 2);
      const cell = 2 * 2 * 24;
      const sameSample = epoch2[Math.floor(position / 3)]!.inputs.subarray(
        (position % 3) * cell,
        ((position % 3) + 1) * cell,
      );
      expect(Array.from(sameSample)).not.toEqual(Array.from(a[0]!.inputs.subarray(0, cell)));
      expect(threaded.report().decoder).toBe(inline.report().decoder);
    } finally {
      await threaded.close();
      await inline.close();
    }
    const shards = [0, 1, 2].map((rank) => new DataLoader(dataset, tiny, { ...options, rank, worldSize: 3 }));
    const parts = shards.map((shard) => shard.order(4));
    expect(parts.map((p) => p.length)).toEqual([5, 5, 4]);
    expect(parts.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(shards[1]!.size).toBe(5);
  });

  it('stops at the first bad file under error, and lists every skipped file under skip', async () => {
    const mixed = join(root, 'mixed');
    writeJpeg(join(mixed, 'a', '0.jpg'), 3);
    writeFileSync(join(mixed, 'a', '1.jpg'), 'definitely not an image');
    const png = new PNG({ width: 5, height: 4 });
    png.data.fill(200);
    writeFileSync(join(mixed, 'a', '2.jpg'), PNG.sync.write(png));
    writeJpeg(join(mixed, 'a', '3.jpg'), 4);
    writeFileSync(join(mixed, 'a', '4.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]));
    const data = openImageFolder(mixed);
    const strict = new DataLoader(data, tiny, { batchSize: 2 });
    const failure = await collect(strict, 0).catch((error) => error);
    expect(failure).toBeInstanceOf(DatasetError);
    expect(failure).toMatchObject({ reason: 'unsupported', path: join(mixed, 'a', '1.jpg') });
    expect(failure.message).toMatch(/not a recognised image format \(unsupported: .*1\.jpg\)/);

    const tolerant = new DataLoader(data, tiny, { batchSize: 2, onError: 'skip' });
    const batches = await collect(tolerant, 0);
    expect(batches.map((b) => b.indices)).toEqual([[0], [2, 3]]);
    const report = tolerant.report();
    expect(report.skipped.map((s) => [s.path.slice(-5), s.reason, s.epoch])).toEqual([
      ['1.jpg', 'unsupported', 0],
      ['4.jpg', 'corrupt', 0],
    ]);
    expect(report.processed).toBe(3);
    expect(Object.values(report.decoderUse).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('handles an empty dataset and a batch larger than the dataset', async () => {
    const empty = new DataLoader({ classes: ['a'], samples: [], skipped: [] }, tiny, {
      batchSize: 4,
      shuffle: true,
    });
    expect([empty.size, empty.length]).toEqual([0, 0]);
    expect(await collect(empty, 0)).toEqual([]);
    const one = { classes: ['a'], samples: [dataset.samples[0]!], skipped: [] };
    const big = new DataLoader(one, tiny, { batchSize: 64 });
    expect((await collect(big, 0)).map((b) => b.shape)).toEqual([[1, 2, 2, 24]]);
    expect(await collect(new DataLoader(one, tiny, { batchSize: 64, dropLast: true }), 0)).toEqual([]);
  });

  it('refuses to run two epochs at once', async () => {
    const loader = new DataLoader(dataset, tiny, { batchSize: 4 });
    const first = loader.epoch(0);
    await first.next();
    await expect(loader.epoch(1).next()).rejects.toThrow(
      /DataLoader.epoch: argument 'epoch' 1 started while another epoch/,
    );
    await first.return(undefined);
    expect((await collect(loader, 1)).length).toBe(4);
  });

  it('validates its options', () => {
    expect(() => new DataLoader(dataset, tiny, { batchSize: 0 })).toThrow(
      /DataLoader: argument 'options.batchSize' must be a positive integer, got 0/,
    );
    expect(() => new DataLoader(dataset, tiny, { batchSize: 2, rank: 2, worldSize: 2 })).toThrow(
      /must be in \[0, worldSize = 2\), got 2/,
    );
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    expect(() => new DataLoader(dataset, tiny, { batchSize: 2, onError: 'ignore' as any })).toThrow(
      /'error' or 'skip', got ignore/,
    );
  });

  it('reports a worker that cannot start as a WorkerPoolError and leaves no thread running', async () => {
    // A forged pipeline (bypassing createClassificationPipeline's validation) makes every worker fail.
    const broken = { ...tiny, decoder: 'libjpeg-9' } as unknown as typeof tiny;
    const loader = new DataLoader(dataset, broken, { batchSize: 2, workers: 2 });
    const failure = await collect(loader, 0).catch((error) => error);
    expect(failure).toBeInstanceOf(WorkerPoolError);
    expect(failure.message).toMatch(
      /worker \d failed to start: ArgumentError: createDecoderSet: argument 'name' must be auto, sharp, jpeg-js or fdl, got "libjpeg-9"/,
    );
    await loader.close();
    expect(() =>
      createClassificationPipeline({ mode: 'dct', train: true, decoder: 'libjpeg-9' as never }),
    ).toThrow(/argument 'options.decoder' must be one of auto, sharp, jpeg-js, fdl, got libjpeg-9/);
  });

  it('leaves no worker behind: a process that breaks out of an epoch and closes exits by itself', () => {
    const script = join(root, 'shutdown.mts');
    const moduleUrl = new URL('./data-loader.ts', import.meta.url).href;
    const pipelineUrl = new URL('../pipeline/classification-pipeline.ts', import.meta.url).href;
    const folderUrl = new URL('../folder/image-folder.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { DataLoader } from ${JSON.stringify(moduleUrl)};
import { createClassificationPipeline } from ${JSON.stringify(pipelineUrl)};
import { openImageFolder } from ${JSON.stringify(folderUrl)};
const loader = new DataLoader(openImageFolder(${JSON.stringify(join(root, 'good'))}), createClassificationPipeline({ mode: 'dct', train: true, size: 16 }), { batchSize: 2, workers: 2, prefetch: 4 });
for await (const batch of loader.epoch(0)) { console.log('batch', batch.shape[0]); break; }
await loader.close();
console.log('closed');
`,
    );
    const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--conditions=@fdl/source', '--import', 'tsx', script], {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('batch 2\nclosed\n');
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
