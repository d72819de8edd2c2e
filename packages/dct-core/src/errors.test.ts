import { describe, expect, it } from 'vitest';
import { ArgumentError, FdlError } from './errors.js';

describe('FdlError family', () => {
  it('carries a code, details and a name', () => {
    const error = new ArgumentError('forwardDct', 'plane', 'must have length 64, got 63', { actual: 63 });
    expect(error).toBeInstanceOf(FdlError);
    expect(error.code).toBe('E_ARGUMENT');
    expect(error.name).toBe('ArgumentError');
    expect(error.message).toBe("forwardDct: argument 'plane' must have length 64, got 63");
    expect(error.details).toEqual({ function: 'forwardDct', argument: 'plane', actual: 63 });
  });
});
