import {
  LIBJPEG_MISSING,
  libjpegEncodeCoefficients,
  libjpegReferenceBinary,
  skipNote,
} from '@fdl/test-utils';
import { describe, expect, it } from 'vitest';
import { computeJpegCoefficients } from '../src/libjpeg.js';
import { jpeg420Coefficients } from '../src/sample.js';

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

describe.skipIf(libjpegReferenceBinary() === null)(
  `libjpeg parity${skipNote(libjpegReferenceBinary() === null, LIBJPEG_MISSING)}`,
  () => {
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

    it.each([
      ['420', 75],
      ['444', 90],
      ['444', 100],
    ] as const)(
      'equals libjpeg with %s sampling at quality %i (its quantization tables)',
      (sampling, quality) => {
        const image = randomImage(45, 23, quality);
        const reference = libjpegEncodeCoefficients(image.data, 45, 23, { quality, sampling });
        const componentQuantization = reference.components.map((component) => component.quantization);
        const ours = computeJpegCoefficients(image, { sampling, componentQuantization });
        for (let c = 0; c < 3; c++) {
          expect(ours[c].widthInBlocks).toBe(reference.components[c].widthInBlocks);
          expect(Array.from(ours[c].blocks)).toEqual(Array.from(reference.components[c].blocks));
        }
        expect(() => computeJpegCoefficients(image, { quantization: [1, 2] })).toThrow(
          "computeJpegCoefficients: argument 'options.quantization' must have 64 integer steps >= 1, got length 2",
        );
      },
    );

    it('float DCT on libjpeg colour + downsampling rounds to within +-1 of libjpeg', () => {
      for (const [width, height] of [
        [17, 9],
        [64, 48],
        [101, 77],
      ]) {
        const image = randomImage(width, height, width + height);
        const reference = libjpegEncodeCoefficients(image.data, width, height);
        const float = jpeg420Coefficients(image, 'libjpeg');
        for (let c = 0; c < 3; c++) {
          expect([float[c].heightInBlocks, float[c].widthInBlocks]).toEqual([
            reference.components[c].heightInBlocks,
            reference.components[c].widthInBlocks,
          ]);
          let worst = 0;
          for (let k = 0; k < float[c].data.length; k++)
            worst = Math.max(
              worst,
              Math.abs(Math.round(float[c].data[k]) - reference.components[c].blocks[k]),
            );
          expect(worst, `${width}x${height} component ${c}`).toBeLessThanOrEqual(1);
        }
      }
    });
  },
);
