/**
 * A study as an Optuna journal file: the JSON-lines operation log that Optuna's
 * `JournalStorage(JournalFileStorage(path))` replays (`optuna/storages/_journal/storage.py`,
 * the same in Optuna 3.1 to 4.x). One CREATE_STUDY, the study's user attributes, then one
 * CREATE_TRIAL a trial carrying the whole trial, as Optuna's own `create_new_trial` writes it
 * for a template trial (what `copy_study` and `add_trial` do).
 *
 * What Optuna has no field for rides along in system attributes, which Optuna keeps and shows
 * nowhere by default, so that `hypertuner import` gets the study back whole: the search space
 * (`hypertuner:space`), the study's creation time, and per trial its metrics, intermediate
 * metrics, oracle attributes and retry link (`hypertuner:trial`); a FAILED trial's error is its
 * `fail_reason`, as Optuna 3.2+ names it. The objective
 * names go in `study:metric_names`, where Optuna 3.2+ keeps `set_metric_names`. A WAITING trial
 * is written as Optuna's `enqueue_trial` writes one: no parameters, `fixed_params` in its
 * system attributes. Times are local, without a zone, as Optuna writes `datetime.now()`.
 */
import type { ParamValue } from '../../space/index.js';
import type { Trial, TrialStatus } from '../../trials/index.js';
import type { StudyRecord } from '../storage.js';
import { distributionJson, optunaDistributionOf, toInternal } from './optuna-distributions.js';
import type { OptunaDistribution } from './optuna-distributions.js';
import { pythonJson } from './python-json.js';
import type { PyJsonValue } from './python-json.js';

/** Optuna's `JournalOperation` codes. */
export const JournalOp = {
  CreateStudy: 0,
  DeleteStudy: 1,
  SetStudyUserAttr: 2,
  SetStudySystemAttr: 3,
  CreateTrial: 4,
  SetTrialParam: 5,
  SetTrialStateValues: 6,
  SetTrialIntermediateValue: 7,
  SetTrialUserAttr: 8,
  SetTrialSystemAttr: 9,
} as const;

/** Optuna's `TrialState` values of our statuses. */
export const OPTUNA_STATE: Readonly<Record<TrialStatus, number>> = {
  RUNNING: 0,
  COMPLETED: 1,
  PRUNED: 2,
  FAILED: 3,
  WAITING: 4,
};

/** The system attribute keys hypertuner writes and reads back. */
export const SPACE_ATTR = 'hypertuner:space';
export const STUDY_ATTR = 'hypertuner:study';
export const TRIAL_ATTR = 'hypertuner:trial';
export const METRIC_NAMES_ATTR = 'study:metric_names';

export interface OptunaJournal {
  /** The file's text (JSON lines, each ending in a newline). */
  readonly text: string;
  /** What Optuna cannot hold as hypertuner does (said, not silently changed). */
  readonly notes: readonly string[];
}

/** Study `record` with `trials` as an Optuna journal file (see the file comment). */
export function optunaJournalOf(record: StudyRecord, trials: readonly Trial[]): OptunaJournal {
  const workerId = `hypertuner-export-${record.name}`;
  const lines: string[] = [];
  const log = (op: number, fields: Record<string, PyJsonValue | undefined>): void => {
    lines.push(pythonJson({ op_code: op, worker_id: workerId, ...fields }));
  };
  const notes: string[] = [];
  const distributions = new Map<string, OptunaDistribution>();
  for (const parameter of record.space.parameters) {
    const { distribution, loss } = optunaDistributionOf(parameter);
    distributions.set(parameter.name, distribution);
    if (loss !== undefined) notes.push(loss);
  }

  log(JournalOp.CreateStudy, {
    study_name: record.name,
    directions: record.objectives.map((o) => (o.direction === 'minimize' ? 1 : 2)),
  });
  for (const [key, value] of Object.entries(record.userAttrs)) {
    log(JournalOp.SetStudyUserAttr, { study_id: 0, user_attr: { [key]: value } });
  }
  const systemAttrs: Record<string, PyJsonValue> = {
    [METRIC_NAMES_ATTR]: record.objectives.map((o) => o.name),
    [SPACE_ATTR]: JSON.stringify(record.space.toJSON()),
    [STUDY_ATTR]: { createdAt: record.createdAt },
  };
  for (const [key, value] of Object.entries(systemAttrs)) {
    log(JournalOp.SetStudySystemAttr, { study_id: 0, system_attr: { [key]: value } });
  }

  const sorted = [...trials].sort((a, b) => a.number - b.number);
  if (sorted.some((t, i) => t.number !== i))
    notes.push('trial numbers have gaps; Optuna numbers the trials 0, 1, 2, ... in order');
  let nonIntegerSteps = 0;
  for (const trial of sorted) {
    const params: Record<string, PyJsonValue> = {};
    const dists: Record<string, string> = {};
    for (const [name, value] of Object.entries(trial.params)) {
      const distribution = distributions.get(name);
      const internal = distribution === undefined ? undefined : toInternal(distribution, value);
      if (distribution === undefined || internal === undefined) {
        notes.push(
          `trial ${trial.number}: '${name}' = ${JSON.stringify(value)} has no place in Optuna's distribution; left out`,
        );
        continue;
      }
      params[name] = internal;
      dists[name] = distributionJson(distribution);
    }
    const intermediate: Record<string, PyJsonValue> = {};
    for (const iv of trial.intermediate) {
      if (Number.isInteger(iv.step)) intermediate[String(iv.step)] = iv.value;
      else nonIntegerSteps++;
    }
    const waiting = trial.status === 'WAITING';
    const single = record.objectives.length === 1;
    const values = trial.values?.map((v) => v as PyJsonValue);
    log(JournalOp.CreateTrial, {
      study_id: 0,
      datetime_start: trial.startedAt === undefined ? null : pythonDatetime(trial.startedAt),
      ...(trial.finishedAt === undefined
        ? {}
        : { datetime_complete: pythonDatetime(trial.finishedAt) }),
      state: OPTUNA_STATE[trial.status],
      value: single ? (values?.[0] ?? null) : null,
      values: single || values === undefined ? null : values,
      distributions: waiting ? {} : dists,
      params: waiting ? {} : params,
      user_attrs: trial.userAttrs,
      system_attrs: {
        ...(waiting ? { fixed_params: trial.params as Record<string, ParamValue> } : {}),
        ...(trial.error === undefined ? {} : { fail_reason: trial.error }),
        [TRIAL_ATTR]: trialAttr(trial),
      },
      intermediate_values: intermediate,
    });
  }
  if (nonIntegerSteps > 0)
    notes.push(
      `${nonIntegerSteps} intermediate values at steps that are not whole numbers are left out (Optuna's steps are integers)`,
    );
  return { text: `${lines.join('\n')}\n`, notes: [...new Set(notes)] };
}

/** What of a trial only hypertuner reads (its `hypertuner:trial` system attribute). */
function trialAttr(trial: Trial): Record<string, PyJsonValue> {
  const out: Record<string, PyJsonValue> = { createdAt: trial.createdAt };
  if (Object.keys(trial.metrics).length > 0) out['metrics'] = trial.metrics;
  if (trial.retryOf !== undefined) out['retryOf'] = trial.retryOf;
  if (Object.keys(trial.oracleAttrs).length > 0) out['oracleAttrs'] = trial.oracleAttrs;
  if (trial.intermediate.some((iv) => Object.keys(iv.metrics).length > 0))
    out['intermediateMetrics'] = trial.intermediate.map((iv) => [iv.step, iv.metrics]);
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Python's `datetime.isoformat(timespec="microseconds")` of a naive local time. */
export function pythonDatetime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}

/** The time (ms) of a Python `isoformat` text; naive times are local, as Optuna writes them. */
export function parsePythonDatetime(text: string): number | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  const ms = Math.floor(Number(fraction.padEnd(6, '0')) / 1000);
  if (zone !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${pad(ms, 3)}${zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
    const t = Date.parse(iso);
    return Number.isNaN(t) ? undefined : t;
  }
  const t = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return Number.isNaN(t.getTime()) ? undefined : t.getTime();
}
