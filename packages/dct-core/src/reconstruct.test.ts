import { describe, expect, it } from 'vitest';
import { IMAGENET_DCT_STATS } from './data/official-stats.js';
import { dctCubeToImage, dctCubeToYcbcr } from './reconstruct.js';
import { imageToDctCube } from './sample.js';
import { randomRgbImage, smoothRgbImage } from './testing/random.js';

describe('dctCubeToImage', () => {
  it('round trips a plain 192-channel cube to the same pixels', () => {
    const image = randomRgbImage(24, 16, 12);
    const back = dctCubeToImage(imageToDctCube(image));
    expect([back.width, back.height]).toEqual([24, 16]);
    expect(Array.from(back.data)).toEqual(Array.from(image.data));
  });
  it('undoes normalization and keeps only the selected frequencies', () => {
    const image = smoothRgbImage(16, 16, 2);
    const normalized = imageToDctCube(image, { selection: 'DCT-6', normalization: IMAGENET_DCT_STATS });
    const raw = imageToDctCube(image, { selection: 'DCT-6' });
    const a = dctCubeToYcbcr(normalized, IMAGENET_DCT_STATS);
    const b = dctCubeToYcbcr(raw);
    for (let i = 0; i < a.y.length; i++) expect(a.y[i]).toBeCloseTo(b.y[i], 2);
    // Only DC of Cb: every chroma block is flat.
    expect(b.cb[0]).toBeCloseTo(b.cb[7], 4);
    const yOnly = dctCubeToYcbcr(imageToDctCube(image, { selection: [0] }));
    expect(yOnly.cr[5]).toBe(128);
  });
  it('reports malformed cubes', () => {
    expect(() =>
      dctCubeToImage({
        data: new Float32Array(3),
        height: 1,
        width: 1,
        channels: 2,
        channelIndices: Int32Array.of(0, 1),
      }),
    ).toThrow("dctCubeToYcbcr: argument 'cube' data length 3 does not match [1, 1, 2]");
  });
});
