import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

/** JFIF full-range BT.601 colour of an RGB pixel. */
function jfif(red: number, green: number, blue: number): [number, number, number] {
  return [
    0.299 * red + 0.587 * green + 0.114 * blue,
    128 - 0.168736 * red - 0.331264 * green + 0.5 * blue,
    128 + 0.5 * red - 0.418688 * green - 0.081312 * blue,
  ];
}

describe('docs/examples/first-cube.ts', () => {
  it('prints the cube shape and coefficients that follow from the DCT by hand', async () => {
    const { stdout, result } = await runExample('first-cube');
    expect(stdout).toContain('image 64 x 48 x 3 -> cube 6 x 8 x 192');
    expect(result.cubeShape).toEqual([6, 8, 192]);
    // 64 * 48 * 3 bytes and 8 * 6 * 192 floats: plain 4:4:4 keeps the sample count.
    expect(result.rgbBytes).toBe(9216);
    expect(result.cubeFloats).toBe(9216);
    // Flat grey 80: DC = 8 * (80 - 128).
    expect(result.greyTileDc as number).toBeCloseTo(-384, 3);

    // Stripe tile: half the columns red, half green. DC = 8 * (mean Y - 128).
    const red = jfif(255, 0, 0);
    const green = jfif(0, 255, 0);
    expect(result.stripeDc as number).toBeCloseTo(8 * ((red[0] + green[0]) / 2 - 128), 3);
    // Y(0, 7) = (1/sqrt 8) * (1/2) * 8 rows * sum_n s_n cos((2n + 1) 7 pi / 16), s_n alternating red, green.
    let sum = 0;
    for (let n = 0; n < 8; n++)
      sum += (n % 2 === 0 ? red[0] : green[0]) * Math.cos(((2 * n + 1) * 7 * Math.PI) / 16);
    expect(result.stripeYHighest as number).toBeCloseTo((8 * sum) / (2 * Math.sqrt(8)), 2);
    // Parseval: an orthonormal DCT keeps the energy of (sample - 128) per component.
    const energy = [0, 1, 2].map((c) => 32 * (red[c] - 128) ** 2 + 32 * (green[c] - 128) ** 2);
    const printed = result.stripeEnergy as number[];
    for (let c = 0; c < 3; c++) expect(printed[c] / energy[c]).toBeCloseTo(1, 4);
  });
});
