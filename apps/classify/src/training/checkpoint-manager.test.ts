import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from './checkpoint-file.js';
import { CheckpointManager } from './checkpoint-manager.js';

const payload = (epoch: number) => ({ metadata: { epoch }, tensors: {} });

describe('CheckpointManager', () => {
  it('keeps the best N by score and deletes the ones that fall out', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-mgr-'));
    const manager = new CheckpointManager(folder, { keepBest: 2 });
    expect(manager.offerBest(payload(1), 1, 0.5)).toBe(join(folder, 'best-epoch-0001.fdlckpt'));
    expect(manager.offerBest(payload(2), 2, 0.7)).not.toBeNull();
    expect(manager.offerBest(payload(3), 3, 0.4)).toBeNull();
    expect(manager.offerBest(payload(4), 4, 0.6)).not.toBeNull();
    expect(manager.bestEntries().map((e) => [e.epoch, e.score])).toEqual([
      [2, 0.7],
      [4, 0.6],
    ]);
    expect(readdirSync(folder).sort()).toEqual([
      'best-epoch-0002.fdlckpt',
      'best-epoch-0004.fdlckpt',
      'best.json',
    ]);
    expect(readCheckpoint(manager.bestPath()!).metadata).toEqual({ epoch: 2 });
  });

  it('reloads its index, so a resumed run keeps ranking against earlier epochs', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-mgr-'));
    new CheckpointManager(folder, { keepBest: 1 }).offerBest(payload(1), 1, 0.9);
    const resumed = new CheckpointManager(folder, { keepBest: 1 });
    expect(resumed.offerBest(payload(2), 2, 0.8)).toBeNull();
    expect(resumed.bestPath()).toBe(join(folder, 'best-epoch-0001.fdlckpt'));
  });

  it('writes last.fdlckpt and keeps no best files when keepBest is 0', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-mgr-'));
    const manager = new CheckpointManager(folder, { keepBest: 0 });
    manager.saveLast(payload(5));
    expect(manager.offerBest(payload(5), 5, 1)).toBeNull();
    expect(readdirSync(folder)).toEqual(['last.fdlckpt']);
    expect(manager.bestPath()).toBeNull();
  });

  it('ignores a NaN score and rejects a negative keepBest', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-mgr-'));
    expect(new CheckpointManager(folder).offerBest(payload(1), 1, Number.NaN)).toBeNull();
    expect(() => new CheckpointManager(folder, { keepBest: -1 })).toThrow(
      "CheckpointManager: argument 'options.keepBest' must be an integer >= 0, got -1",
    );
  });
});
