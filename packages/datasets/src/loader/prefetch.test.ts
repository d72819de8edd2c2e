import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openImageFolder } from '../folder/image-folder.js';
import { createClassificationPipeline } from '../pipeline/classification-pipeline.js';
import { DataLoader } from './data-loader.js';

// Counts file reads of the sample processor (inline mode runs it on this thread).
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...original,
    readFile: (...args: Parameters<typeof original.readFile>) => {
      reads.count++;
      return original.readFile(...args);
    },
  };
});

const root = mkdtempSync(join(tmpdir(), 'fdl-prefetch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'c'));
for (let i = 0; i < 20; i++) {
  const png = new PNG({ width: 8, height: 8 });
  png.data.fill(i * 10);
  writeFileSync(join(root, 'c', `${String(i).padStart(2, '0')}.png`), PNG.sync.write(png));
}

describe('DataLoader prefetch', () => {
  it('reads at most prefetch batches ahead of the consumer, and nothing after an early break', async () => {
    const pipeline = createClassificationPipeline({ mode: 'dct', train: false, size: 8, resize: 8 });
    const loader = new DataLoader(openImageFolder(root), pipeline, { batchSize: 2, prefetch: 3 });
    const seen: number[] = [];
    for await (const batch of loader.epoch(0)) {
      expect(batch.shape[0]).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 20)); // a slow consumer
      seen.push(reads.count);
      if (seen.length === 2) break;
    }
    // When batch k (1-based) is consumed, batches up to k - 1 + prefetch have been submitted.
    expect(seen).toEqual([6, 8]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads.count).toBe(8);
    await loader.close();
  });
});
