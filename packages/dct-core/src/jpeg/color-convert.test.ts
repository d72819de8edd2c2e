import { describe, expect, it } from 'vitest';
import { invertedCmykToRgb, yccToRgb } from './color-convert.js';

function rgb(y: number, cb: number, cr: number): number[] {
  const out = new Uint8Array(3);
  yccToRgb(Uint8Array.of(y), Uint8Array.of(cb), Uint8Array.of(cr), out);
  return Array.from(out);
}

describe('yccToRgb', () => {
  it('maps neutral chroma to grey and follows the JFIF equations', () => {
    expect(rgb(128, 128, 128)).toEqual([128, 128, 128]);
    // R = Y + 1.402 (Cr - 128) = 100 + 1.402 * 50 = 170.1; G = 100 - 0.71414 * 50 = 64.3; B = 100.
    expect(rgb(100, 128, 178)).toEqual([170, 64, 100]);
    // B = 100 + 1.772 * (-60) = -6.3 -> 0; G = 100 + 0.34414 * 60 = 120.6 -> 121.
    expect(rgb(100, 68, 128)).toEqual([100, 121, 0]);
  });
});

describe('invertedCmykToRgb', () => {
  it('multiplies each inverted ink by the inverted black', () => {
    const out = new Uint8Array(3);
    invertedCmykToRgb(Uint8Array.of(255), Uint8Array.of(0), Uint8Array.of(128), Uint8Array.of(255), out);
    expect(Array.from(out)).toEqual([255, 0, 128]);
    invertedCmykToRgb(Uint8Array.of(255), Uint8Array.of(255), Uint8Array.of(255), Uint8Array.of(51), out);
    expect(Array.from(out)).toEqual([51, 51, 51]);
  });
});
