import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog } from './metrics-log.js';

describe('MetricsLog', () => {
  it('writes JSONL and CSV with a fixed header, quoting where needed', () => {
    const base = join(mkdtempSync(join(tmpdir(), 'fdl-log-')), 'epochs');
    const log = new MetricsLog(base);
    log.append({ epoch: 1, loss: 2.5, note: 'a,b' });
    log.append({ epoch: 2, loss: 1.25, extra: 3 });
    expect(readFileSync(`${base}.csv`, 'utf8')).toBe('epoch,loss,note\n1,2.5,"a,b"\n2,1.25,\n');
    expect(log.read()).toEqual([
      { epoch: 1, loss: 2.5, note: 'a,b' },
      { epoch: 2, loss: 1.25, extra: 3 },
    ]);
  });

  it('appends to an existing log with its columns after a resume', () => {
    const base = join(mkdtempSync(join(tmpdir(), 'fdl-log-')), 'epochs');
    new MetricsLog(base).append({ epoch: 1, loss: 1 });
    new MetricsLog(base).append({ loss: 0.5, epoch: 2 });
    expect(readFileSync(`${base}.csv`, 'utf8')).toBe('epoch,loss\n1,1\n2,0.5\n');
    expect(new MetricsLog(base).read()).toHaveLength(2);
  });
});
