import { ArgumentError } from './errors.js';
import type { RgbImage } from './image.js';

/**
 * A synthetic test scene made in code (no external data): a sky-to-ground gradient, a sun disc, striped
 * and checkered panels with sharp edges, and soft shading. Deterministic; useful for demos and docs.
 */
export function createDemoImage(width = 640, height = 480): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ArgumentError(
      'createDemoImage',
      'width',
      `and height must be positive integers, got ${width}x${height}`,
    );
  }
  const data = new Uint8Array(width * height * 3);
  const horizon = Math.round(height * 0.62);
  const sunX = width * 0.72;
  const sunY = height * 0.25;
  const sunRadius = Math.min(width, height) * 0.1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r: number;
      let g: number;
      let b: number;
      if (y < horizon) {
        const t = y / horizon;
        r = 70 + 120 * t;
        g = 120 + 90 * t;
        b = 220 - 40 * t;
      } else {
        const t = (y - horizon) / Math.max(1, height - horizon);
        r = 60 + 50 * t + 12 * Math.sin(x / 9 + y / 5);
        g = 140 - 40 * t + 10 * Math.sin(x / 13);
        b = 50 + 20 * t;
      }
      const dx = x - sunX;
      const dy = y - sunY;
      const distance = Math.sqrt(dx * dx + dy * dy);
      if (distance < sunRadius) {
        r = 255;
        g = 225 - 40 * (distance / sunRadius);
        b = 120;
      } else if (distance < sunRadius * 1.6) {
        const glow = 1 - (distance - sunRadius) / (sunRadius * 0.6);
        r += (255 - r) * 0.5 * glow;
        g += (230 - g) * 0.5 * glow;
      }
      // A striped panel (high horizontal frequency) and a checkerboard (mixed frequencies).
      if (x > width * 0.08 && x < width * 0.3 && y > height * 0.4 && y < height * 0.85) {
        const stripe = Math.floor(x / 3) % 2 === 0;
        r = stripe ? 230 : 40;
        g = stripe ? 60 : 30;
        b = stripe ? 50 : 90;
      }
      if (x > width * 0.38 && x < width * 0.58 && y > height * 0.55 && y < height * 0.9) {
        const check = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 === 0;
        r = check ? 245 : 15;
        g = check ? 245 : 15;
        b = check ? 245 : 15;
      }
      const p = (y * width + x) * 3;
      data[p] = Math.max(0, Math.min(255, Math.round(r)));
      data[p + 1] = Math.max(0, Math.min(255, Math.round(g)));
      data[p + 2] = Math.max(0, Math.min(255, Math.round(b)));
    }
  }
  return { data, width, height };
}
