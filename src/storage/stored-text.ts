/**
 * Text at the storage boundary. Every string a storage keeps as text passes through
 * `storableText`: PostgreSQL refuses U+0000 in text ("invalid byte sequence"), and a lone
 * UTF-16 surrogate has no UTF-8 form, so the SQL drivers would store something else than was
 * given (or fail). Strings inside JSON columns are escaped by JSON (`\u0000`, `\ud800`) and come
 * back exactly; everything else (error text, worker ids, any string bound to a query) is made
 * storable here, the same way in every adapter. Study names, which must match exactly when a
 * study is opened again, are checked up front instead (`checkStudyName`).
 */
import { HypertunerError } from '../space/index.js';

/** What replaces a character that cannot be stored: U+FFFD, the replacement character. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/** U+0000, or a high surrogate without a low one after it, or a low one without a high one before it. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Whether every storage keeps `text` exactly as it is. */
export function isStorableText(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(text);
}

/**
 * `text` as every storage can keep it: each U+0000 and each lone surrogate replaced by U+FFFD
 * (the same string when there is none, which is nearly always).
 */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}

/** Query parameters with every string made storable (see `storableText`); others unchanged. */
export function storableParams<T>(params: readonly T[]): T[] {
  return params.map((p) => (typeof p === 'string' ? (storableText(p) as T) : p));
}

/** The longest study name, in characters (Unicode code points), for every storage. */
export const MAX_STUDY_NAME_LENGTH = 512;

/** C0 and C1 control characters and DEL: no place in a name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Why `name` cannot be a study name, or undefined when it can: a study name is a string of 1 to
 * `MAX_STUDY_NAME_LENGTH` characters, not only spaces, without control characters or lone
 * surrogates. (PostgreSQL indexes at most about 2.7 KB per name; 512 characters of up to 4 bytes
 * each stay under that, so one limit holds for every storage.)
 */
export function studyNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a string, got ${typeof name}`;
  if (name.length === 0) return 'must not be empty';
  if (name.trim().length === 0) return 'must not be only spaces';
  const length = [...name].length;
  if (length > MAX_STUDY_NAME_LENGTH)
    return `must be at most ${MAX_STUDY_NAME_LENGTH} characters, got ${length}`;
  if (CONTROL.test(name))
    return 'must not contain control characters (such as NUL, tab, newline or ESC)';
  if (!isStorableText(name)) return 'must not contain lone UTF-16 surrogates (not valid Unicode)';
  return undefined;
}

/** Throws `STUDY_INVALID_NAME` (naming the rule broken) unless `name` can be a study name. */
export function checkStudyName(name: unknown): asserts name is string {
  const problem = studyNameProblem(name);
  if (problem === undefined) return;
  // JSON shows control characters and lone surrogates escaped
  const shown =
    typeof name === 'string'
      ? JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}...` : name)
      : String(name);
  throw new HypertunerError(
    'STUDY_INVALID_NAME',
    `Study name ${problem} (1 to ${MAX_STUDY_NAME_LENGTH} characters, not only spaces, no control characters); got ${shown}.`,
    { field: 'name' },
  );
}

/**
 * Control characters of a terminal: C0 (but for `\n` where lines are kept), DEL, C1, and the
 * bidirectional overrides and isolates that reorder what follows them on screen.
 */
const TERMINAL_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const TERMINAL_CONTROL_OR_NEWLINE =
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` (a stored study name, parameter value, error text...) as it may be written to a
 * terminal: every control character shown escaped (`\x1b`, `\u202e`), so that a stored string
 * never moves the cursor, changes colours or reorders the line; newlines kept only with
 * `{ lines: true }`. Lone surrogates become U+FFFD.
 */
export function terminalText(text: string, options: { readonly lines?: boolean } = {}): string {
  const control = options.lines === true ? TERMINAL_CONTROL : TERMINAL_CONTROL_OR_NEWLINE;
  const escaped = text.replace(control, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return storableText(escaped); // NUL is escaped already: only lone surrogates are left
}
