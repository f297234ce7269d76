/**
 * The SQL schema shared by the SQLite and PostgreSQL adapters, as a list of migrations.
 * A database records the versions applied in `schema_version`; opening one applies the
 * missing migrations in order and refuses a database newer than this code.
 */
import { HypertunerError } from '../../space/index.js';
import { StorageErrorCode } from '../storage.js';

export type SqlDialectName = 'sqlite' | 'postgres';

/** One schema change: its version and the statements that make it. */
export interface Migration {
  readonly version: number;
  readonly statements: (dialect: SqlDialectName) => readonly string[];
}

interface ColumnTypes {
  readonly id: string;
  readonly ref: string;
  readonly real: string;
}

function columnTypes(dialect: SqlDialectName): ColumnTypes {
  return dialect === 'sqlite'
    ? { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', ref: 'INTEGER', real: 'REAL' }
    : { id: 'BIGSERIAL PRIMARY KEY', ref: 'BIGINT', real: 'DOUBLE PRECISION' };
}

/**
 * Version 1. Times are ms since the epoch. JSON columns are text. `revision` counts changes
 * per study: every write that finishes a trial or changes a trial's user attributes takes
 * the next `studies.revision` and stores it in the trial, so readers can fetch only what
 * changed since they last looked. `next_number` gives dense trial numbers. `request_token`
 * makes a retried creation idempotent. An intermediate `value` of NULL is NaN (SQLite
 * stores NaN as NULL).
 */
const v1: Migration = {
  version: 1,
  statements: (dialect) => {
    const t = columnTypes(dialect);
    return [
      `CREATE TABLE studies (
        id ${t.id},
        name TEXT NOT NULL UNIQUE,
        objectives TEXT NOT NULL,
        space TEXT NOT NULL,
        user_attrs TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        next_number INTEGER NOT NULL DEFAULT 0,
        revision BIGINT NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE trials (
        id ${t.id},
        study_id ${t.ref} NOT NULL REFERENCES studies (id),
        number INTEGER NOT NULL,
        status TEXT NOT NULL,
        params TEXT NOT NULL,
        objective_values TEXT,
        first_value ${t.real},
        metrics TEXT NOT NULL,
        error TEXT,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        heartbeat_at BIGINT,
        worker_id TEXT,
        retry_of INTEGER,
        oracle_attrs TEXT NOT NULL,
        user_attrs TEXT NOT NULL,
        revision BIGINT NOT NULL DEFAULT 0,
        request_token TEXT,
        UNIQUE (study_id, number)
      )`,
      'CREATE INDEX trials_study_status ON trials (study_id, status)',
      'CREATE INDEX trials_study_revision ON trials (study_id, revision)',
      'CREATE INDEX trials_study_retry_of ON trials (study_id, retry_of)',
      'CREATE UNIQUE INDEX trials_request_token ON trials (request_token)',
      `CREATE TABLE intermediate_values (
        trial_id ${t.ref} NOT NULL REFERENCES trials (id),
        step INTEGER NOT NULL,
        value ${t.real},
        metrics TEXT NOT NULL,
        PRIMARY KEY (trial_id, step)
      )`,
    ];
  },
};

/**
 * Version 2: trial artifacts (saved models) kept in the database for small models, one row
 * per (study, trial number, file name); see `storage/artifacts/database-artifact-store.ts`.
 */
const v2: Migration = {
  version: 2,
  statements: (dialect) => {
    const t = columnTypes(dialect);
    return [
      `CREATE TABLE artifacts (
        study_id ${t.ref} NOT NULL REFERENCES studies (id),
        trial_number INTEGER NOT NULL,
        name TEXT NOT NULL,
        bytes ${dialect === 'sqlite' ? 'BLOB' : 'BYTEA'} NOT NULL,
        size BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (study_id, trial_number, name)
      )`,
    ];
  },
};

/** Every migration, oldest first. Append new ones; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [v1, v2];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

export const CREATE_SCHEMA_VERSION_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)';
export const SELECT_SCHEMA_VERSION = 'SELECT MAX(version) AS version FROM schema_version';
export const INSERT_SCHEMA_VERSION = 'INSERT INTO schema_version (version) VALUES (?)';

/** The migrations still to apply to a database at `current`, or `STORAGE_SCHEMA_TOO_NEW`. */
export function pendingMigrations(current: number, where: string): readonly Migration[] {
  if (current > LATEST_SCHEMA_VERSION) {
    throw new HypertunerError(
      StorageErrorCode.SchemaTooNew,
      `${where} has storage schema version ${current}, newer than the latest this hypertuner knows (${LATEST_SCHEMA_VERSION}); upgrade hypertuner to open it.`,
      { field: 'schema_version' },
    );
  }
  return MIGRATIONS.filter((m) => m.version > current);
}
