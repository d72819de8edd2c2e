import { FdlError } from '@fdl/dct-core';

/**
 * Errors of the classify app. Codes are stable:
 * - `E_CONFIG`: a config file or flag that does not validate (details.issues lists every problem)
 * - `E_CHECKPOINT`: a checkpoint that is missing, truncated, corrupt or from another model
 * - `E_DIVERGED`: a loss or gradient norm that became NaN/Inf during training
 * - `E_INPUT`: a missing data folder, image or .npy input
 * - `E_BACKEND`: a forced tfjs backend that cannot be used on this machine
 */
export class ClassifyError extends FdlError {}

export function configError(message: string, details: Record<string, unknown> = {}): ClassifyError {
  return new ClassifyError('E_CONFIG', message, details);
}

export function checkpointError(
  path: string,
  problem: string,
  details: Record<string, unknown> = {},
): ClassifyError {
  return new ClassifyError('E_CHECKPOINT', `checkpoint '${path}': ${problem}`, { path, ...details });
}

export function inputError(message: string, details: Record<string, unknown> = {}): ClassifyError {
  return new ClassifyError('E_INPUT', message, details);
}
