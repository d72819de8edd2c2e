import { ArgumentError } from '@fdl/dct-core';

/** Throws unless `value` is a finite number greater than 0. */
export function requirePositive(functionName: string, argumentName: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ArgumentError(functionName, argumentName, `must be a finite number > 0, got ${value}`, {
      value,
    });
  }
}

/** Throws unless `value` is a finite number greater than or equal to 0. */
export function requireNonNegative(functionName: string, argumentName: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ArgumentError(functionName, argumentName, `must be a finite number >= 0, got ${value}`, {
      value,
    });
  }
}

/** Throws unless `value` is an integer in [minimum, maximum]. */
export function requireInteger(
  functionName: string,
  argumentName: string,
  value: number,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `>= ${minimum}` : `in [${minimum}, ${maximum}]`;
    throw new ArgumentError(functionName, argumentName, `must be an integer ${range}, got ${value}`, {
      value,
    });
  }
}

/** Throws unless `value` is a finite number in [minimum, maximum]. */
export function requireInRange(
  functionName: string,
  argumentName: string,
  value: number,
  minimum: number,
  maximum: number,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum || value > maximum) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `must be a number in [${minimum}, ${maximum}], got ${value}`,
      {
        value,
      },
    );
  }
}

/** Formats a shape for error messages, e.g. `[2, 4, 4, 16]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws unless two shapes are identical. */
export function requireSameShape(
  functionName: string,
  argumentName: string,
  actual: readonly number[],
  expected: readonly number[],
): void {
  if (actual.length !== expected.length || actual.some((size, i) => size !== expected[i])) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `must have shape ${formatShape(expected)}, got ${formatShape(actual)}`,
      { shape: [...actual], expectedShape: [...expected] },
    );
  }
}
