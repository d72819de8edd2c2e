/**
 * Chroma upsampling exactly as libjpeg-turbo's default ("fancy") decoder (jdsample.c) chooses it:
 * - same sampling as the largest: copy;
 * - 2x horizontally: triangle filter (3/4 nearer + 1/4 further sample) when the plane is wider than 2
 *   samples, else replication;
 * - 2x vertically only: triangle filter between rows;
 * - 2x both ways: triangle filter in both directions when wider than 2 samples, else replication;
 * - any other integer ratio: replication (box).
 * At the top and bottom the missing neighbour row is the edge row itself (libjpeg's context rows); the
 * first and last columns use the edge sample.
 */

/** A component's samples: `[height, stride]` with `width <= stride` valid columns per row. */
export interface SamplePlane {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly stride: number;
}

/**
 * Upsamples `plane` by integer factors to an `outputWidth` x `outputHeight` plane (row-major, no padding).
 * Returns null when the ratio is not an integer (the caller reports it).
 */
export function upsamplePlane(
  plane: SamplePlane,
  horizontalFactor: number,
  verticalFactor: number,
  outputWidth: number,
  outputHeight: number,
): Uint8Array {
  const output = new Uint8Array(outputWidth * outputHeight);
  if (horizontalFactor === 1 && verticalFactor === 1) {
    for (let y = 0; y < outputHeight; y++) {
      output.set(plane.data.subarray(y * plane.stride, y * plane.stride + outputWidth), y * outputWidth);
    }
  } else if (horizontalFactor === 2 && verticalFactor === 1 && plane.width > 2) {
    fancyH2V1(plane, output, outputWidth, outputHeight);
  } else if (horizontalFactor === 1 && verticalFactor === 2) {
    fancyH1V2(plane, output, outputWidth, outputHeight);
  } else if (horizontalFactor === 2 && verticalFactor === 2 && plane.width > 2) {
    fancyH2V2(plane, output, outputWidth, outputHeight);
  } else {
    replicate(plane, horizontalFactor, verticalFactor, output, outputWidth, outputHeight);
  }
  return output;
}

/** Writes a 2x-wide row from `input` (the triangle filter of libjpeg's h2v1_fancy_upsample). */
function fancyH2V1(plane: SamplePlane, output: Uint8Array, outputWidth: number, outputHeight: number) {
  const { data, width, stride } = plane;
  const row = new Uint8Array(2 * width);
  for (let y = 0; y < outputHeight; y++) {
    const base = y * stride;
    row[0] = data[base];
    row[1] = (data[base] * 3 + data[base + 1] + 2) >> 2;
    for (let x = 1; x < width - 1; x++) {
      const near = data[base + x] * 3;
      row[2 * x] = (near + data[base + x - 1] + 1) >> 2;
      row[2 * x + 1] = (near + data[base + x + 1] + 2) >> 2;
    }
    const last = data[base + width - 1];
    row[2 * width - 2] = (last * 3 + data[base + width - 2] + 1) >> 2;
    row[2 * width - 1] = last;
    output.set(row.subarray(0, outputWidth), y * outputWidth);
  }
}

function fancyH1V2(plane: SamplePlane, output: Uint8Array, outputWidth: number, outputHeight: number) {
  const { data, height, stride } = plane;
  for (let y = 0; y < outputHeight; y++) {
    const source = y >> 1;
    const below = (y & 1) === 1;
    const neighbour = below ? Math.min(source + 1, height - 1) : Math.max(source - 1, 0);
    const bias = below ? 2 : 1;
    const near = source * stride;
    const far = neighbour * stride;
    const out = y * outputWidth;
    for (let x = 0; x < outputWidth; x++) output[out + x] = (data[near + x] * 3 + data[far + x] + bias) >> 2;
  }
}

function fancyH2V2(plane: SamplePlane, output: Uint8Array, outputWidth: number, outputHeight: number) {
  const { data, width, height, stride } = plane;
  const row = new Uint8Array(2 * width);
  for (let y = 0; y < outputHeight; y++) {
    const source = y >> 1;
    const neighbour = (y & 1) === 1 ? Math.min(source + 1, height - 1) : Math.max(source - 1, 0);
    const near = source * stride;
    const far = neighbour * stride;
    // Column sums: 3 * nearer row + further row; then the same 3:1 filter horizontally (total weight 16).
    let current = data[near] * 3 + data[far];
    let next = data[near + 1] * 3 + data[far + 1];
    row[0] = (current * 4 + 8) >> 4;
    row[1] = (current * 3 + next + 7) >> 4;
    let previous = current;
    current = next;
    for (let x = 1; x < width - 1; x++) {
      next = data[near + x + 1] * 3 + data[far + x + 1];
      row[2 * x] = (current * 3 + previous + 8) >> 4;
      row[2 * x + 1] = (current * 3 + next + 7) >> 4;
      previous = current;
      current = next;
    }
    row[2 * width - 2] = (current * 3 + previous + 8) >> 4;
    row[2 * width - 1] = (current * 4 + 7) >> 4;
    output.set(row.subarray(0, outputWidth), y * outputWidth);
  }
}

function replicate(
  plane: SamplePlane,
  horizontalFactor: number,
  verticalFactor: number,
  output: Uint8Array,
  outputWidth: number,
  outputHeight: number,
) {
  const { data, stride } = plane;
  for (let y = 0; y < outputHeight; y++) {
    const base = Math.floor(y / verticalFactor) * stride;
    const out = y * outputWidth;
    for (let x = 0; x < outputWidth; x++) output[out + x] = data[base + Math.floor(x / horizontalFactor)];
  }
}
