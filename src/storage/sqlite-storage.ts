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
import { mkdirSync } from 'node:fs';
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
import type { SqlDriver, SqlExecutor, TransactionMode } from './sql/sql-driver.js';
import { SqlStorage } from './sql/sql-storage.js';
import { StorageErrorCode } from './storage.js';

export interface SqliteStorageOptions {
  /** The URL reported as `storage.url` (default `sqlite:<path>`). */
  readonly url?: string;
  /** How long a writer waits for another process's lock, in ms (default 30,000). */
  readonly busyTimeoutMs?: number;
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
  /** Opens (creating when absent) the database at `path` (`:memory:` for a private one). */
  constructor(path: string, options: SqliteStorageOptions = {}) {
    const driver = new SqliteDriver(path, options.busyTimeoutMs ?? 30_000);
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
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, busyTimeoutMs: number) {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    this.#busyTimeoutMs = Math.max(0, Math.floor(busyTimeoutMs));
    this.#path = path;
    // opening and migrating are synchronous (a constructor): SQLite's busy handler waits there
    const Sqlite = loadBetterSqlite3();
    this.#db = new Sqlite(path, { timeout: this.#busyTimeoutMs });
    this.#db.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#migrate(path);
    // from here on a busy lock is waited for asynchronously: see retryWhileBusy
    this.#db.pragma('busy_timeout = 0');
    this.#executor = {
      all: async <R>(sql: string, params: readonly SqlParam[] = []) =>
        this.#statement(sql).all(...params) as R[],
      run: async (sql: string, params: readonly SqlParam[] = []) =>
        this.#statement(sql).run(...params).changes,
      allBatch: async (queries) =>
        queries.map((q) => this.#statement(q.sql).all(...q.params) as unknown[]),
    };
  }

  transaction<T>(
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

  /** Applies the missing migrations in one IMMEDIATE transaction (safe with several processes). */
  #migrate(path: string): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec(CREATE_SCHEMA_VERSION_TABLE);
      const row = this.#db.prepare(SELECT_SCHEMA_VERSION).get() as
        { version: number | null } | undefined;
      const current =
        row?.version === null || row?.version === undefined ? 0 : toNumber(row.version);
      for (const migration of pendingMigrations(current, `SQLite database '${path}'`)) {
        for (const statement of migration.statements('sqlite')) this.#db.exec(statement);
        this.#db.prepare(INSERT_SCHEMA_VERSION).run(migration.version);
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      this.#db.close();
      throw error;
    }
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
