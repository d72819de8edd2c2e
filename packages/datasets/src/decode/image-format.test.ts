import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from './image-format.js';

describe('sniffImageFormat', () => {
  it('recognises each format by its magic bytes', () => {
    expect(sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffImageFormat(new TextEncoder().encode('GIF89a'))).toBe('gif');
    expect(sniffImageFormat(new TextEncoder().encode('RIFF\0\0\0\0WEBP'))).toBe('webp');
    expect(sniffImageFormat(new TextEncoder().encode('BM..'))).toBe('bmp');
    expect(sniffImageFormat(new Uint8Array([0x49, 0x49, 0x2a, 0x00]))).toBe('tiff');
  });

  it('returns unknown for empty, short or foreign data', () => {
    expect(sniffImageFormat(new Uint8Array(0))).toBe('unknown');
    expect(sniffImageFormat(new Uint8Array([0xff, 0xd8]))).toBe('unknown');
    expect(sniffImageFormat(new TextEncoder().encode('<html>'))).toBe('unknown');
  });
});
