import { describe, expect, it } from 'vitest';
import { createDemoImage } from './demo-image.js';

describe('createDemoImage', () => {
  it('is deterministic and has its landmarks (sky, sun, checkerboard)', () => {
    const a = createDemoImage(64, 48);
    expect(createDemoImage(64, 48).data).toEqual(a.data);
    const pixel = (x: number, y: number) =>
      Array.from(a.data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3));
    expect(pixel(2, 0)).toEqual([70, 120, 220]);
    expect(pixel(46, 12)[0]).toBe(255);
    expect(new Set([pixel(26, 30)[0], pixel(26 + 8, 30)[0]])).toEqual(new Set([245, 15]));
    expect(createDemoImage(1, 1).data.length).toBe(3);
    expect(() => createDemoImage(0, 5)).toThrow(
      "createDemoImage: argument 'width' and height must be positive integers, got 0x5",
    );
  });
});
