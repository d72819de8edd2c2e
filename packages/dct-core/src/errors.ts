/**
 * The one error family of fdl. Every package throws `FdlError` or a subclass, so callers can
 * catch the whole library with one `instanceof` and branch on a stable `code`.
 */
export class FdlError extends Error {
  /** Stable machine-readable code, e.g. `E_SHAPE`, `E_JPEG_CORRUPT`, `E_DATASET`. */
  readonly code: string;
  /** Optional structured details (argument name, actual shape, path, byte offset...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A wrong argument: bad shape, size, type or value. The message names function, argument and value. */
export class ArgumentError extends FdlError {
  constructor(
    functionName: string,
    argumentName: string,
    problem: string,
    details: Record<string, unknown> = {},
  ) {
    super('E_ARGUMENT', `${functionName}: argument '${argumentName}' ${problem}`, {
      function: functionName,
      argument: argumentName,
      ...details,
    });
  }
}
