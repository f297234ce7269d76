/**
 * An Optuna journal file's study as a hypertuner study: objectives from its directions (named
 * by `study:metric_names`, else `value` / `values_<i>` as Optuna's trials_dataframe names
 * them), a search space (the one hypertuner exported in `hypertuner:space` when it still fits
 * the trials, else one parameter a name from the union of the distributions the trials
 * recorded), and one trial template a trial in number order. A WAITING trial's parameters are
 * its `fixed_params` (Optuna's `enqueue_trial`). A RUNNING trial has no worker here: it comes in
 * FAILED as a trial whose worker was lost (Optuna's `fail_stale_trials` fails it too), out of the
 * trial budget, so that a search starts a new trial at once instead of waiting to reap it.
 *
 * What has no place in hypertuner is left out and said in `notes`: a sampler's system
 * attributes, a parameter whose choices include None, a NaN intermediate value, an attribute
 * that is not JSON (NaN, Infinity).
 */
import { HypertunerError, SearchSpace, validateValues } from '../../space/index.js';
import type { Parameter, ParamValue, ParamValues } from '../../space/index.js';
import type { IntermediateValue, JsonValue, Objective, TrialStatus } from '../../trials/index.js';
import type { CreateStudyInput, TrialTemplate } from '../storage.js';
import { parameterOf, unionOfDistributions } from './optuna-distributions.js';
import type { OptunaDistribution } from './optuna-distributions.js';
import { plural } from '../../plural.js';
import { LOST_TRIAL_ERROR } from '../../trials/index.js';
import { JournalLineError, replayJournal } from './optuna-journal-replay.js';
import type { JournalStudy, JournalTrial } from './optuna-journal-replay.js';
import {
  METRIC_NAMES_ATTR,
  SPACE_ATTR,
  STUDY_ATTR,
  TRIAL_ATTR,
  parsePythonDatetime,
} from './optuna-journal-write.js';

export interface ReadOptunaJournalOptions {
  /** The study to read (needed when the file holds several). */
  readonly study?: string;
  /** Names for the objectives, one a direction (default: the file's, else `value`/`values_<i>`). */
  readonly objectives?: readonly string[];
}

export interface OptunaJournalStudy {
  readonly study: CreateStudyInput;
  readonly trials: readonly TrialTemplate[];
  /** What was left out or changed on the way, in words. */
  readonly notes: readonly string[];
}

const STATUS: readonly TrialStatus[] = ['RUNNING', 'COMPLETED', 'PRUNED', 'FAILED', 'WAITING'];
const OURS = new Set([TRIAL_ATTR, 'fixed_params', 'fail_reason']);
const OURS_STUDY = new Set([SPACE_ATTR, STUDY_ATTR, METRIC_NAMES_ATTR]);

/** The study of journal `text` (see the file comment); throws `IMPORT_INVALID_FILE`. */
export function readOptunaJournal(
  text: string,
  options: ReadOptunaJournalOptions = {},
): OptunaJournalStudy {
  let replay;
  try {
    replay = replayJournal(text);
  } catch (error) {
    if (!(error instanceof JournalLineError)) throw error;
    throw invalid(`${error.message}.`, 'file');
  }
  const studies = [...replay.studies.values()];
  const names = studies.map((s) => `'${s.name}'`).join(', ');
  const source =
    options.study === undefined
      ? studies.length === 1
        ? studies[0]
        : undefined
      : studies.find((s) => s.name === options.study);
  if (source === undefined) {
    throw options.study === undefined && studies.length > 1
      ? invalid(
          `The file holds ${studies.length} studies (${names}); name one with --study.`,
          'study',
        )
      : invalid(
          studies.length === 0
            ? 'The file holds no study.'
            : `The file has no study '${options.study ?? ''}'; it has ${names}.`,
          'study',
        );
  }
  const notes = [...replay.notes];
  const objectives = objectivesOf(source, options.objectives);
  const trials = source.trialIds.map((id) => replay.trials[id] as JournalTrial);
  const space = spaceOf(source, trials, notes);
  const dropped = new Map<string, number>();
  const drop = (what: string): void => void dropped.set(what, (dropped.get(what) ?? 0) + 1);
  const templates = trials.map((t, number) =>
    templateOf(t, number, objectives, space, notes, drop),
  );
  for (const [what, n] of dropped)
    notes.push(
      `${what} is left out of ${n} trial${n === 1 ? '' : 's'}: it holds NaN or Infinity, which JSON cannot`,
    );
  const unread = new Map<string, number>();
  for (const t of trials) {
    for (const key of Object.keys(t.systemAttrs).filter((k) => !OURS.has(k)))
      unread.set(key, (unread.get(key) ?? 0) + 1);
  }
  if (unread.size > 0)
    notes.push(
      `trial system attributes not imported (hypertuner has no place for them): ${[...unread].map(([k, n]) => `${k} (${plural(n, 'trial')})`).join(', ')}`,
    );
  const studyUnread = Object.keys(source.systemAttrs).filter((k) => !OURS_STUDY.has(k));
  if (studyUnread.length > 0)
    notes.push(`study system attributes not imported: ${studyUnread.join(', ')}`);
  const createdAt = record(source.systemAttrs[STUDY_ATTR])?.['createdAt'];
  return {
    study: {
      name: source.name,
      objectives,
      space: space.toJSON(),
      userAttrs: jsonAttrs(source.userAttrs, (key) => {
        notes.push(
          `the study's user attribute '${key}' is left out: it holds NaN or Infinity, which JSON cannot`,
        );
      }),
      ...(typeof createdAt === 'number' && Number.isSafeInteger(createdAt) ? { createdAt } : {}),
    },
    trials: templates,
    notes: [...new Set(notes)],
  };
}

function objectivesOf(study: JournalStudy, given: readonly string[] | undefined): Objective[] {
  if (study.directions.includes(0))
    throw invalid(
      `Study '${study.name}' has a direction NOT_SET; hypertuner needs minimize or maximize.`,
      'directions',
    );
  const n = study.directions.length;
  const stored = study.systemAttrs[METRIC_NAMES_ATTR];
  const fits = (names: unknown): names is string[] =>
    Array.isArray(names) &&
    names.length === n &&
    names.every((x) => typeof x === 'string' && x !== '') &&
    new Set(names).size === n;
  if (given !== undefined && !fits(given))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `objectives must be ${n} distinct names (study '${study.name}' has ${n} directions); got ${JSON.stringify(given)}.`,
      { field: 'objectives' },
    );
  const names =
    given ??
    (fits(stored) ? stored : n === 1 ? ['value'] : study.directions.map((_, i) => `values_${i}`));
  return names.map((name, i) => ({
    name,
    direction: study.directions[i] === 1 ? 'minimize' : 'maximize',
  }));
}

/**
 * The space hypertuner exported (with the parameters trials added since, from their
 * distributions) when it fits every trial, else the one the distributions give.
 */
function spaceOf(
  study: JournalStudy,
  trials: readonly JournalTrial[],
  notes: string[],
): SearchSpace {
  const recorded = spaceOfDistributions(trials, notes);
  const stored = study.systemAttrs[SPACE_ATTR];
  if (typeof stored !== 'string') return recorded;
  try {
    let space = SearchSpace.fromJSON(JSON.parse(stored));
    const added = recorded.parameters.filter((p) => !space.has(p.name));
    for (const p of added) space = space.with(p);
    for (const t of trials) validateValues(space.parameters, paramsOf(t, undefined));
    if (added.length > 0)
      notes.push(
        `parameters new since the export join the search space as Optuna recorded them: ${added.map((p) => p.name).join(', ')}`,
      );
    return space;
  } catch (error) {
    notes.push(
      `the exported search space no longer fits the trials (${(error as Error).message}); rebuilt from the trials' distributions`,
    );
    return recorded;
  }
}

/** One parameter a name, from the union of the distributions its trials recorded. */
function spaceOfDistributions(trials: readonly JournalTrial[], notes: string[]): SearchSpace {
  const byName = new Map<string, OptunaDistribution[]>();
  for (const t of trials) {
    for (const [name, { distribution }] of Object.entries(t.params))
      byName.set(name, [...(byName.get(name) ?? []), distribution]);
  }
  const parameters: Parameter[] = [];
  for (const [name, list] of byName) {
    const union = unionOfDistributions(list);
    const mapped =
      union === undefined
        ? { problem: 'its trials recorded it as different kinds of distribution' }
        : parameterOf(name, union);
    if ('parameter' in mapped) parameters.push(mapped.parameter);
    else notes.push(`parameter '${name}' left out of every trial: ${mapped.problem}`);
  }
  return new SearchSpace(parameters);
}

/** A trial's parameter values as Optuna has them (a WAITING trial's: its fixed_params). */
function paramsOf(t: JournalTrial, space: SearchSpace | undefined): Record<string, ParamValue> {
  const fixed = record(t.systemAttrs['fixed_params']);
  const entries: [string, unknown][] =
    t.state === 4 && fixed !== undefined
      ? Object.entries(fixed)
      : Object.entries(t.params).map(([name, p]) => [name, p.value]);
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of entries) {
    if (space !== undefined && !space.has(name)) continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
      out[name] = value;
  }
  return out;
}

function templateOf(
  t: JournalTrial,
  number: number,
  objectives: readonly Objective[],
  space: SearchSpace,
  notes: string[],
  drop: (what: string) => void,
): TrialTemplate {
  const status = STATUS[t.state] as TrialStatus;
  const ours = record(t.systemAttrs[TRIAL_ATTR]) ?? {};
  const finished = status === 'COMPLETED' || status === 'PRUNED' || status === 'FAILED';
  const numbers = t.values?.every((v): v is number => typeof v === 'number' && !Number.isNaN(v));
  let values =
    finished && numbers === true && t.values?.length === objectives.length
      ? (t.values as number[])
      : undefined;
  const failReason = t.systemAttrs['fail_reason'];
  let error =
    typeof ours['error'] === 'string'
      ? ours['error']
      : typeof failReason === 'string'
        ? failReason
        : undefined;
  let finalStatus = status;
  if (status === 'COMPLETED' && values === undefined) {
    notes.push(
      `trial ${number}: COMPLETE without ${objectives.length} numeric values; imported as FAILED`,
    );
    finalStatus = 'FAILED';
    error ??= `imported from Optuna as COMPLETE with the values ${JSON.stringify(t.values)}`;
    values = undefined;
  }
  if (status === 'RUNNING') {
    notes.push(
      `trial ${number}: RUNNING in the journal, and no worker here runs it; imported as FAILED (worker lost), out of the trial budget`,
    );
    finalStatus = 'FAILED';
    error = `${LOST_TRIAL_ERROR}: RUNNING in the Optuna journal it was imported from, where no worker here runs it; not retried: a new trial takes its place`;
  }
  const stepMetrics = new Map<number, Record<string, number>>();
  if (Array.isArray(ours['intermediateMetrics'])) {
    for (const entry of ours['intermediateMetrics'] as unknown[]) {
      if (Array.isArray(entry) && typeof entry[0] === 'number' && record(entry[1]) !== undefined)
        stepMetrics.set(entry[0], numberRecord(entry[1]));
    }
  }
  const first = (objectives[0] as Objective).name;
  const intermediate: IntermediateValue[] = [];
  for (const [step, value] of Object.entries(t.intermediate).sort(
    (a, b) => Number(a[0]) - Number(b[0]),
  )) {
    if (typeof value !== 'number' || !Number.isFinite(value) || Number(step) < 0) {
      notes.push(
        `trial ${number}: the intermediate value ${String(value)} at step ${step} is left out (hypertuner keeps finite values at steps >= 0)`,
      );
      continue;
    }
    intermediate.push({
      step: Number(step),
      value,
      metrics: stepMetrics.get(Number(step)) ?? { [first]: value },
    });
  }
  const metrics =
    record(ours['metrics']) !== undefined
      ? numberRecord(ours['metrics'])
      : Object.fromEntries(
          objectives.flatMap((o, i) => (values?.[i] === undefined ? [] : [[o.name, values[i]]])),
        );
  const startedAt =
    t.datetimeStart === null || status === 'WAITING'
      ? undefined
      : parsePythonDatetime(t.datetimeStart);
  const finishedAt =
    t.datetimeComplete === null || !finished ? undefined : parsePythonDatetime(t.datetimeComplete);
  const ourCreated = ours['createdAt'];
  const createdAt =
    typeof ourCreated === 'number' && Number.isSafeInteger(ourCreated)
      ? ourCreated
      : (startedAt ?? finishedAt ?? Date.now());
  const params: ParamValues = space.pruneInactive(paramsOf(t, space));
  return {
    status: finalStatus,
    params,
    values,
    metrics,
    intermediate,
    error,
    createdAt,
    startedAt,
    finishedAt: finalStatus === status ? finishedAt : (finishedAt ?? startedAt ?? createdAt),
    heartbeatAt: undefined,
    workerId: undefined,
    retryOf: typeof ours['retryOf'] === 'number' ? ours['retryOf'] : undefined,
    oracleAttrs: jsonAttrs(record(ours['oracleAttrs']) ?? {}, (key) =>
      drop(`oracle attribute '${key}'`),
    ),
    userAttrs: jsonAttrs(t.userAttrs, (key) => drop(`user attribute '${key}'`)),
  };
}

/** The attributes that are JSON (no NaN or Infinity inside); `dropped` hears of the others. */
function jsonAttrs(
  attrs: Record<string, unknown>,
  dropped: (key: string) => void,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (isJson(value)) out[key] = value;
    else dropped(key);
  }
  return out;
}

function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return typeof value === 'object' && Object.values(value as object).every(isJson);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function numberRecord(value: unknown): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record(value) ?? {}).filter(
      (e): e is [string, number] => typeof e[1] === 'number',
    ),
  );
}

function invalid(message: string, field: string): HypertunerError {
  return new HypertunerError('IMPORT_INVALID_FILE', `Optuna journal: ${message}`, { field });
}
