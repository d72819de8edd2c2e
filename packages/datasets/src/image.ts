/**
 * An 8-bit RGB image, interleaved, row-major: `data[(y * width + x) * 3 + c]`, c = 0 R, 1 G, 2 B.
 * Structurally identical to @fdl/dct-core's `RgbImage`, so values pass between the packages freely.
 */
export interface RgbImage {
  /** [height, width, 3] uint8 */
  data: Uint8Array;
  width: number;
  height: number;
}
