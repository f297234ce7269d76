/**
 * Replaying an Optuna journal file as Optuna's `JournalStorageReplayResult.apply_logs` does
 * (`optuna/storages/_journal/storage.py`): studies get ids 0, 1, ... in order of creation (a
 * second CREATE_STUDY of a name is ignored), trials get file-wide ids in order, an operation on
 * a missing study or trial, or on a finished trial, is ignored, and a last line cut short (a
 * writer stopped mid-write) is skipped. Distributions and values stay in Optuna's terms here;
 * optuna-journal-read.ts maps them to ours.
 */
import type { OptunaChoice, OptunaDistribution } from './optuna-distributions.js';
import { parseDistribution, toExternal } from './optuna-distributions.js';
import { JournalOp } from './optuna-journal-write.js';
import { parsePythonJson } from './python-json.js';

/** A study as the replay left it. */
export interface JournalStudy {
  readonly name: string;
  readonly directions: readonly number[];
  readonly userAttrs: Record<string, unknown>;
  readonly systemAttrs: Record<string, unknown>;
  /** File-wide ids of its trials, in order (its trial numbers are the places in this list). */
  readonly trialIds: number[];
}

/** A trial as the replay left it. */
export interface JournalTrial {
  state: number;
  params: Record<
    string,
    { readonly value: OptunaChoice; readonly distribution: OptunaDistribution }
  >;
  values: readonly unknown[] | null;
  intermediate: Record<number, unknown>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
}

export interface JournalReplay {
  /** The studies alive at the end, by id. */
  readonly studies: ReadonlyMap<number, JournalStudy>;
  readonly trials: readonly JournalTrial[];
  /** Lines skipped (a cut-short last line), in words. */
  readonly notes: readonly string[];
}

/** A line of the file that is not an operation Optuna would replay. */
export class JournalLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const FINISHED = new Set([1, 2, 3]);

/** Replays the journal `text` (see the file comment); throws `JournalLineError`. */
export function replayJournal(text: string): JournalReplay {
  const studies = new Map<number, JournalStudy>();
  const trials: JournalTrial[] = [];
  const notes: string[] = [];
  let nextStudyId = 0;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const at = index + 1;
    let log: Record<string, unknown>;
    try {
      const parsed = parsePythonJson(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a JSON object');
      log = parsed as Record<string, unknown>;
    } catch (error) {
      if (at === lines.length) {
        notes.push(
          `line ${at} is cut short (a writer stopped mid-line) and was skipped, as Optuna skips it`,
        );
        return;
      }
      throw new JournalLineError(
        at,
        `not an operation of a journal file (${(error as Error).message})`,
      );
    }
    const fail = (what: string): never => {
      throw new JournalLineError(at, what);
    };
    const study = (): JournalStudy | undefined =>
      studies.get(int(log['study_id'], 'study_id', fail));
    const trial = (): JournalTrial | undefined => {
      const t = trials[int(log['trial_id'], 'trial_id', fail)];
      return t === undefined || FINISHED.has(t.state) ? undefined : t;
    };
    const oneEntry = (key: string): [string, unknown] => {
      const entries = Object.entries(object(log[key], key, fail));
      if (entries.length !== 1) fail(`${key} must hold one attribute`);
      return entries[0] as [string, unknown];
    };
    switch (log['op_code']) {
      case JournalOp.CreateStudy: {
        const name = log['study_name'];
        const directions = log['directions'];
        if (typeof name !== 'string') fail('study_name must be text');
        if (!Array.isArray(directions) || !directions.every((d) => d === 0 || d === 1 || d === 2))
          fail('directions must be a list of 0 (not set), 1 (minimize) or 2 (maximize)');
        if ([...studies.values()].some((s) => s.name === name)) return;
        studies.set(nextStudyId++, {
          name: name as string,
          directions: directions as number[],
          userAttrs: {},
          systemAttrs: {},
          trialIds: [],
        });
        return;
      }
      case JournalOp.DeleteStudy:
        studies.delete(int(log['study_id'], 'study_id', fail));
        return;
      case JournalOp.SetStudyUserAttr:
      case JournalOp.SetStudySystemAttr: {
        const s = study();
        const user = log['op_code'] === JournalOp.SetStudyUserAttr;
        const [key, value] = oneEntry(user ? 'user_attr' : 'system_attr');
        if (s !== undefined) (user ? s.userAttrs : s.systemAttrs)[key] = value;
        return;
      }
      case JournalOp.CreateTrial: {
        const s = study();
        if (s === undefined) return;
        trials.push(createdTrial(log, fail));
        s.trialIds.push(trials.length - 1);
        return;
      }
      case JournalOp.SetTrialParam: {
        const t = trial();
        const name = log['param_name'];
        if (typeof name !== 'string') fail('param_name must be text');
        const distribution = parseDistributionAt(log['distribution'], fail);
        const value = toExternal(distribution, log['param_value_internal']);
        if (value === undefined)
          fail(`param_value_internal does not fit ${String(log['distribution'])}`);
        if (t !== undefined)
          t.params = {
            ...t.params,
            [name as string]: { value: value as OptunaChoice, distribution },
          };
        return;
      }
      case JournalOp.SetTrialStateValues: {
        const t = trial();
        const state = stateOf(log['state'], fail);
        if (t === undefined || (state === 0 && t.state === 0)) return;
        if (state === 0) t.datetimeStart = textField(log['datetime_start'], 'datetime_start', fail);
        if (FINISHED.has(state))
          t.datetimeComplete = textField(log['datetime_complete'], 'datetime_complete', fail);
        t.state = state;
        if (log['values'] !== null && log['values'] !== undefined)
          t.values = list(log['values'], 'values', fail);
        return;
      }
      case JournalOp.SetTrialIntermediateValue: {
        const t = trial();
        const step = int(log['step'], 'step', fail);
        if (t !== undefined)
          t.intermediate = { ...t.intermediate, [step]: log['intermediate_value'] };
        return;
      }
      case JournalOp.SetTrialUserAttr:
      case JournalOp.SetTrialSystemAttr: {
        const t = trial();
        const user = log['op_code'] === JournalOp.SetTrialUserAttr;
        const [key, value] = oneEntry(user ? 'user_attr' : 'system_attr');
        if (t === undefined) return;
        if (user) t.userAttrs = { ...t.userAttrs, [key]: value };
        else t.systemAttrs = { ...t.systemAttrs, [key]: value };
        return;
      }
      default:
        fail(`op_code ${JSON.stringify(log['op_code'])} is not one of Optuna's (0 to 9)`);
    }
  });
  return { studies, trials, notes };
}

/** A trial of a CREATE_TRIAL operation (Optuna's `_apply_create_trial`). */
function createdTrial(log: Record<string, unknown>, fail: (what: string) => never): JournalTrial {
  const distributions: Record<string, OptunaDistribution> = {};
  for (const [name, json] of Object.entries(
    object(log['distributions'] ?? {}, 'distributions', fail),
  ))
    distributions[name] = parseDistributionAt(json, fail);
  const params: JournalTrial['params'] = {};
  for (const [name, internal] of Object.entries(object(log['params'] ?? {}, 'params', fail))) {
    const distribution = distributions[name];
    if (distribution === undefined) fail(`params has '${name}' but distributions has not`);
    const value = toExternal(distribution as OptunaDistribution, internal);
    if (value === undefined) fail(`params['${name}'] does not fit its distribution`);
    params[name] = {
      value: value as OptunaChoice,
      distribution: distribution as OptunaDistribution,
    };
  }
  const intermediate: Record<number, unknown> = {};
  for (const [step, value] of Object.entries(
    object(log['intermediate_values'] ?? {}, 'intermediate_values', fail),
  )) {
    if (!/^-?\d+$/.test(step)) fail(`intermediate_values has the step '${step}', not an integer`);
    intermediate[Number(step)] = value;
  }
  const values = log['values'];
  const value = log['value'];
  const start = log['datetime_start'];
  return {
    state: log['state'] === undefined ? 0 : stateOf(log['state'], fail),
    params,
    values:
      values !== null && values !== undefined
        ? list(values, 'values', fail)
        : value !== null && value !== undefined
          ? [value]
          : null,
    intermediate,
    userAttrs: { ...object(log['user_attrs'] ?? {}, 'user_attrs', fail) },
    systemAttrs: { ...object(log['system_attrs'] ?? {}, 'system_attrs', fail) },
    datetimeStart:
      start === null || start === undefined ? null : textField(start, 'datetime_start', fail),
    datetimeComplete:
      log['datetime_complete'] === undefined || log['datetime_complete'] === null
        ? null
        : textField(log['datetime_complete'], 'datetime_complete', fail),
  };
}

function parseDistributionAt(json: unknown, fail: (what: string) => never): OptunaDistribution {
  if (typeof json !== 'string') return fail('a distribution must be JSON text');
  try {
    return parseDistribution(json);
  } catch (error) {
    return fail((error as Error).message);
  }
}

function stateOf(value: unknown, fail: (what: string) => never): number {
  if (value === 0 || value === 1 || value === 2 || value === 3 || value === 4) return value;
  return fail(
    `state must be 0 to 4 (RUNNING, COMPLETE, PRUNED, FAIL, WAITING), got ${JSON.stringify(value)}`,
  );
}

function int(value: unknown, field: string, fail: (what: string) => never): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return fail(`${field} must be an integer, got ${JSON.stringify(value)}`);
}

function textField(value: unknown, field: string, fail: (what: string) => never): string {
  return typeof value === 'string' ? value : fail(`${field} must be text`);
}

function list(value: unknown, field: string, fail: (what: string) => never): unknown[] {
  return Array.isArray(value) ? value : fail(`${field} must be a list`);
}

function object(
  value: unknown,
  field: string,
  fail: (what: string) => never,
): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  return fail(`${field} must be an object`);
}
