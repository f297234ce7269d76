/**
 * SQLite's errors as the user can act on them: what the file or the disk is doing wrong (not a
 * database, damaged, read-only, full, cannot be opened), always naming the file. Errors that
 * would be hypertuner's own bug (an SQL mistake, a constraint) are left as they are.
 */
import { statSync } from 'node:fs';
import { HypertunerError } from '../space/index.js';
import type { HypertunerErrorCode } from '../space/index.js';
import { StorageErrorCode } from './storage.js';

/** An error of SQLite (better-sqlite3's `SqliteError`: `SQLITE_...` codes). */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_');
}

/** What is at `path`, for a message: 'a folder', 'missing', or undefined for a file. */
function whatIsAt(path: string): 'a folder' | 'missing' | undefined {
  try {
    return statSync(path).isDirectory() ? 'a folder' : undefined;
  } catch {
    return 'missing';
  }
}

/**
 * `error` met opening or using the SQLite file at `path`, as a `HypertunerError` (field
 * 'storage') naming the file: `STORAGE_NOT_A_DATABASE`, `STORAGE_CORRUPT`, `STORAGE_READ_ONLY`,
 * `STORAGE_FULL`, `STORAGE_OPEN_FAILED` (cannot open: a folder, no permission) or
 * `STORAGE_UNAVAILABLE` (an I/O error). Anything else comes back unchanged.
 */
export function sqliteStorageError(
  error: unknown,
  path: string,
  options: { readonly opening: boolean; readonly readOnly: boolean },
): unknown {
  const make = (errorCode: HypertunerErrorCode, message: string): HypertunerError =>
    new HypertunerError(errorCode, message, { field: 'storage', cause: error });
  const file = `SQLite file '${path}'`;
  const at = options.opening && error instanceof Error ? whatIsAt(path) : undefined;
  if (at === 'a folder') {
    return make(
      StorageErrorCode.OpenFailed,
      `Cannot open ${file}: it is a folder, not a file. Give --storage sqlite:path/to/file.db.`,
    );
  }
  if (at === 'missing' && options.readOnly) {
    return make(
      StorageErrorCode.NotFound,
      `No ${file}: it does not exist (a reading command never creates one); give the --storage of an existing study.`,
    );
  }
  const system = error as NodeJS.ErrnoException;
  if (options.opening && typeof system.code === 'string' && typeof system.syscall === 'string') {
    // reading the file itself (a read-only copy): permissions, most likely
    return make(StorageErrorCode.OpenFailed, `Cannot read ${file}: ${system.message}.`);
  }
  if (!isSqliteError(error)) return error;
  const code = error.code;
  if (code === 'SQLITE_NOTADB') {
    return make(
      StorageErrorCode.NotADatabase,
      `${file} is not a SQLite database (${error.message}); give the --storage of a hypertuner study database.`,
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return make(
      StorageErrorCode.Corrupt,
      `${file} is damaged (${error.message}; ${code}): restore it from a copy, or try the sqlite3 tool's .recover.`,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    const why = options.readOnly
      ? 'it was opened read-only (a reading command)'
      : code === 'SQLITE_READONLY_DIRECTORY'
        ? 'its folder cannot be written (SQLite keeps -wal and -shm files beside it)'
        : 'the file or its folder cannot be written (permissions, or a read-only disk)';
    return make(
      StorageErrorCode.ReadOnly,
      `Cannot write ${file}: ${why}. The reading commands (studies, trials, best, dashboard) still work on it; to search, give a --storage you can write.`,
    );
  }
  if (code === 'SQLITE_FULL') {
    return make(
      StorageErrorCode.Full,
      `Cannot write ${file}: the disk is full (${error.message}). Free some space and run again; what was written before is kept.`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    const why =
      whatIsAt(path) === 'missing'
        ? 'it does not exist, and it cannot be made there (its folder cannot be written)'
        : `${error.message} (permissions of the file or its folder?)`;
    return make(
      StorageErrorCode.OpenFailed,
      `Cannot open ${file}: ${why}. Give --storage sqlite:path/to/file.db.`,
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return make(
      StorageErrorCode.Unavailable,
      `Cannot ${options.opening ? 'open' : 'read or write'} ${file}: disk I/O error (${code}).`,
    );
  }
  return error;
}
