import { HypertunerError } from '../space/errors.js';

/** The stable codes of dataset errors. */
export const DATASET_ERROR_CODES = {
  /** No usable copy was found in any place looked at, and none could be downloaded. */
  notFound: 'DATASET_NOT_FOUND',
  /** A downloaded file's MD5 differs from the published one; nothing was kept. */
  checksumMismatch: 'DATASET_CHECKSUM_MISMATCH',
  /** The download failed (network error, HTTP status, truncated body, idle timeout). */
  downloadFailed: 'DATASET_DOWNLOAD_FAILED',
  /** A file is not in the expected format (IDX magic, sizes, CIFAR record length, tar). */
  format: 'DATASET_FORMAT',
  /** An option has a value that is not allowed. */
  invalidOption: 'DATASET_INVALID_OPTION',
} as const;

/** One of {@link DATASET_ERROR_CODES}. */
export type DatasetErrorCode = (typeof DATASET_ERROR_CODES)[keyof typeof DATASET_ERROR_CODES];

/**
 * An error of the datasets layer. `code` tells programs what happened; the message tells people
 * which file or option is at fault and what is allowed (for `DATASET_NOT_FOUND`: which files to
 * put where).
 */
export class DatasetError extends HypertunerError {
  declare readonly code: DatasetErrorCode;

  constructor(
    code: DatasetErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'DatasetError';
  }
}

/** Throws a `DATASET_FORMAT` error about `what` (a file name) when `condition` is false. */
export function ensureFormat(condition: boolean, what: string, detail: string): asserts condition {
  if (!condition) {
    throw new DatasetError(DATASET_ERROR_CODES.format, `${what}: ${detail}`, { field: what });
  }
}

/** Throws a `DATASET_INVALID_OPTION` error about option `field` when `condition` is false. */
export function ensureOption(
  condition: boolean,
  field: string,
  allowed: string,
): asserts condition {
  if (!condition) {
    throw new DatasetError(DATASET_ERROR_CODES.invalidOption, `${field} must be ${allowed}`, {
      field,
    });
  }
}
