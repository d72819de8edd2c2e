import { ArgumentError } from './errors.js';

/**
 * An interleaved 8-bit RGB image: `data[(y * width + x) * 3 + c]`, c = 0 red, 1 green, 2 blue.
 * `data.length` must be exactly `width * height * 3`.
 */
export interface RgbImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** A single-channel plane of samples, row-major: `data[y * width + x]`. */
export interface Plane<T extends Float32Array | Uint8Array = Float32Array | Uint8Array> {
  data: T;
  width: number;
  height: number;
}

/** Throws an ArgumentError unless `image` is a well-formed RgbImage (integer sizes, matching length). */
export function validateRgbImage(functionName: string, image: RgbImage, argumentName = 'image'): void {
  if (
    image === null ||
    typeof image !== 'object' ||
    !(image.data instanceof Uint8Array || image.data instanceof Uint8ClampedArray)
  ) {
    throw new ArgumentError(
      functionName,
      argumentName,
      'must be an RgbImage {data: Uint8Array, width, height}',
    );
  }
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `must have non-negative integer sizes, got ${width}x${height}`,
      {
        width,
        height,
      },
    );
  }
  if (image.data.length !== width * height * 3) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `data length ${image.data.length} does not match ${width}x${height}x3 = ${width * height * 3}`,
      { width, height, length: image.data.length },
    );
  }
}

/** Throws an ArgumentError unless `plane` has integer sizes and `data.length === width * height`. */
export function validatePlane(functionName: string, plane: Plane, argumentName = 'plane'): void {
  if (
    plane === null ||
    typeof plane !== 'object' ||
    !(plane.data instanceof Float32Array || plane.data instanceof Uint8Array)
  ) {
    throw new ArgumentError(
      functionName,
      argumentName,
      'must be a Plane {data: Float32Array | Uint8Array, width, height}',
    );
  }
  const { width, height } = plane;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `must have non-negative integer sizes, got ${width}x${height}`,
      {
        width,
        height,
      },
    );
  }
  if (plane.data.length !== width * height) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `data length ${plane.data.length} does not match ${width}x${height} = ${width * height}`,
      { width, height, length: plane.data.length },
    );
  }
}

/** A new black (all zero) image of the given size. */
export function createRgbImage(width: number, height: number): RgbImage {
  return { data: new Uint8Array(width * height * 3), width, height };
}
