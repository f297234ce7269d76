/**
 * The one structured error type of hypertuner. Every error we throw on purpose is a
 * `HypertunerError` with a stable `code` (for programs) and a message that names the field
 * and what is allowed (for people).
 */
export class HypertunerError extends Error {
  /** A stable identifier, e.g. `SPACE_MIN_GREATER_THAN_MAX`. */
  readonly code: string;
  /** The field (parameter name, option name) the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: string, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HypertunerError';
    this.code = code;
    this.field = options.field;
  }
}

/** Throws a `HypertunerError` when `condition` is false. */
export function ensure(
  condition: boolean,
  code: string,
  message: string,
  field?: string,
): asserts condition {
  if (!condition) throw new HypertunerError(code, message, field === undefined ? {} : { field });
}
