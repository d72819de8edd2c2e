import type { RgbImage } from '../image.js';

/** Deterministic 32-bit LCG (Numerical Recipes constants) for tests and benchmarks. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** An RgbImage of uniform random bytes from a seed. */
export function randomRgbImage(width: number, height: number, seed: number): RgbImage {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  return { data, width, height };
}

/** A smooth image with gradients and a few edges (more photo-like than noise), from a seed. */
export function smoothRgbImage(width: number, height: number, seed: number): RgbImage {
  const random = seededRandom(seed);
  const phase = [random() * 6, random() * 6, random() * 6];
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = (x > width * 0.4 && y > height * 0.3 ? 60 : 0) + ((x + y) % 23 < 3 ? 40 : 0);
      for (let c = 0; c < 3; c++) {
        const value =
          100 + 60 * Math.sin(x / 17 + phase[c]) * Math.cos(y / 23 - phase[c]) + edge + random() * 8;
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return { data, width, height };
}
