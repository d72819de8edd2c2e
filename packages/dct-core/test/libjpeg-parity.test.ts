import { LIBJPEG_MISSING, libjpegEncodeCoefficients, libjpegReferenceBinary } from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import { computeJpegCoefficients } from '../src/libjpeg.js';

function randomImage(width: number, height: number, seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  };
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = next();
  return { data, width, height };
}

describe.skipIf(libjpegReferenceBinary() === null)(`libjpeg parity (${LIBJPEG_MISSING})`, () => {
  it.each([
    [16, 16],
    [17, 9],
    [333, 251],
  ])('equals libjpeg q100 4:2:0 islow on a random %ix%i image', (width, height) => {
    const image = randomImage(width, height, width * 31 + height);
    const reference = libjpegEncodeCoefficients(image.data, width, height);
    const ours = computeJpegCoefficients(image);
    for (let c = 0; c < 3; c++) {
      expect(ours[c].widthInBlocks).toBe(reference.components[c].widthInBlocks);
      expect(ours[c].heightInBlocks).toBe(reference.components[c].heightInBlocks);
      let mismatches = 0;
      for (let k = 0; k < ours[c].blocks.length; k++)
        if (ours[c].blocks[k] !== reference.components[c].blocks[k]) mismatches++;
      expect(mismatches, `component ${c}`).toBe(0);
    }
  });
});
