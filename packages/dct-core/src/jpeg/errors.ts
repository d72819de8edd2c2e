import { FdlError } from '../errors.js';

/**
 * Stable codes of `JpegError`:
 * - `E_JPEG_NOT_JPEG`: the bytes do not start with a JPEG SOI marker (e.g. a GIF or PNG named .jpg).
 * - `E_JPEG_UNSUPPORTED`: a valid JPEG feature this reader refuses (arithmetic coding, lossless,
 *   hierarchical, 12-bit precision, DNL-defined height, more than 4 components).
 * - `E_JPEG_CORRUPT`: malformed or truncated data; `details.offset` is the byte offset where it was found.
 * - `E_JPEG_LIMIT`: the image exceeds a configured size or memory limit (decompression-bomb guard).
 */
export type JpegErrorCode = 'E_JPEG_NOT_JPEG' | 'E_JPEG_UNSUPPORTED' | 'E_JPEG_CORRUPT' | 'E_JPEG_LIMIT';

/** The only error the JPEG reader throws. */
export class JpegError extends FdlError {
  declare readonly code: JpegErrorCode;

  constructor(code: JpegErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Malformed data at a byte offset: the message ends with "at byte N". */
export function corrupt(functionName: string, problem: string, offset: number): JpegError {
  return new JpegError('E_JPEG_CORRUPT', `${functionName}: corrupt JPEG: ${problem} at byte ${offset}`, {
    function: functionName,
    offset,
  });
}

/** A feature this reader does not implement, named in the message. */
export function unsupported(functionName: string, feature: string, offset: number): JpegError {
  return new JpegError(
    'E_JPEG_UNSUPPORTED',
    `${functionName}: unsupported JPEG feature: ${feature} at byte ${offset}`,
    {
      function: functionName,
      feature,
      offset,
    },
  );
}
