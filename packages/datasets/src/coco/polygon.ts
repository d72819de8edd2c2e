import { ArgumentError } from '@fdl/dct-core';

/**
 * Counts (column-major COCO RLE) of one polygon `[x0, y0, x1, y1, ...]` rasterised exactly as the
 * COCO mask API's `rleFrPoly` (what `pycocotools.mask.frPyObjects` does for polygons):
 *
 * 1. vertices are scaled by 5 and rounded (`floor(5 v + 0.5)`), the polygon is closed;
 * 2. every edge is walked with one point per step along its major axis (Bresenham-like, always
 *    from the lower end so both directions give the same points);
 * 3. wherever the walk crosses from one upsampled column to the next, the crossing is mapped back to
 *    a pixel column x (kept only if it lands exactly on an integer column inside the image) and a row
 *    `ceil((v + 0.5) / 5 - 0.5)` clamped to [0, height];
 * 4. those (x, y) boundary points, as column-major positions `x * height + y`, sorted, become run
 *    boundaries: each toggles inside/outside going down the columns.
 *
 * Pixel centres sit at integer coordinates; a pixel is set when its centre is inside the polygon by
 * this rule, which includes only part of the boundary pixels of a polygon drawn through pixel centres.
 */
export function polygonToCounts(polygon: ArrayLike<number>, height: number, width: number): number[] {
  if (polygon.length % 2 !== 0) {
    throw new ArgumentError(
      'polygonToCounts',
      'polygon',
      `has ${polygon.length} numbers, expected x,y pairs`,
    );
  }
  const scale = 5;
  const k = polygon.length / 2;
  if (k === 0) return [height * width];
  const xs = new Int32Array(k + 1);
  const ys = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) {
    xs[j] = truncate(scale * polygon[2 * j]! + 0.5);
    ys[j] = truncate(scale * polygon[2 * j + 1]! + 0.5);
  }
  xs[k] = xs[0]!;
  ys[k] = ys[0]!;

  // Dense boundary points in the upsampled grid.
  let total = 0;
  for (let j = 0; j < k; j++)
    total += Math.max(Math.abs(xs[j]! - xs[j + 1]!), Math.abs(ys[j]! - ys[j + 1]!)) + 1;
  const u = new Int32Array(total);
  const v = new Int32Array(total);
  let m = 0;
  for (let j = 0; j < k; j++) {
    let xStart = xs[j]!;
    let xEnd = xs[j + 1]!;
    let yStart = ys[j]!;
    let yEnd = ys[j + 1]!;
    const dx = Math.abs(xEnd - xStart);
    const dy = Math.abs(yStart - yEnd);
    const flip = (dx >= dy && xStart > xEnd) || (dx < dy && yStart > yEnd);
    if (flip) {
      [xStart, xEnd] = [xEnd, xStart];
      [yStart, yEnd] = [yEnd, yStart];
    }
    if (dx >= dy) {
      const slope = dx === 0 ? 0 : (yEnd - yStart) / dx;
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u[m] = t + xStart;
        v[m] = truncate(yStart + slope * t + 0.5);
        m++;
      }
    } else {
      const slope = (xEnd - xStart) / dy;
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v[m] = t + yStart;
        u[m] = truncate(xStart + slope * t + 0.5);
        m++;
      }
    }
  }

  // Column crossings, downsampled to pixel positions.
  const positions: number[] = [];
  for (let j = 1; j < m; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j]! < u[j - 1]! ? u[j]! : u[j]! - 1;
    xd = (xd + 0.5) / scale - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > width - 1) continue;
    let yd = v[j]! < v[j - 1]! ? v[j]! : v[j - 1]!;
    yd = (yd + 0.5) / scale - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > height) yd = height;
    yd = Math.ceil(yd);
    positions.push(xd * height + yd);
  }
  positions.push(height * width);
  positions.sort((a, b) => a - b);

  // Differences between sorted boundary positions are the runs; zero-length runs are folded away.
  const differences: number[] = [];
  let previous = 0;
  for (const position of positions) {
    differences.push(position - previous);
    previous = position;
  }
  const counts: number[] = [differences[0]!];
  for (let j = 1; j < differences.length; ) {
    if (differences[j]! > 0) counts.push(differences[j++]!);
    else {
      j++;
      if (j < differences.length) counts[counts.length - 1]! += differences[j++];
    }
  }
  return counts;
}

/** C's `(int)` cast: truncation toward zero. */
function truncate(value: number): number {
  return value < 0 ? Math.ceil(value) : Math.floor(value);
}
