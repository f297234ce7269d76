/**
 * Rows read back from SQL into `StudyRecord`s and `Trial`s, checked field by field. A row that
 * was hand-edited or damaged (a `params` that is not JSON, a value of the wrong type, a status
 * nobody writes) is a `STORAGE_CORRUPT` error whose `field` is the column and whose message
 * says what is wrong with it; `SqlQueries` adds which storage, study and trial it is in.
 */
import { HypertunerError, SearchSpace } from '../../space/index.js';
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
import { StorageErrorCode } from '../storage.js';
import type { IntermediateRow, SqlNumber, StudyRow, TrialRow } from './rows.js';
import { deepFreeze } from './rows.js';

/** Throws the `STORAGE_CORRUPT` error of one stored field. */
function corrupt(field: string, problem: string): never {
  throw new HypertunerError(StorageErrorCode.Corrupt, `${field} ${problem}`, { field });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A whole number column (PostgreSQL BIGINT comes back as text). */
export function integer(value: unknown, field: string): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value))
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n)) corrupt(field, `is ${describe(value)}, not a whole number`);
  return n;
}

function optionalInteger(value: unknown, field: string): number | undefined {
  return value === null || value === undefined ? undefined : integer(value, field);
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') corrupt(field, `is ${describe(value)}, not text`);
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  return value === null || value === undefined ? undefined : text(value, field);
}

/** Parses JSON text; with `numbers`, the strings "Infinity", "-Infinity", "NaN" are numbers. */
function json(value: unknown, field: string, numbers = false): unknown {
  const source = text(value, field);
  try {
    return numbers
      ? JSON.parse(source, (_key, v: unknown) =>
          v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : v,
        )
      : JSON.parse(source);
  } catch (error) {
    return corrupt(field, `is not valid JSON (${(error as Error).message})`);
  }
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    corrupt(field, `is ${describe(value)}, not a JSON object`);
  return value as Record<string, unknown>;
}

function attrs(value: unknown, field: string): Record<string, JsonValue> {
  return record(json(value, field), field) as Record<string, JsonValue>;
}

function numberRecord(value: unknown, field: string): Record<string, number> {
  const parsed = record(json(value, field, true), field);
  for (const [key, v] of Object.entries(parsed)) {
    if (typeof v !== 'number')
      corrupt(field, `has ${JSON.stringify(key)}: ${describe(v)}, not a number`);
  }
  return parsed as Record<string, number>;
}

function params(value: unknown, field: string): ParamValues {
  const parsed = record(json(value, field), field);
  for (const [key, v] of Object.entries(parsed)) {
    const ok =
      (typeof v === 'number' && Number.isFinite(v)) ||
      typeof v === 'string' ||
      typeof v === 'boolean';
    if (!ok)
      corrupt(field, `has ${JSON.stringify(key)}: ${describe(v)}, not a number, text or boolean`);
  }
  return parsed as ParamValues;
}

function numberList(value: unknown, field: string): number[] {
  const parsed = json(value, field, true);
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'number'))
    corrupt(field, `is ${describe(parsed)}, not a list of numbers`);
  return parsed as number[];
}

function status(value: unknown): TrialStatus {
  const found = TRIAL_STATUSES.find((s) => s === value);
  if (found === undefined)
    corrupt('status', `is ${describe(value)}, not one of ${TRIAL_STATUSES.join(', ')}`);
  return found;
}

function objectives(value: unknown): Objective[] {
  const parsed = json(value, 'objectives');
  const ok =
    Array.isArray(parsed) &&
    parsed.length > 0 &&
    parsed.every((o: unknown) => {
      const entry = o as { name?: unknown; direction?: unknown } | null;
      return (
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.name === 'string' &&
        entry.name.length > 0 &&
        (entry.direction === 'minimize' || entry.direction === 'maximize')
      );
    });
  if (!ok)
    corrupt('objectives', `is ${describe(parsed)}, not a list of {name, direction} objectives`);
  return parsed as Objective[];
}

function space(value: unknown): SearchSpace {
  const parsed = json(value, 'space');
  try {
    return SearchSpace.fromJSON(parsed);
  } catch (error) {
    return corrupt('space', `is not a valid search space (${(error as Error).message})`);
  }
}

/** The study record of a row (every field checked). */
export function toStudyRecord(row: StudyRow): StudyRecord {
  return {
    id: integer(row.id, 'id'),
    name: text(row.name, 'name'),
    objectives: objectives(row.objectives),
    space: space(row.space),
    createdAt: integer(row.created_at, 'created_at'),
    userAttrs: attrs(row.user_attrs, 'user_attrs'),
  };
}

function toIntermediate(step: unknown, value: unknown, metrics: unknown): IntermediateValue {
  const at = integer(step, 'intermediate_values.step');
  const field = `intermediate_values (step ${at})`;
  let v: number;
  if (value === null) v = NaN;
  else if (typeof value === 'number') v = value;
  else if (typeof value === 'string' && !Number.isNaN(Number(value)) && value.trim() !== '')
    v = Number(value);
  else if (value === 'NaN') v = NaN;
  else return corrupt(`${field}.value`, `is ${describe(value)}, not a number`);
  return { step: at, value: v, metrics: numberRecord(metrics, `${field}.metrics`) };
}

/** A trial's intermediate values, or the error that reading them met. */
export type IntermediatesOrError = readonly IntermediateValue[] | HypertunerError;

/** Intermediate values aggregated as `[[step, "value", "metrics JSON"], ...]`, sorted by step. */
export function parseIntermediateJson(source: string): IntermediateValue[] {
  const list = json(source, 'intermediate_values');
  if (!Array.isArray(list)) return corrupt('intermediate_values', 'is not a list');
  return list
    .map((entry: unknown) => {
      if (!Array.isArray(entry) || entry.length !== 3)
        return corrupt('intermediate_values', `has ${describe(entry)}, not [step, value, metrics]`);
      return toIntermediate(entry[0], entry[1], entry[2]);
    })
    .sort((a, b) => a.step - b.step);
}

/**
 * Groups intermediate rows (ordered by trial id, step) by trial id; a trial with a damaged row
 * gets that row's error in place of its list.
 */
export function groupIntermediates(
  rows: readonly IntermediateRow[],
): Map<number, IntermediateValue[] | HypertunerError> {
  const byTrial = new Map<number, IntermediateValue[] | HypertunerError>();
  for (const row of rows) {
    const id = Number(row.trial_id);
    const list = byTrial.get(id) ?? [];
    if (list instanceof HypertunerError) continue;
    try {
      list.push(toIntermediate(row.step, row.value, row.metrics));
      byTrial.set(id, list);
    } catch (error) {
      if (!(error instanceof HypertunerError)) throw error;
      byTrial.set(id, error);
    }
  }
  for (const list of byTrial.values())
    if (Array.isArray(list)) list.sort((a, b) => a.step - b.step);
  return byTrial;
}

/** A frozen `Trial` from its row and its intermediate values (every field checked). */
export function toTrial(row: TrialRow, intermediate: IntermediatesOrError): Trial {
  if (intermediate instanceof HypertunerError) throw intermediate;
  const trial: Trial = {
    id: integer(row.id, 'id'),
    number: integer(row.number, 'number'),
    status: status(row.status),
    params: params(row.params, 'params'),
    values:
      row.objective_values === null
        ? undefined
        : numberList(row.objective_values, 'objective_values'),
    metrics: numberRecord(row.metrics, 'metrics'),
    intermediate,
    error: optionalText(row.error, 'error'),
    createdAt: integer(row.created_at, 'created_at'),
    startedAt: optionalInteger(row.started_at, 'started_at'),
    finishedAt: optionalInteger(row.finished_at, 'finished_at'),
    heartbeatAt: optionalInteger(row.heartbeat_at, 'heartbeat_at'),
    workerId: optionalText(row.worker_id, 'worker_id'),
    retryOf: optionalInteger(row.retry_of, 'retry_of'),
    oracleAttrs: attrs(row.oracle_attrs, 'oracle_attrs'),
    userAttrs: attrs(row.user_attrs, 'user_attrs'),
  };
  if (trial.number < 0) corrupt('number', `is ${trial.number}, not a trial number (0, 1, 2, ...)`);
  return deepFreeze(trial);
}

/** The revision column of a row, checked. */
export function revisionOf(row: { readonly revision: SqlNumber }): number {
  return integer(row.revision, 'revision');
}
