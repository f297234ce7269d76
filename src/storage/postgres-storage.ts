/**
 * PostgreSQL storage (`pg` Pool): many processes on many machines share a study. Writes
 * that create, claim, finish or fail trials lock the study row (`FOR NO KEY UPDATE`, or the
 * row update that bumps its counter) first, so numbers are dense and `decide` sees a
 * consistent history; the time that lock is held is kept to few round trips (finishing a
 * trial is one autocommitted statement). Reads run in REPEATABLE READ snapshots. When the
 * connection drops (a server restart, a network cut), a transaction is run again as a whole
 * with backoff; operations that may have committed before the drop check for that first.
 * Opening fails fast (after a short retry) with a `HypertunerError` naming the URL, whose
 * password is never shown (`storage.url` has `***` in its place). Timestamps (heartbeats,
 * starts, ends) are on the server's clock, so machines whose clocks differ still agree on
 * which trials are stale. `pg` is loaded
 * (dynamically) only when a PostgreSQL storage is opened.
 */
import type { Pool, PoolClient, PoolConfig } from 'pg';
import { importPeer } from '../peers.js';
import { HypertunerError } from '../space/index.js';
import { redactStorageUrl } from './open-storage.js';
import {
  fromPg,
  isFromPg,
  isRetryablePostgresError,
  isSslRefusal,
  libpqConnectionStrings,
  postgresStorageError,
} from './postgres-connection.js';
import type { SqlParam } from './sql/rows.js';
import { toNumber } from './sql/rows.js';
import {
  CREATE_SCHEMA_VERSION_TABLE,
  INSERT_SCHEMA_VERSION,
  SELECT_SCHEMA_VERSION,
  pendingMigrations,
} from './sql/schema.js';
import type { NumericQuery, SqlDriver, SqlExecutor, TransactionMode } from './sql/sql-driver.js';
import { SqlStorage } from './sql/sql-storage.js';
import { storableParams } from './stored-text.js';

export { isRetryablePostgresError } from './postgres-connection.js';

export interface PostgresStorageOptions {
  /** Most connections this process opens (default 4). */
  readonly maxConnections?: number;
  /**
   * How long to keep retrying while the server cannot be reached, in ms, counted from the
   * first failure of the outage (default: `$HYPERTUNER_PG_RETRY_SECONDS` seconds, else 30,000).
   */
  readonly retryForMs?: number;
  /**
   * How long `open` keeps retrying a server it cannot connect to, in ms (default 3,000, at
   * most `retryForMs`): a wrong host or port fails fast; `retryForMs` is for reconnecting
   * during a search.
   */
  readonly openRetryForMs?: number;
  /** First delay between retries, doubled each time up to 1 s (default 50 ms). */
  readonly retryDelayMs?: number;
  /** The URL reported as `storage.url` (default: the connection string); its password is shown as `***`. */
  readonly url?: string;
}

/** How often the offset between this machine's clock and the server's is measured again. */
const CLOCK_RESYNC_MS = 60_000;

/** Key of the advisory lock that serialises schema migrations across processes. */
const MIGRATION_LOCK_KEY = 7_355_608_001;

export class PostgresStorage extends SqlStorage {
  private constructor(url: string, driver: PostgresDriver) {
    super(url, driver);
  }

  /**
   * Connects, creates or migrates the schema, and returns the storage. A connection string
   * with `sslmode` means what it means for libpq (psql). Fails with a `HypertunerError`
   * (`STORAGE_UNAVAILABLE`, `STORAGE_AUTH_FAILED`, `STORAGE_NOT_FOUND`, `STORAGE_OPEN_FAILED`,
   * `STORAGE_SCHEMA_TOO_NEW`) naming the URL without its password.
   */
  static async open(
    connectionString: string,
    options: PostgresStorageOptions = {},
  ): Promise<PostgresStorage> {
    const url = redactStorageUrl(options.url ?? connectionString);
    const pg = (await importPeer('pg', () => import('pg'))).default;
    const retryForMs = options.retryForMs ?? retryForMsFromEnvironment() ?? 30_000;
    const openRetryForMs = Math.min(options.openRetryForMs ?? 3_000, retryForMs);
    const candidates = libpqConnectionStrings(connectionString);
    for (let i = 0; ; i++) {
      const config: PoolConfig = {
        connectionString: candidates[i],
        max: options.maxConnections ?? 4,
        connectionTimeoutMillis: 10_000,
      };
      const pool = new pg.Pool(config);
      // Connections that die while idle (server restart) must not crash the process.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      const driver = new PostgresDriver(pool, url, retryForMs, options.retryDelayMs ?? 50);
      try {
        await driver.migrate(openRetryForMs);
        await driver.syncClock();
        return new PostgresStorage(url, driver);
      } catch (error) {
        await pool.end();
        // sslmode=prefer or allow: the other kind of connection, as libpq tries it
        if (i + 1 < candidates.length && isSslRefusal(error)) continue;
        throw postgresStorageError(error, url, { opening: true, retriedForMs: openRetryForMs });
      }
    }
  }
}

/** The environment variable that sets how long a lost server is retried, in seconds. */
export const PG_RETRY_ENV = 'HYPERTUNER_PG_RETRY_SECONDS';

/** `$HYPERTUNER_PG_RETRY_SECONDS` in ms, or undefined when unset; `OPTIONS_INVALID` when not a number > 0. */
function retryForMsFromEnvironment(): number | undefined {
  const text = process.env[PG_RETRY_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `$${PG_RETRY_ENV} must be a number of seconds > 0 (how long a lost PostgreSQL server is retried), got '${text}'.`,
      { field: PG_RETRY_ENV },
    );
  }
  return Math.round(seconds * 1000);
}

/** `sql` with its `?` placeholders replaced by the numbers of `params`, written out. */
function inlineNumbers(sql: string, params: readonly number[]): string {
  let i = 0;
  const text = sql.replace(/\?/g, () => {
    const value = params[i++];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`A batched query takes finite numbers only, got ${String(value)}.`);
    }
    return String(value);
  });
  if (i !== params.length)
    throw new Error(`A batched query has ${i} placeholders for ${params.length} numbers.`);
  return text;
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  // Not FOR UPDATE: that would also block the foreign-key checks of trial inserts.
  readonly forUpdate = ' FOR NO KEY UPDATE';
  readonly writableCte = true;
  // float8 as text round-trips exactly (and keeps Infinity and NaN).
  readonly intermediatesJson =
    '(SELECT json_agg(json_build_array(i.step, i.value::text, i.metrics) ORDER BY i.step)::text FROM intermediate_values i WHERE i.trial_id = trials.id)';
  readonly #pool: Pool;
  /** The storage's URL, password redacted, for errors. */
  readonly #url: string;
  readonly #retryForMs: number;
  readonly #retryDelayMs: number;
  readonly #texts = new Map<string, string>();
  #closed = false;
  /**
   * When the current outage began (the first failed attempt since the last success), or
   * undefined while the server answers. Every operation retries until `retryForMs` after it,
   * not after its own start: once the server has been gone that long, each operation tries
   * once and fails, so a process ends within `retryForMs` of losing the server whatever it
   * was doing (a search does several operations after an error: reading, telling, closing).
   */
  #outageSince: number | undefined;
  /** The server's clock minus this machine's, in ms (measured by `syncClock`). */
  #clockOffsetMs = 0;
  #clockSyncedAt = 0;

  constructor(pool: Pool, url: string, retryForMs: number, retryDelayMs: number) {
    this.#pool = pool;
    this.#url = url;
    this.#retryForMs = retryForMs;
    this.#retryDelayMs = retryDelayMs;
  }

  async transaction<T>(
    mode: TransactionMode,
    fn: (sql: SqlExecutor, attempt: number) => Promise<T>,
  ): Promise<T> {
    const begin =
      mode === 'read'
        ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'
        : mode === 'write'
          ? 'BEGIN'
          : undefined; // 'single': autocommit, each statement its own transaction
    return this.#withRetry(async (attempt) => {
      const client = await fromPg(this.#pool.connect());
      let broken: Error | undefined;
      // BEGIN goes out with the first statement when that is a batch (one round trip less).
      const session = { begin, begun: false };
      try {
        const result = await fn(this.#executor(client, session), attempt);
        if (session.begun) await fromPg(client.query('COMMIT'));
        return result;
      } catch (error) {
        if (isFromPg(error) && isRetryablePostgresError(error)) {
          broken = error as Error;
        } else if (session.begun) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError as Error;
          }
        }
        throw error;
      } finally {
        // A client whose connection failed is destroyed, not reused.
        client.release(broken);
      }
    });
  }

  isUniqueViolation(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === '23505';
  }

  /** The server's clock: this machine's plus the offset last measured (see `syncClock`). */
  now(): number {
    const local = Date.now();
    if (local - this.#clockSyncedAt > CLOCK_RESYNC_MS && !this.#closed) {
      this.#clockSyncedAt = local; // one resync at a time; a failed one waits for the next period
      this.syncClock().catch(() => undefined);
    }
    return local + this.#clockOffsetMs;
  }

  /**
   * Measures how far the server's clock is from this machine's (half a round trip of error),
   * so that every worker writes and compares heartbeats on the server's clock, whatever its
   * own says.
   */
  async syncClock(): Promise<void> {
    const sent = Date.now();
    const result = await this.#pool.query<{ ms: number | string }>(
      'SELECT (extract(epoch from clock_timestamp()) * 1000)::float8 AS ms',
    );
    const received = Date.now();
    // whole milliseconds: timestamps are stored as integers
    this.#clockOffsetMs = Math.round(
      toNumber(result.rows[0]?.ms ?? (sent + received) / 2) - (sent + received) / 2,
    );
    this.#clockSyncedAt = received;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /**
   * Creates or migrates the schema, one process at a time (advisory lock), retrying a failed
   * connection for `retryForMs`; its errors are `pg`'s (`open` says what they mean).
   */
  async migrate(retryForMs: number): Promise<void> {
    await this.#retry(retryForMs, async () => {
      const client = await this.#pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query(CREATE_SCHEMA_VERSION_TABLE);
        const result = await client.query<{ version: number | string | null }>(
          SELECT_SCHEMA_VERSION,
        );
        const version = result.rows[0]?.version;
        const current = version === null || version === undefined ? 0 : toNumber(version);
        const database = (client as unknown as { database?: string }).database ?? 'database';
        for (const migration of pendingMigrations(current, `PostgreSQL database '${database}'`)) {
          for (const statement of migration.statements('postgres')) await client.query(statement);
          await client.query(this.#text(INSERT_SCHEMA_VERSION), [migration.version]);
        }
        await client.query('COMMIT');
      } catch (error) {
        if (isRetryablePostgresError(error)) broken = error as Error;
        else await client.query('ROLLBACK').catch((e: unknown) => (broken = e as Error));
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  /**
   * `run`, run again while its connection fails, for up to `retryForMs`; a connection that
   * stays lost (or a login refused meanwhile) ends in a `HypertunerError`. Only errors of `pg`
   * (see `fromPg`) are retried or turned into one: the caller's own pass through.
   */
  async #withRetry<T>(run: (attempt: number) => Promise<T>): Promise<T> {
    try {
      const result = await this.#retry(this.#retryForMs, run, isFromPg, true);
      this.#outageSince = undefined;
      return result;
    } catch (error) {
      throw postgresStorageError(error, this.#url, {
        opening: false,
        retriedForMs: this.#retryForMs,
      });
    }
  }

  /**
   * `run`, again while it fails with an error a retry may fix, until `retryForMs` has passed
   * (since the outage began when `outage`, see `#outageSince`; else since the first attempt).
   */
  async #retry<T>(
    retryForMs: number,
    run: (attempt: number) => Promise<T>,
    fromDriver: (error: unknown) => boolean = () => true,
    outage = false,
  ): Promise<T> {
    const started = Date.now();
    let delay = this.#retryDelayMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(attempt);
      } catch (error) {
        const retryable = fromDriver(error) && isRetryablePostgresError(error);
        if (retryable && outage) this.#outageSince ??= Date.now();
        const since = outage ? (this.#outageSince ?? started) : started;
        if (!retryable || Date.now() + delay > since + retryForMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  #executor(
    client: PoolClient,
    session: { begin: string | undefined; begun: boolean },
  ): SqlExecutor {
    const begin = async (): Promise<void> => {
      if (session.begin === undefined || session.begun) return;
      session.begun = true;
      await fromPg(client.query(session.begin));
    };
    return {
      all: async <R>(sql: string, params: readonly SqlParam[] = []) => {
        await begin();
        return (await fromPg(client.query(this.#text(sql), storableParams(params)))).rows as R[];
      },
      run: async (sql: string, params: readonly SqlParam[] = []) => {
        await begin();
        const result = await fromPg(client.query(this.#text(sql), storableParams(params)));
        return result.rowCount ?? 0;
      },
      allBatch: async (queries: readonly NumericQuery[]) => {
        const texts = queries.map((q) => inlineNumbers(q.sql, q.params));
        const opening = session.begin !== undefined && !session.begun ? [session.begin] : [];
        session.begun ||= opening.length > 0;
        // One simple-protocol message: statements run in order, each with a fresh snapshot.
        const results = await fromPg(client.query([...opening, ...texts].join(';\n')));
        const list = (Array.isArray(results) ? results : [results]) as { rows: unknown[] }[];
        return list.slice(opening.length).map((r) => r.rows);
      },
    };
  }

  /** `sql` with `?` placeholders numbered `$1, $2, ...` (our SQL has no `?` in literals). */
  #text(sql: string): string {
    let text = this.#texts.get(sql);
    if (text === undefined) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      this.#texts.set(sql, text);
    }
    return text;
  }
}
