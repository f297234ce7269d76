/**
 * Row shapes of the SQL schema and how values are written into them. Both drivers return rows
 * with these column names; numbers may come back as strings (PostgreSQL BIGINT). Reading rows
 * back (checked field by field) is in decode-rows.ts.
 */

/** A value a driver may bind to a placeholder. */
export type SqlParam = string | number | null | Uint8Array;

/** A numeric column as a driver returns it. */
export type SqlNumber = number | string | bigint;

export interface StudyRow {
  readonly id: SqlNumber;
  readonly name: string;
  readonly objectives: string;
  readonly space: string;
  readonly user_attrs: string;
  readonly created_at: SqlNumber;
  readonly next_number: SqlNumber;
  readonly revision: SqlNumber;
}

export const STUDY_COLUMNS =
  'id, name, objectives, space, user_attrs, created_at, next_number, revision';

export interface TrialRow {
  readonly id: SqlNumber;
  readonly study_id: SqlNumber;
  readonly number: SqlNumber;
  readonly status: string;
  readonly params: string;
  readonly objective_values: string | null;
  readonly metrics: string;
  readonly error: string | null;
  readonly created_at: SqlNumber;
  readonly started_at: SqlNumber | null;
  readonly finished_at: SqlNumber | null;
  readonly heartbeat_at: SqlNumber | null;
  readonly worker_id: string | null;
  readonly retry_of: SqlNumber | null;
  readonly oracle_attrs: string;
  readonly user_attrs: string;
  readonly revision: SqlNumber;
  /** With drivers that aggregate them: `[[step, "value as text", "metrics JSON"], ...]`. */
  readonly intermediate_json?: string | null;
}

export const TRIAL_COLUMNS =
  'id, study_id, number, status, params, objective_values, metrics, error, created_at, started_at, finished_at, heartbeat_at, worker_id, retry_of, oracle_attrs, user_attrs, revision';

export interface IntermediateRow {
  readonly trial_id: SqlNumber;
  readonly step: SqlNumber;
  readonly value: SqlNumber | null;
  readonly metrics: string;
}

export const LIVE_STATUSES_SQL = "('WAITING', 'RUNNING')";
export const FINISHED_STATUSES_SQL = "('COMPLETED', 'PRUNED', 'FAILED')";

export function toNumber(value: SqlNumber): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * JSON for numbers that may be non-finite (objective values, metrics): JSON has no
 * Infinity or NaN, so they are written as the strings "Infinity", "-Infinity", "NaN".
 */
export function encodeNumbers(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
}

/** The `first_value` column: the first objective's value (NULL when absent or NaN). */
export function firstValue(values: readonly number[] | undefined): number | null {
  const v = values?.[0];
  return v === undefined || Number.isNaN(v) ? null : v;
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Freezes an object and everything in it, so cached trials can be shared safely. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
