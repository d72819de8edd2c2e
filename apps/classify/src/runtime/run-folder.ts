import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { BackendSelection } from './backend.js';

export interface GitRevision {
  commit: string | null;
  /** Uncommitted changes in the working tree when the run started. */
  dirty: boolean | null;
}

/** The checkout's commit and dirtiness, or nulls outside a git repository. */
export function gitRevision(cwd = process.cwd()): GitRevision {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return { commit: null, dirty: null };
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd,
    encoding: 'utf8',
  });
  return { commit: head.stdout.trim(), dirty: status.status === 0 ? status.stdout.trim().length > 0 : null };
}

export interface RunRecord {
  command: string;
  argv: string[];
  started: string;
  git: GitRevision;
  backend: { name: string; detail: string };
  seed: number;
  node: string;
}

/**
 * Creates `<outputDir>/<name>/` and writes `config.yaml` (the resolved config) and `run.json` (command,
 * git revision, backend, seed), so every result can be traced to what produced it.
 */
export function createRunFolder(
  outputDir: string,
  name: string,
  command: string,
  config: object,
  backend: BackendSelection,
  seed: number,
): { folder: string; record: RunRecord } {
  const folder = resolve(outputDir, name);
  mkdirSync(folder, { recursive: true });
  const record: RunRecord = {
    command,
    argv: process.argv.slice(2),
    started: new Date().toISOString(),
    git: gitRevision(),
    backend: { name: backend.name, detail: backend.detail },
    seed,
    node: process.version,
  };
  writeFileSync(join(folder, 'config.yaml'), toYaml(config));
  writeFileSync(join(folder, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  return { folder, record };
}

/** `<mode>-<architecture>-YYYYMMDD-HHMMSS` in UTC. */
export function defaultRunName(mode: string, architecture: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${mode}-${architecture}-${stamp}`;
}
