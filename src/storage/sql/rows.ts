/**
 * Row shapes of the SQL schema and their mapping to and from `StudyRecord` and `Trial`.
 * Both drivers return rows with these column names; numbers may come back as strings
 * (PostgreSQL BIGINT), so every numeric column goes through `toNumber`.
 */
import { SearchSpace } from '../../space/index.js';
import type { ParamValues } from '../../space/index.js';
import type {
  IntermediateValue,
  JsonValue,
  Objective,
  Trial,
  TrialStatus,
} from '../../trials/index.js';
import { TRIAL_STATUSES } from '../../trials/index.js';
import type { StudyRecord } from '../storage.js';

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

function optionalNumber(value: SqlNumber | null): number | undefined {
  return value === null ? undefined : toNumber(value);
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

export function decodeNumbers<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (v === 'NaN') return NaN;
    return v;
  }) as T;
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Freezes an object and everything in it, so cached trials can be shared safely. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function toStatus(text: string): TrialStatus {
  const status = TRIAL_STATUSES.find((s) => s === text);
  if (status === undefined) throw new Error(`Unknown trial status '${text}' in storage.`);
  return status;
}

export function toStudyRecord(row: StudyRow): StudyRecord {
  return {
    id: toNumber(row.id),
    name: row.name,
    objectives: parseJson<Objective[]>(row.objectives),
    space: SearchSpace.fromJSON(parseJson<unknown>(row.space)),
    createdAt: toNumber(row.created_at),
    userAttrs: parseJson<Record<string, JsonValue>>(row.user_attrs),
  };
}

export function toIntermediate(row: IntermediateRow): IntermediateValue {
  return {
    step: toNumber(row.step),
    value: row.value === null ? NaN : toNumber(row.value),
    metrics: decodeNumbers<Record<string, number>>(row.metrics),
  };
}

/** A frozen `Trial` from its row and its intermediate values (sorted by step). */
export function toTrial(row: TrialRow, intermediate: readonly IntermediateValue[]): Trial {
  const trial: Trial = {
    id: toNumber(row.id),
    number: toNumber(row.number),
    status: toStatus(row.status),
    params: parseJson<ParamValues>(row.params),
    values:
      row.objective_values === null ? undefined : decodeNumbers<number[]>(row.objective_values),
    metrics: decodeNumbers<Record<string, number>>(row.metrics),
    intermediate,
    error: row.error ?? undefined,
    createdAt: toNumber(row.created_at),
    startedAt: optionalNumber(row.started_at),
    finishedAt: optionalNumber(row.finished_at),
    heartbeatAt: optionalNumber(row.heartbeat_at),
    workerId: row.worker_id ?? undefined,
    retryOf: optionalNumber(row.retry_of),
    oracleAttrs: parseJson<Record<string, JsonValue>>(row.oracle_attrs),
    userAttrs: parseJson<Record<string, JsonValue>>(row.user_attrs),
  };
  return deepFreeze(trial);
}

/** Intermediate values aggregated as `[[step, "value", "metrics JSON"], ...]` (by step). */
export function parseIntermediateJson(text: string): IntermediateValue[] {
  const list = JSON.parse(text) as [number, string | null, string][];
  return list
    .map(([step, value, metrics]) => ({
      step,
      value: value === null ? NaN : Number(value),
      metrics: decodeNumbers<Record<string, number>>(metrics),
    }))
    .sort((a, b) => a.step - b.step);
}

/** Groups intermediate rows (ordered by trial id, step) by trial id. */
export function groupIntermediates(
  rows: readonly IntermediateRow[],
): Map<number, IntermediateValue[]> {
  const byTrial = new Map<number, IntermediateValue[]>();
  for (const row of rows) {
    const id = toNumber(row.trial_id);
    let list = byTrial.get(id);
    if (list === undefined) {
      list = [];
      byTrial.set(id, list);
    }
    list.push(toIntermediate(row));
  }
  for (const list of byTrial.values()) list.sort((a, b) => a.step - b.step);
  return byTrial;
}
