/**
 * SQLite storage (better-sqlite3): one file that several processes share. WAL journal, and
 * `BEGIN IMMEDIATE` for every write so a writer holds the database lock from its first read:
 * trial numbers stay dense and `startTrial`'s `decide` sees a history nobody changes under it.
 * Inside one connection the adapter runs one transaction at a time.
 *
 * A writer that finds the lock taken waits for it asynchronously (retrying with backoff up to
 * the busy timeout), never in SQLite's own busy handler: better-sqlite3 is synchronous, so
 * that handler would freeze the event loop, and with two connections in one process (two
 * studies on one file) the holder, whose transaction awaits between statements, could then
 * never commit.
 */
import type Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { HypertunerError } from '../space/index.js';
import type { SqlParam } from './sql/rows.js';
import { toNumber } from './sql/rows.js';
import {
  CREATE_SCHEMA_VERSION_TABLE,
  INSERT_SCHEMA_VERSION,
  SELECT_SCHEMA_VERSION,
  pendingMigrations,
} from './sql/schema.js';
import { isSqliteError, sqliteStorageError } from './sqlite-errors.js';
import type { SqlDriver, SqlExecutor, TransactionMode } from './sql/sql-driver.js';
import { SqlStorage } from './sql/sql-storage.js';
import { StorageErrorCode } from './storage.js';
import { storableParams } from './stored-text.js';

export interface SqliteStorageOptions {
  /** The URL reported as `storage.url` (default `sqlite:<path>`). */
  readonly url?: string;
  /** How long a writer waits for another process's lock, in ms (default 30,000). */
  readonly busyTimeoutMs?: number;
  /**
   * Open an existing file for reading only: nothing is created or migrated, and a write is a
   * `STORAGE_READ_ONLY` error. Works where the file or its folder cannot be written. When no
   * writer has the file open (no `-wal` file beside it), what is committed is read as it is now,
   * leaving nothing beside the file; with a writer, through its `-wal`, seeing what it commits.
   */
  readonly readOnly?: boolean;
  /**
   * With `readOnly`: keep seeing what writers commit, also those that open the file later (a
   * dashboard). SQLite then keeps `-wal` and `-shm` files beside the file, where the folder can
   * be written (a read-only connection cannot remove them when it closes).
   */
  readonly follow?: boolean;
}

let betterSqlite3: typeof Database | undefined;

/**
 * better-sqlite3, loaded when the first SQLite storage opens (importing hypertuner loads no
 * native addon). A dependency of hypertuner, so it is installed; its addon may still fail to
 * load (built for another Node.js, or an install that skipped its build script).
 */
function loadBetterSqlite3(): typeof Database {
  if (betterSqlite3 === undefined) {
    try {
      betterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new HypertunerError(
        StorageErrorCode.Unavailable,
        `SQLite storage needs better-sqlite3's native addon, which did not load (${reason}): run \`npm rebuild better-sqlite3\`, or use the storage 'memory:' or 'postgres://...'.`,
        { field: 'storage', cause: error },
      );
    }
  }
  return betterSqlite3;
}

export class SqliteStorage extends SqlStorage {
  /**
   * Opens (creating when absent, unless `readOnly`) the database at `path` (`:memory:` for a
   * private one).
   */
  constructor(path: string, options: SqliteStorageOptions = {}) {
    const driver = new SqliteDriver(
      path,
      options.busyTimeoutMs ?? 30_000,
      options.readOnly === true ? (options.follow === true ? 'follow' : 'snapshot') : undefined,
    );
    super(options.url ?? `sqlite:${path}`, driver);
  }
}

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  readonly writableCte = false;
  readonly #db: SqliteDatabase;
  readonly #statements = new Map<string, Statement<unknown[]>>();
  readonly #executor: SqlExecutor;
  readonly #busyTimeoutMs: number;
  readonly #path: string;
  readonly #readOnly: boolean;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, busyTimeoutMs: number, readOnly: 'snapshot' | 'follow' | undefined) {
    this.#busyTimeoutMs = Math.max(0, Math.floor(busyTimeoutMs));
    this.#path = path;
    this.#readOnly = readOnly !== undefined;
    try {
      this.#db = readOnly === undefined ? this.#openForWriting(path) : openReadOnly(path, readOnly);
      // from here on a busy lock is waited for asynchronously: see retryWhileBusy
      this.#db.pragma('busy_timeout = 0');
    } catch (error) {
      throw sqliteStorageError(error, path, { opening: true, readOnly: this.#readOnly });
    }
    this.#executor = {
      all: async <R>(sql: string, params: readonly SqlParam[] = []) =>
        this.#statement(sql).all(...storableParams(params)) as R[],
      run: async (sql: string, params: readonly SqlParam[] = []) =>
        this.#statement(sql).run(...storableParams(params)).changes,
      allBatch: async (queries) =>
        queries.map((q) => this.#statement(q.sql).all(...q.params) as unknown[]),
    };
  }

  /** Opens (creating) the file and brings its schema up to date. */
  #openForWriting(path: string): SqliteDatabase {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    // opening and migrating are synchronous (a constructor): SQLite's busy handler waits there
    const db = new (loadBetterSqlite3())(path, { timeout: this.#busyTimeoutMs });
    try {
      db.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
      return db;
    } catch (error) {
      if (db.open) db.close();
      throw error;
    }
  }

  transaction<T>(
    mode: TransactionMode,
    fn: (sql: SqlExecutor, attempt: number) => Promise<T>,
  ): Promise<T> {
    const result = this.#transaction(mode, fn).catch((error: unknown) => {
      throw isSqliteError(error)
        ? sqliteStorageError(error, this.#path, { opening: false, readOnly: this.#readOnly })
        : error;
    });
    return result;
  }

  #transaction<T>(
    mode: TransactionMode,
    fn: (sql: SqlExecutor, attempt: number) => Promise<T>,
  ): Promise<T> {
    const once = async (attempt: number): Promise<T> => {
      if (mode === 'read') this.#db.exec('BEGIN');
      else await this.#whenNotBusy('write', () => this.#db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await fn(this.#executor, attempt);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    };
    // a read takes its lock at its first statement and has no side effects: run it again whole
    let attempts = 0;
    const run = (): Promise<T> =>
      mode === 'read' ? this.#whenNotBusy('read', () => once(attempts++)) : once(0);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /**
   * `step`, run again while it fails with `SQLITE_BUSY` (another connection holds the lock):
   * after 1, 2, 4 ... up to 50 ms (with jitter, so that waiting connections do not retry in
   * step), until the busy timeout has passed; then a `STORAGE_UNAVAILABLE` error naming the
   * database and the timeout (the last `SQLITE_BUSY` as its cause). `BEGIN IMMEDIATE` for a
   * write; a whole read transaction (rare: a read is busy only during WAL recovery).
   */
  async #whenNotBusy<T>(kind: 'read' | 'write', step: () => T | Promise<T>): Promise<T> {
    return retryWhileBusy(step, {
      timeoutMs: this.#busyTimeoutMs,
      database: this.#path,
      kind,
    });
  }

  /** One machine shares a SQLite file: its own clock. */
  now(): number {
    return Date.now();
  }

  isUniqueViolation(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  async close(): Promise<void> {
    await this.#queue;
    if (this.#db.open) this.#db.close();
  }

  #statement(sql: string): Statement<unknown[]> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Applies the missing migrations in one IMMEDIATE transaction (safe with several processes).
 * A SQLite database of something else (tables but no `schema_version`) is refused, not added to.
 */
function migrate(db: SqliteDatabase, path: string): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const tables = tableNames(db);
    if (!tables.includes('schema_version') && tables.length > 0) throw notOurs(path, tables);
    db.exec(CREATE_SCHEMA_VERSION_TABLE);
    const current = schemaVersion(db);
    for (const migration of pendingMigrations(current, `SQLite database '${path}'`)) {
      for (const statement of migration.statements('sqlite')) db.exec(statement);
      db.prepare(INSERT_SCHEMA_VERSION).run(migration.version);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * The committed content of `path` (no writer has it open) as a read-only database in memory.
 * A WAL database's header says so (bytes 18-19: 2), which a database in memory cannot be: it is
 * read as a rollback-journal one (1), the same pages.
 */
function snapshotOf(path: string): SqliteDatabase {
  const bytes = readFileSync(path);
  if (bytes.length === 0) return new (loadBetterSqlite3())(bytes, { readonly: true });
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
  return new (loadBetterSqlite3())(bytes, { readonly: true });
}

function tableNames(db: SqliteDatabase): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

function schemaVersion(db: SqliteDatabase): number {
  const row = db.prepare(SELECT_SCHEMA_VERSION).get() as { version: number | null } | undefined;
  return row?.version === null || row?.version === undefined ? 0 : toNumber(row.version);
}

function notOurs(path: string, tables: readonly string[]): HypertunerError {
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
  return new HypertunerError(
    StorageErrorCode.NotADatabase,
    `SQLite file '${path}' is a database of something else (tables ${shown}), not a hypertuner storage; hypertuner keeps its studies in a file of its own: give another --storage.`,
    { field: 'storage' },
  );
}

/**
 * `path` opened for reading only, checked to be a hypertuner storage this code can read. A
 * read-only connection to a WAL database makes `-wal` and `-shm` files when there are none and
 * cannot remove them (nor make them where the folder cannot be written), so when no writer has
 * the file open (no `-wal` file) the committed file is read into memory instead: always for a
 * `snapshot`, and for `follow` where the folder cannot be written. A file without any table is
 * an empty storage.
 */
function openReadOnly(path: string, mode: 'snapshot' | 'follow'): SqliteDatabase {
  let db: SqliteDatabase;
  const idle = (): boolean => existsSync(path) && !existsSync(`${path}-wal`);
  try {
    if (mode === 'snapshot' && idle()) {
      db = snapshotOf(path);
    } else {
      db = new (loadBetterSqlite3())(path, { readonly: true, fileMustExist: true });
      tableNames(db); // reading the schema is where a missing -shm shows
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const noShm = code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN';
    if (!noShm || !idle()) throw error;
    db = snapshotOf(path);
  }
  try {
    const tables = tableNames(db);
    if (tables.length === 0) {
      db.close();
      db = new (loadBetterSqlite3())(':memory:');
      migrate(db, path);
      return db;
    }
    if (!tables.includes('schema_version')) throw notOurs(path, tables);
    pendingMigrations(schemaVersion(db), `SQLite database '${path}'`);
    return db;
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}

/**
 * `step`, run again while it fails with `SQLITE_BUSY`: after 1, 2, 4 ... up to 50 ms (with
 * jitter), asynchronously (timers and other connections of this process run meanwhile),
 * until `timeoutMs` has passed; then a `HypertunerError` `STORAGE_UNAVAILABLE` (field
 * 'storage') that names `database` and the timeout, with the last `SQLITE_BUSY` as its cause.
 * Any other error comes back at once.
 */
async function retryWhileBusy<T>(
  step: () => T | Promise<T>,
  options: {
    readonly timeoutMs: number;
    readonly database: string;
    readonly kind: 'read' | 'write';
  },
): Promise<T> {
  const started = Date.now();
  for (let delay = 1; ; delay = Math.min(50, delay * 2)) {
    try {
      return await step();
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== 'SQLITE_BUSY') throw error;
      if (Date.now() - started >= options.timeoutMs) {
        throw new HypertunerError(
          StorageErrorCode.Unavailable,
          `SQLite database '${options.database}' stayed locked by another connection for the whole busy timeout (${options.timeoutMs} ms), so this ${options.kind} could not run. Try again when the other process is done with it, or open the storage with a longer busyTimeoutMs.`,
          { field: 'storage', cause: error },
        );
      }
    }
    // jitter from the clock, not Math.random: a seeded training may have replaced that one
    const jitter = Number(process.hrtime.bigint() % 1000n) / 1000;
    await new Promise((done) => setTimeout(done, delay * (0.5 + jitter)));
  }
}
