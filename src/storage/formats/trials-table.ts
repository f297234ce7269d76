/**
 * A study's trials as a table shaped like Optuna's `study.trials_dataframe()`, so that what
 * people do with that table (in pandas, a notebook, a spreadsheet) works on ours: the same
 * attributes and column names (`number`, `value` or `values_<i>`, `datetime_start`,
 * `datetime_complete`, `duration`, `params_<name>`, `user_attrs_<key>`, `system_attrs_<key>`,
 * `state`), nested columns sorted as Optuna sorts them, and Optuna's state names (COMPLETE,
 * FAIL, ...). A parameter a trial did not use (an inactive conditional one) is `null`, as
 * pandas' empty cell. Our oracle attributes and a failed trial's error text (`fail_reason`) are
 * the system attributes.
 */
import { HypertunerError } from '../../space/index.js';
import type { JsonValue, Objective, Trial, TrialStatus } from '../../trials/index.js';

/** The trial attributes a table can show (Optuna's `attrs`). */
export const TABLE_ATTRS = [
  'number',
  'trial_id',
  'value',
  'values',
  'datetime_start',
  'datetime_complete',
  'duration',
  'params',
  'user_attrs',
  'system_attrs',
  'intermediate_values',
  'state',
] as const;
export type TableAttr = (typeof TABLE_ATTRS)[number];

/** Optuna's default `attrs`. */
export const DEFAULT_TABLE_ATTRS: readonly TableAttr[] = [
  'number',
  'value',
  'datetime_start',
  'datetime_complete',
  'duration',
  'params',
  'user_attrs',
  'system_attrs',
  'state',
];

/** A cell: JSON data, or a `Date` (the datetime columns). `duration` is in milliseconds. */
export type TableCell = JsonValue | Date;

export interface TrialsTable {
  readonly columns: readonly string[];
  /** One row per trial, by number; every row has every column (`null` where it has no value). */
  readonly rows: readonly Readonly<Record<string, TableCell>>[];
}

export interface TrialsTableOptions {
  /** Which attributes, in order (default Optuna's: number, value, ..., state). */
  readonly attrs?: readonly TableAttr[];
}

/** Optuna's names of our states. */
export const OPTUNA_STATE_NAMES: Readonly<Record<TrialStatus, string>> = {
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETE',
  PRUNED: 'PRUNED',
  FAILED: 'FAIL',
  WAITING: 'WAITING',
};

type NestedKey = string | number;

/** The trials of a study with `objectives` as a table (see the file comment). */
export function buildTrialsTable(
  study: { readonly objectives: readonly Objective[] },
  trials: readonly Trial[],
  options: TrialsTableOptions = {},
): TrialsTable {
  const multi = study.objectives.length > 1;
  const attrs = checkAttrs(options.attrs ?? DEFAULT_TABLE_ATTRS).map((a) =>
    a === 'value' && multi ? 'values' : a,
  );
  const unique = attrs.filter((a, i) => attrs.indexOf(a) === i);
  const keys = new Map<TableAttr, Map<string, NestedKey>>(unique.map((a) => [a, new Map()]));
  const records = trials.map((trial) => {
    const record = new Map<string, TableCell>();
    for (const attr of unique) {
      const nested = nestedCells(attr, trial, study.objectives.length);
      if (nested === undefined) {
        record.set(attr, flatCell(attr, trial));
        keys.get(attr)?.set(attr, '');
        continue;
      }
      for (const [key, cell] of nested) {
        const column = columnName(attr, key);
        record.set(column, cell);
        keys.get(attr)?.set(column, key);
      }
    }
    return record;
  });
  const columns = unique.flatMap((attr) =>
    [...(keys.get(attr) ?? new Map<string, NestedKey>())]
      .sort(([, a], [, b]) => compareKeys(a, b))
      .map(([column]) => column),
  );
  const rows = records.map((record) =>
    Object.fromEntries(columns.map((column) => [column, record.get(column) ?? null])),
  );
  return { columns, rows };
}

function checkAttrs(attrs: readonly TableAttr[]): readonly TableAttr[] {
  for (const attr of attrs) {
    if (!TABLE_ATTRS.includes(attr)) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `attrs: '${String(attr)}' is not a trial attribute; use any of ${TABLE_ATTRS.join(', ')}.`,
        { field: 'attrs' },
      );
    }
  }
  return attrs;
}

/** Optuna's flattened column name: `params_lr`, `values_0`, or the attribute alone. */
function columnName(attr: TableAttr, key: NestedKey): string {
  return key === '' ? attr : `${attr}_${key}`;
}

/** Python's order of the (attr, key) tuples: numbers by value, text by code points. */
function compareKeys(a: NestedKey, b: NestedKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = [...String(a)].map((c) => c.codePointAt(0) as number);
  const y = [...String(b)].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}

/** The cells of a nested attribute by key, or undefined for a flat one. */
function nestedCells(
  attr: TableAttr,
  trial: Trial,
  objectives: number,
): [NestedKey, TableCell][] | undefined {
  switch (attr) {
    case 'values':
      return Array.from({ length: objectives }, (_, i) => [i, trial.values?.[i] ?? null]);
    case 'params':
      return Object.entries(trial.params);
    case 'user_attrs':
      return Object.entries(trial.userAttrs);
    case 'system_attrs':
      return [
        ...Object.entries(trial.oracleAttrs),
        ...(trial.status === 'FAILED' && trial.error !== undefined
          ? [['fail_reason', trial.error] as [string, string]]
          : []),
      ];
    case 'intermediate_values':
      return trial.intermediate.map((iv) => [iv.step, iv.value]);
    default:
      return undefined;
  }
}

function flatCell(attr: TableAttr, trial: Trial): TableCell {
  switch (attr) {
    case 'number':
      return trial.number;
    case 'trial_id':
      return trial.id;
    case 'value':
      return trial.values?.[0] ?? null;
    case 'datetime_start':
      return trial.startedAt === undefined ? null : new Date(trial.startedAt);
    case 'datetime_complete':
      return trial.finishedAt === undefined ? null : new Date(trial.finishedAt);
    case 'duration':
      return trial.startedAt === undefined || trial.finishedAt === undefined
        ? null
        : trial.finishedAt - trial.startedAt;
    case 'state':
      return OPTUNA_STATE_NAMES[trial.status];
    default:
      return null;
  }
}
