import { describe, expect, it } from 'vitest';
import { comparisonTable } from './comparison-table.js';
import type { TrainSummary } from './train.js';

function run(
  name: string,
  mode: string,
  bytes: number,
  top1: number,
  gate: number | null = null,
): TrainSummary {
  return {
    name,
    mode,
    inputBytesPerImage: bytes,
    top1,
    top5: 1,
    gateChannels: gate,
    trainImagesPerSecond: 12.345,
    valImagesPerSecond: null,
  } as TrainSummary;
}

describe('comparisonTable', () => {
  it('puts input size ratios next to accuracy', () => {
    const lines = comparisonTable([
      run('rgb', 'rgb', 602112, 0.8),
      run('dct-24', 'dct-24', 301056, 0.755, null),
    ]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^run\s+input\s+bytes\/image\s+vs first\s+top-1\s+top-5\s+gate ch\.\s+train img\/s\s+val img\/s$/,
    );
    expect(lines[2]).toMatch(/^rgb\s+rgb\s+602,112\s+1\.000x\s+80\.00%\s+100\.00%\s+-\s+12\.3\s+-$/);
    expect(lines[3]).toMatch(/^dct-24\s+dct-24\s+301,056\s+0\.500x\s+75\.50%/);
  });

  it('prints a header only for no runs', () => {
    expect(comparisonTable([]).split('\n')).toHaveLength(2);
  });
});
