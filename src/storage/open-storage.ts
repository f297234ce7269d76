/**
 * Opening a storage from a URL: `memory:`, `sqlite:path/to/file.db`, `sqlite:///abs/path.db`,
 * a plain path ending in .db/.sqlite/.sqlite3, or `postgres://` / `postgresql://`. The
 * PostgreSQL driver (`pg`) is loaded only when such a URL is opened.
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

/** What a storage URL names, or `STORAGE_INVALID_URL`. */
export function parseStorageUrl(url: string): ParsedStorageUrl {
  const text = url.trim();
  if (text === 'memory:' || text === 'memory://') return { kind: 'memory' };
  if (text.startsWith('postgres://') || text.startsWith('postgresql://'))
    return { kind: 'postgres', connectionString: text };
  if (text.startsWith('sqlite:')) {
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
    `Storage URL '${url}' is not one hypertuner knows. Use 'memory:', 'sqlite:path/to/file.db', 'sqlite:///absolute/path.db', a file path ending in .db, .sqlite or .sqlite3, or 'postgres://user:password@host:port/database' (also 'postgresql://').`,
    { field: 'storage' },
  );
}

/** Opens the storage a URL names (see `parseStorageUrl`). */
export async function openStorage(url: string): Promise<Storage> {
  const parsed = parseStorageUrl(url);
  switch (parsed.kind) {
    case 'memory':
      return new MemoryStorage();
    case 'sqlite': {
      const { SqliteStorage } = await import('./sqlite-storage.js');
      return new SqliteStorage(parsed.path, { url });
    }
    case 'postgres': {
      const { PostgresStorage } = await import('./postgres-storage.js');
      return PostgresStorage.open(parsed.connectionString);
    }
    default:
      return assertNever(parsed);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected storage kind ${JSON.stringify(value)}.`);
}
