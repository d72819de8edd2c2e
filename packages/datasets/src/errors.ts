import { FdlError } from '@fdl/dct-core';

/**
 * Why a dataset operation failed. Stable strings: callers (and the skip report) branch on them.
 * - `corrupt`: the bytes could not be decoded (truncated, bad markers, bad PNG chunks...).
 * - `unsupported`: the file is an image format no installed decoder reads (e.g. GIF without sharp).
 * - `missing`: a file or folder that the dataset description names does not exist.
 * - `empty`: a folder or class holds no usable file.
 * - `invalid-annotation`: an annotation file is not valid JSON or violates the COCO schema.
 * - `io`: the operating system refused to read the file.
 */
export type DatasetErrorReason =
  | 'corrupt'
  | 'unsupported'
  | 'missing'
  | 'empty'
  | 'invalid-annotation'
  | 'io';

/**
 * A dataset file or folder that cannot be used. Always names the path (or null for dataset-wide
 * problems) and the reason; `code` is `E_DATASET` for every reason so one `catch` handles them all.
 */
export class DatasetError extends FdlError {
  readonly path: string | null;
  readonly reason: DatasetErrorReason;
  /** The message without the `(reason: path)` suffix. */
  readonly problem: string;

  constructor(
    reason: DatasetErrorReason,
    path: string | null,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(
      'E_DATASET',
      path === null ? message : `${message} (${reason}: ${path})`,
      { reason, path, ...details },
      options,
    );
    this.path = path;
    this.reason = reason;
    this.problem = message;
  }
}

/** Message of any thrown value, for wrapping third-party errors. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
