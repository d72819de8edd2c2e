import { FdlError } from '@fdl/dct-core';

/**
 * Errors raised by fd-models when weights do not fit a network: a state dict with missing or unexpected
 * names, a tensor with the wrong shape, or a malformed safetensors file. Codes are stable:
 * `E_STATE_DICT` (names or shapes do not match the network) and `E_SAFETENSORS` (bad file bytes).
 */
export class WeightsError extends FdlError {}

/** Builds a state-dict mismatch error whose message names the function and the offending entries. */
export function stateDictError(
  functionName: string,
  problem: string,
  details: Record<string, unknown> = {},
): WeightsError {
  return new WeightsError('E_STATE_DICT', `${functionName}: ${problem}`, {
    function: functionName,
    ...details,
  });
}

/** Builds a safetensors format error whose message names the function and the byte-level problem. */
export function safetensorsError(
  functionName: string,
  problem: string,
  details: Record<string, unknown> = {},
): WeightsError {
  return new WeightsError('E_SAFETENSORS', `${functionName}: ${problem}`, {
    function: functionName,
    ...details,
  });
}
