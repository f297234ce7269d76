/**
 * What the shared SQL storage needs from a database driver. SQL text uses `?` placeholders;
 * the PostgreSQL driver numbers them.
 */
import type { SqlDialectName } from './schema.js';
import type { SqlParam } from './rows.js';

/** Runs statements inside one transaction. */
export interface SqlExecutor {
  /** Rows of a query (or of a statement with RETURNING). */
  all<R>(sql: string, params?: readonly SqlParam[]): Promise<R[]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * Rows of several queries, in order, in one round trip where the driver can (PostgreSQL:
   * one simple-protocol message, which is why parameters are numbers only). Each query sees
   * what committed before it ran and what the queries before it locked: a lock then a read
   * gives a read no writer can change until commit.
   */
  allBatch(queries: readonly NumericQuery[]): Promise<unknown[][]>;
}

/** A query whose parameters are all numbers (safe to write into its text). */
export interface NumericQuery {
  readonly sql: string;
  readonly params: readonly number[];
}

/**
 * 'read': a consistent snapshot. 'write': serialised with the other writers of the rows it
 * locks. 'single': every statement commits on its own (PostgreSQL: autocommit, no BEGIN and
 * COMMIT round trips), for operations that are one statement, or whose later statements only
 * read what the first one settled.
 */
export type TransactionMode = 'read' | 'write' | 'single';

export interface SqlDriver {
  readonly dialect: SqlDialectName;
  /**
   * Appended to a SELECT that locks the rows it reads until commit, for an update that does
   * not change their keys ('' where the whole database is locked).
   */
  readonly forUpdate: string;
  /**
   * Whether a statement may modify rows in a `WITH` clause (PostgreSQL), so that a change and
   * the study counter it takes are one statement (one round trip) instead of several.
   */
  readonly writableCte: boolean;
  /**
   * An SQL expression (on a row of `trials`) giving its intermediate values as JSON text
   * `[[step, "value as text", "metrics JSON"], ...]`, to save a query per read; undefined:
   * the storage reads them with a second query.
   */
  readonly intermediatesJson?: string;
  /**
   * The time now, in ms since 1970, on the clock every process sharing the database agrees on:
   * the database server's for PostgreSQL (machines' clocks differ, and heartbeats are compared
   * across machines), this machine's for SQLite. Every timestamp written uses it.
   */
  now(): number;
  /**
   * Runs `fn` in one transaction (see `TransactionMode`). A driver may run `fn` again when the connection
   * drops (`attempt` counts from 0); `fn` then checks whether the lost attempt committed.
   */
  transaction<T>(
    mode: TransactionMode,
    fn: (sql: SqlExecutor, attempt: number) => Promise<T>,
  ): Promise<T>;
  /** Whether `error` is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}
