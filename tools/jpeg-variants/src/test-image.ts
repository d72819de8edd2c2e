import { writeFileSync } from 'node:fs';

/** Mulberry32: a tiny seeded generator so generated images are identical on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A deterministic test picture, `[height, width, channels]` interleaved bytes: smooth gradients (so DC and
 * low frequencies vary between blocks), a few hard edges and seeded noise (so high frequencies are not zero).
 */
export function testImage(width: number, height: number, channels: 1 | 3, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const gradient =
          ((x * (40 + 30 * c)) / Math.max(1, width) + (y * (90 - 20 * c)) / Math.max(1, height)) * 1.5;
        const edge = ((x >> 3) + (y >> 4) + c) % 3 === 0 ? 50 : 0;
        const noise = (random() - 0.5) * 40;
        pixels[(y * width + x) * channels + c] = Math.max(
          0,
          Math.min(255, Math.round(gradient + edge + noise + 30)),
        );
      }
    }
  }
  return pixels;
}

/** Writes binary PPM (3 channels) or PGM (1 channel), the input formats of cjpeg. */
export function writeNetpbm(
  path: string,
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
) {
  const header = new TextEncoder().encode(`${channels === 3 ? 'P6' : 'P5'}\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + pixels.length);
  out.set(header, 0);
  out.set(pixels, header.length);
  writeFileSync(path, out);
}
