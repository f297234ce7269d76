/**
 * Opening an artifact store:
 * - a `Storage` (SQLite or PostgreSQL): its database (`artifacts` table); closing the store
 *   leaves the storage open. A `MemoryStorage`: a memory store shared by everyone who opens
 *   one for that storage.
 * - `file:/path`, `file:///path`, `file:relative/path` or a plain directory path: files in
 *   that directory (give every worker the same shared mount).
 * - `sqlite:...`, `postgres://...` (any storage URL): that database, opened here and closed
 *   with the store. `memory:`: a fresh memory store.
 */
import { fileURLToPath } from 'node:url';
import { HypertunerError } from '../../space/index.js';
import { MemoryStorage } from '../memory-storage.js';
import { openStorage, parseStorageUrl } from '../open-storage.js';
import { SqlStorage } from '../sql/sql-storage.js';
import type { Storage } from '../storage.js';
import type { ArtifactStore } from './artifact-store.js';
import { ArtifactErrorCode } from './artifact-store.js';
import type { DatabaseArtifactStoreOptions } from './database-artifact-store.js';
import { DirectoryArtifactStore } from './directory-artifact-store.js';
import { MemoryArtifactStore } from './memory-artifact-store.js';

export type OpenArtifactStoreOptions = DatabaseArtifactStoreOptions;

const memoryStores = new WeakMap<MemoryStorage, MemoryArtifactStore>();

/** The artifact store `target` names (see the file comment). */
export async function openArtifactStore(
  target: string | Storage,
  options: OpenArtifactStoreOptions = {},
): Promise<ArtifactStore> {
  if (typeof target !== 'string') return storeOfStorage(target, options);
  const text = target.trim();
  if (text.startsWith('file:')) return new DirectoryArtifactStore(filePath(text));
  if (
    !/^[a-z][a-z0-9+.-]*:/i.test(text) &&
    !/\.(db|sqlite|sqlite3)$/i.test(text) &&
    text.length > 0
  ) {
    return new DirectoryArtifactStore(text);
  }
  let parsed;
  try {
    parsed = parseStorageUrl(text);
  } catch {
    throw invalidUrl(target);
  }
  if (parsed.kind === 'memory') return new MemoryArtifactStore();
  const storage = await openStorage(text);
  if (!(storage instanceof SqlStorage)) {
    await storage.close();
    throw invalidUrl(target);
  }
  return storage.artifactStore(options, () => storage.close());
}

function storeOfStorage(storage: Storage, options: OpenArtifactStoreOptions): ArtifactStore {
  if (storage instanceof SqlStorage) return storage.artifactStore(options);
  if (storage instanceof MemoryStorage) {
    let store = memoryStores.get(storage);
    if (store === undefined) {
      store = new MemoryArtifactStore();
      memoryStores.set(storage, store);
    }
    return store;
  }
  throw new HypertunerError(
    ArtifactErrorCode.Unsupported,
    `The storage at '${storage.url}' keeps no artifacts; pass a directory every worker can reach instead: openArtifactStore('file:/shared/artifacts').`,
    { field: 'storage' },
  );
}

function filePath(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  const path = url.slice('file:'.length);
  if (path.length === 0) throw invalidUrl(url);
  return path;
}

function invalidUrl(url: string): HypertunerError {
  return new HypertunerError(
    ArtifactErrorCode.InvalidUrl,
    `Artifact store '${url}' is not one hypertuner knows. Use a directory ('file:/shared/artifacts', 'file:relative/dir' or a plain path), a database storage URL ('sqlite:studies.db', 'postgres://user@host/db') or 'memory:'.`,
    { field: 'artifacts' },
  );
}
