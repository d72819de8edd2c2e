import { FdlError } from '@fdl/dct-core';

/**
 * A training kernel on the wasm backend was called with something it cannot compute (an unsupported
 * data format, a backend that is not wasm). Code `E_WASM_TRAIN`; `details` names the kernel.
 */
export class WasmTrainingError extends FdlError {
  constructor(kernelName: string, problem: string, details: Record<string, unknown> = {}) {
    super('E_WASM_TRAIN', `${kernelName}: ${problem}`, { kernel: kernelName, ...details });
  }
}
