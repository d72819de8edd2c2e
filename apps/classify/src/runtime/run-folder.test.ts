import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createRunFolder, defaultRunName, gitRevision } from './run-folder.js';

describe('run folder', () => {
  it('writes the resolved config, git revision, backend and seed', () => {
    const out = mkdtempSync(join(tmpdir(), 'fdl-run-'));
    const { folder, record } = createRunFolder(
      out,
      'a',
      'train',
      { train: { epochs: 2 } },
      { name: 'cpu', detail: 'cpu', skipped: [] },
      7,
    );
    expect(folder).toBe(join(out, 'a'));
    expect(parse(readFileSync(join(folder, 'config.yaml'), 'utf8'))).toEqual({ train: { epochs: 2 } });
    const saved = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8'));
    expect(saved).toEqual(record);
    expect(saved.seed).toBe(7);
    expect(saved.backend).toEqual({ name: 'cpu', detail: 'cpu' });
    expect(saved.git.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('gives nulls outside a repository and a dated default name', () => {
    const outside = mkdtempSync(join(tmpdir(), 'fdl-nogit-'));
    expect(gitRevision(outside)).toEqual({ commit: null, dirty: null });
    expect(defaultRunName('dct', 'resnet18', new Date('2026-01-02T03:04:05Z'))).toBe(
      'dct-resnet18-20260102-030405',
    );
    expect(existsSync(outside)).toBe(true);
  });
});
