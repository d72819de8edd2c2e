import { FdlError } from '@fdl/dct-core';

/**
 * Gate statistics that cannot be combined or parsed: mismatched channel counts when merging,
 * or a JSON document that is not a gate-statistics record. Code `E_GATE_STATISTICS`.
 */
export class GateStatisticsError extends FdlError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('E_GATE_STATISTICS', message, details);
  }
}
