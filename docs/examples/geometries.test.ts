import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('docs/examples/geometries.ts', () => {
  it('prints the shapes the data-conventions guide states', async () => {
    const { stdout, result } = await runExample('geometries');
    // 500 x 375 edge-replicated to 504 x 376: 47 x 63 blocks.
    expect(result.plain).toEqual([47, 63, 24]);
    expect(result.resnet).toEqual([56, 56, 24]); // 448 / 8
    expect(result.mobilenet).toEqual([112, 112, 24]); // 896 / 8
    expect(result.detection).toEqual([30, 50, 24]); // 120 / 4 x 200 / 4
    expect(stdout).toContain('ResNet-50 (512 / 448)      500 x 375  -> 56 x 56 x 24');
    // The transforms default to the official DCT-24.
    expect(result.resnetChannels).toEqual([
      0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27, 64, 65, 72, 73, 128, 129, 136, 137,
    ]);
  });
});
