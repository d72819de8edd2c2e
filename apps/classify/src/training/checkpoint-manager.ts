import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@fdl/dct-core';
import { type CheckpointPayload, writeCheckpoint, writeFileAtomically } from './checkpoint-file.js';

export interface CheckpointManagerOptions {
  /** How many best checkpoints (by the score, higher is better) to keep besides `last.fdlckpt`. */
  keepBest: number;
}

export const DEFAULT_CHECKPOINT_MANAGER_OPTIONS: Readonly<CheckpointManagerOptions> = Object.freeze({
  keepBest: 2,
});

export interface BestEntry {
  file: string;
  epoch: number;
  score: number;
}

/**
 * Owns `<folder>/last.fdlckpt` (written every epoch and on interrupt) and the best-N files
 * `best-epoch-NNNN.fdlckpt`, listed with their scores in `<folder>/best.json`.
 */
export class CheckpointManager {
  readonly folder: string;
  readonly options: CheckpointManagerOptions;
  private best: BestEntry[];

  constructor(folder: string, options: Partial<CheckpointManagerOptions> = {}) {
    this.options = { ...DEFAULT_CHECKPOINT_MANAGER_OPTIONS, ...options };
    if (!Number.isInteger(this.options.keepBest) || this.options.keepBest < 0) {
      throw new ArgumentError(
        'CheckpointManager',
        'options.keepBest',
        `must be an integer >= 0, got ${this.options.keepBest}`,
      );
    }
    this.folder = folder;
    mkdirSync(folder, { recursive: true });
    const index = join(folder, 'best.json');
    this.best = existsSync(index) ? (JSON.parse(readFileSync(index, 'utf8')) as BestEntry[]) : [];
  }

  get lastPath(): string {
    return join(this.folder, 'last.fdlckpt');
  }

  /** The kept best checkpoints, best first. */
  bestEntries(): readonly BestEntry[] {
    return this.best;
  }

  /** Path of the best checkpoint, or null when none is kept. */
  bestPath(): string | null {
    return this.best.length > 0 ? join(this.folder, this.best[0].file) : null;
  }

  saveLast(payload: CheckpointPayload): string {
    writeCheckpoint(this.lastPath, payload);
    return this.lastPath;
  }

  /** Writes a best checkpoint when `score` ranks in the top N; deletes the one that falls out. Returns its path or null. */
  offerBest(payload: CheckpointPayload, epoch: number, score: number): string | null {
    if (this.options.keepBest === 0 || !Number.isFinite(score)) return null;
    const ranked = [
      ...this.best.filter((e) => e.epoch !== epoch),
      { file: bestFileName(epoch), epoch, score },
    ].sort((a, b) => b.score - a.score || a.epoch - b.epoch);
    const kept = ranked.slice(0, this.options.keepBest);
    if (!kept.some((e) => e.epoch === epoch)) return null;
    const path = join(this.folder, bestFileName(epoch));
    writeCheckpoint(path, payload);
    for (const dropped of ranked.slice(this.options.keepBest))
      rmSync(join(this.folder, dropped.file), { force: true });
    this.best = kept;
    writeFileAtomically(join(this.folder, 'best.json'), Buffer.from(`${JSON.stringify(kept, null, 2)}\n`));
    return path;
  }
}

function bestFileName(epoch: number): string {
  return `best-epoch-${String(epoch).padStart(4, '0')}.fdlckpt`;
}
