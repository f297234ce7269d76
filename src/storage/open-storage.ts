/**
 * Opening a storage from a URL: `memory:`, `sqlite:path/to/file.db`, `sqlite:///abs/path.db`,
 * a plain path ending in .db/.sqlite/.sqlite3, or `postgres://` / `postgresql://` (schemes in
 * any case). The PostgreSQL driver (`pg`) is loaded only when such a URL is opened. A URL is
 * shown (in `storage.url`, messages and errors) only through `redactStorageUrl`.
 */
import { HypertunerError } from '../space/index.js';
import { MemoryStorage } from './memory-storage.js';
import type { Storage } from './storage.js';
import { StorageErrorCode } from './storage.js';

/** The storage a search uses when none is given: `hypertuner.db` in the working directory. */
export function defaultStorageUrl(): string {
  return 'sqlite:hypertuner.db';
}

export type ParsedStorageUrl =
  | { readonly kind: 'memory' }
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string };

const SQLITE_EXTENSIONS = ['.db', '.sqlite', '.sqlite3'];

/** What stands for a password in a URL that is shown. */
const REDACTED = '***';

/**
 * `url` as it may be shown: the password of a `scheme://user:password@host` URL, and the value
 * of a `password=` query parameter, replaced by `***`. Other URLs come back unchanged.
 */
export function redactStorageUrl(url: string): string {
  const text = url.replace(/([?&]password=)[^&#]*/gi, `$1${REDACTED}`);
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  if (scheme === null) return text;
  const start = scheme[0].length;
  // The authority ends at the first '/', '?' or '#'; its user info, at its last '@'.
  const end = text.slice(start).search(/[/?#]/);
  const authority = end < 0 ? text.slice(start) : text.slice(start, start + end);
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (at < 0 || colon < 0 || colon > at || colon === at - 1) return text;
  return `${text.slice(0, start + colon + 1)}${REDACTED}${text.slice(start + at)}`;
}

/** What a storage URL names, or `STORAGE_INVALID_URL`. */
export function parseStorageUrl(url: string): ParsedStorageUrl {
  const text = url.trim();
  const lower = text.toLowerCase();
  if (lower === 'memory:' || lower === 'memory://') return { kind: 'memory' };
  const scheme = /^(postgres|postgresql):\/\//i.exec(text);
  if (scheme !== null) {
    // `pg` reads the scheme as given; URL schemes are case-insensitive.
    const connectionString = `${scheme[0].toLowerCase()}${text.slice(scheme[0].length)}`;
    checkPostgresUrl(connectionString, url);
    return { kind: 'postgres', connectionString };
  }
  if (lower.startsWith('sqlite:')) {
    const rest = text.slice('sqlite:'.length);
    const path = rest.startsWith('///') ? rest.slice(2) : rest.startsWith('//') ? '' : rest;
    if (path.length > 0) return { kind: 'sqlite', path };
  } else if (
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) &&
    SQLITE_EXTENSIONS.some((ext) => text.toLowerCase().endsWith(ext)) &&
    text.length > 3
  ) {
    return { kind: 'sqlite', path: text };
  }
  throw new HypertunerError(
    StorageErrorCode.InvalidUrl,
    `Storage URL '${redactStorageUrl(url)}' is not one hypertuner knows. Use 'memory:', 'sqlite:path/to/file.db', 'sqlite:///absolute/path.db', a file path ending in .db, .sqlite or .sqlite3, or 'postgres://user:password@host:port/database' (also 'postgresql://').`,
    { field: 'storage' },
  );
}

export interface OpenStorageOptions {
  /**
   * Only read (SQLite: the file must exist; nothing is created, migrated or written, and it
   * opens where the file or its folder cannot be written). A write is `STORAGE_READ_ONLY`.
   */
  readonly readOnly?: boolean;
  /**
   * With `readOnly`, for a reader that stays open (a dashboard): keep seeing what writers
   * commit, also writers that start later (SQLite: see `SqliteStorageOptions.follow`).
   */
  readonly follow?: boolean;
}

/**
 * Throws `STORAGE_INVALID_URL` unless `connectionString` is a URL that names a server: `pg`
 * reads what it cannot parse as a URL its own way, so `postgres://::::@@@/` would connect to
 * localhost:5432 as nobody in particular.
 */
function checkPostgresUrl(connectionString: string, given: string): void {
  let problem: string | undefined;
  try {
    const url = new URL(connectionString);
    if (url.hostname === '' && !url.searchParams.has('host'))
      problem = 'it names no server (postgres://user:password@host:port/database)';
  } catch {
    problem =
      'it cannot be read as a URL (a port that is not a number from 1 to 65535, spaces, or an @, : or / in the user name or password that is not percent-encoded as %40, %3A, %2F)';
  }
  if (problem === undefined) return;
  throw new HypertunerError(
    StorageErrorCode.InvalidUrl,
    `Storage URL '${redactStorageUrl(given)}' is not a PostgreSQL URL hypertuner can use: ${problem}.`,
    { field: 'storage' },
  );
}

/** Opens the storage a URL names (see `parseStorageUrl`). */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const parsed = parseStorageUrl(url);
  switch (parsed.kind) {
    case 'memory':
      return new MemoryStorage();
    case 'sqlite': {
      const { SqliteStorage } = await import('./sqlite-storage.js');
      return new SqliteStorage(parsed.path, {
        url,
        ...(options.readOnly === true && parsed.path !== ':memory:'
          ? { readOnly: true, follow: options.follow === true }
          : {}),
      });
    }
    case 'postgres': {
      const { PostgresStorage } = await import('./postgres-storage.js');
      return PostgresStorage.open(parsed.connectionString, { url: redactStorageUrl(url.trim()) });
    }
    default:
      return assertNever(parsed);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected storage kind ${JSON.stringify(value)}.`);
}
