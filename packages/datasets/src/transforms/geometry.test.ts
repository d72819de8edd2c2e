import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import {
  flipBoxesHorizontal,
  flipMasksHorizontal,
  keepRatioSize,
  padMasks,
  padToMultiple,
  resizeBoxes,
  resizeMasksNearest,
} from './detection-geometry.js';
import { randomResizedCropRegion, roundHalfToEven } from './random-resized-crop.js';

describe('randomResizedCropRegion', () => {
  it('replays torchvision get_params draw for draw (300 recorded cases, fallbacks included)', () => {
    // Written by tools/torch-fixtures/datasets/random-resized-crop.py from torchvision 0.14's own code.
    const fixture = JSON.parse(
      readFileSync(new URL('./fixtures/random-resized-crop.json', import.meta.url), 'utf8'),
    ) as {
      cases: { width: number; height: number; u: number[]; region: [number, number, number, number] }[];
    };
    expect(fixture.cases).toHaveLength(300);
    for (const { width, height, u, region } of fixture.cases) {
      let next = 0;
      const replay = {
        uniform: (low: number, high: number) => low + (high - low) * u[next++]!,
        integer: (low: number, high: number) => low + Math.floor(u[next++]! * (high - low)),
      } as unknown as Random;
      const crop = randomResizedCropRegion(width, height, replay);
      expect([crop.x, crop.y, crop.width, crop.height], `${width}x${height}`).toEqual(region);
      expect(next, `${width}x${height}: draws used`).toBe(u.length);
    }
  });

  it('falls back to the clamped-ratio centre crop when no attempt fits', () => {
    // 1000x10: any crop with aspect <= 4/3 and area >= 8% is taller than 10 px, so all 10 attempts fail.
    expect(randomResizedCropRegion(1000, 10, new Random(1))).toEqual({ x: 493, y: 0, width: 13, height: 10 });
    expect(randomResizedCropRegion(10, 1000, new Random(1))).toEqual({ x: 0, y: 493, width: 10, height: 13 });
    // With zero attempts a square image falls back to itself.
    expect(randomResizedCropRegion(7, 7, new Random(1), { attempts: 0 })).toEqual({
      x: 0,
      y: 0,
      width: 7,
      height: 7,
    });
  });

  it('samples inside the image with the requested area and aspect ranges, reproducibly', () => {
    const random = new Random(3);
    let fullAreaSeen = 0;
    for (let i = 0; i < 2000; i++) {
      const { x, y, width, height } = randomResizedCropRegion(500, 375, random);
      expect(x >= 0 && y >= 0 && x + width <= 500 && y + height <= 375).toBe(true);
      const fraction = (width * height) / (500 * 375);
      expect(fraction).toBeGreaterThan(0.07);
      expect(width / height).toBeGreaterThan(0.74);
      expect(width / height).toBeLessThan(1.35);
      if (fraction > 0.9) fullAreaSeen++;
    }
    expect(fullAreaSeen).toBeGreaterThan(10);
    expect(randomResizedCropRegion(500, 375, new Random(9))).toEqual(
      randomResizedCropRegion(500, 375, new Random(9)),
    );
  });

  it('works for a 1x1 image and rejects bad sizes and options', () => {
    expect(randomResizedCropRegion(1, 1, new Random(0))).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    expect(() => randomResizedCropRegion(0, 5, new Random(0))).toThrow(/must be positive integers, got 0x5/);
    expect(() => randomResizedCropRegion(5, 5, new Random(0), { scale: [0.5, 0.1] })).toThrow(
      /scale 0.5,0.1/,
    );
  });

  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4999, 2.5001].map((v) => roundHalfToEven(v) + 0)).toEqual([
      0, 2, 2, 0, 2, 3,
    ]);
  });
});

describe('detection geometry', () => {
  it('computes torchvision keep-ratio sizes exactly, float32 rounding included', () => {
    // [width, height, resized width, resized height] from torchvision 0.14 _resize_image_and_masks(800, 1333),
    // printed by tools/torch-fixtures/datasets/keep-ratio-sizes.py.
    const cases = [
      [500, 375, 1066, 799],
      [2000, 500, 1333, 333],
      [253, 311, 800, 983],
      [1017, 581, 1333, 761],
      [1, 1, 800, 800],
      [640, 427, 1199, 799],
      [640, 480, 1066, 800],
      [500, 333, 1201, 799],
      [2592, 1944, 1066, 799],
    ];
    for (const [w, h, rw, rh] of cases)
      expect(keepRatioSize(w!, h!), `${w}x${h}`).toMatchObject({ width: rw, height: rh });
    expect(() => keepRatioSize(0, 3)).toThrow(
      /keepRatioSize: argument 'width\/height' must be positive, got 0x3/,
    );
  });

  it('scales and flips boxes', () => {
    const boxes = new Float32Array([1, 2, 5, 6]);
    expect(Array.from(resizeBoxes(boxes, { width: 10, height: 10 }, { width: 20, height: 5 }))).toEqual([
      2, 1, 10, 3,
    ]);
    expect(Array.from(flipBoxesHorizontal(boxes, 10))).toEqual([5, 2, 9, 6]);
    expect(flipBoxesHorizontal(new Float32Array(0), 10)).toHaveLength(0);
  });

  it('keeps masks aligned with boxes through resize, flip and pad', () => {
    // One 2x4 mask with pixels (x=1..2, y=0) set: box [1, 0, 3, 1].
    const mask = new Uint8Array([0, 1, 1, 0, 0, 0, 0, 0]);
    const resized = resizeMasksNearest(mask, 1, { width: 4, height: 2 }, { width: 8, height: 4 });
    expect(Array.from(resized)).toEqual([
      0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    // The box scaled by 2 covers exactly the resized mask: [2, 0, 6, 2].
    expect(
      Array.from(
        resizeBoxes(new Float32Array([1, 0, 3, 1]), { width: 4, height: 2 }, { width: 8, height: 4 }),
      ),
    ).toEqual([2, 0, 6, 2]);
    const flipped = flipMasksHorizontal(new Uint8Array([1, 0, 0, 0, 0, 1]), 2, 3, 1);
    expect(Array.from(flipped)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(padMasks(new Uint8Array([1, 1, 1, 1]), 1, { width: 2, height: 2 }, 3, 3))).toEqual([
      1, 1, 0, 1, 1, 0, 0, 0, 0,
    ]);
    expect([padToMultiple(800), padToMultiple(801), padToMultiple(1), padToMultiple(0)]).toEqual([
      800, 832, 32, 0,
    ]);
    expect(() => resizeMasksNearest(mask, 2, { width: 4, height: 2 }, { width: 1, height: 1 })).toThrow(
      /has 8 values, expected 2x2x4/,
    );
  });
});
