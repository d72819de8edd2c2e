import { ArgumentError, FdlError } from '@fdl/dct-core';

/**
 * Errors of the detection parts (`E_DETECTION`): inputs that are individually well-formed but do not fit
 * together, such as targets for a different number of images than the batch, or a state dict that does
 * not fit the detector. Wrong arguments (shapes, ranges) raise `ArgumentError` (`E_ARGUMENT`).
 */
export class DetectionError extends FdlError {
  constructor(functionName: string, problem: string, details: Record<string, unknown> = {}) {
    super('E_DETECTION', `${functionName}: ${problem}`, { function: functionName, ...details });
  }
}

/** Throws an `ArgumentError` unless `boxes` is a flat `[N, 4]` array (length a multiple of 4). */
export function checkBoxes(functionName: string, argumentName: string, boxes: ArrayLike<number>): number {
  if (boxes.length % 4 !== 0) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `must hold [N, 4] boxes, got length ${boxes.length}`,
      {
        length: boxes.length,
      },
    );
  }
  return boxes.length / 4;
}
