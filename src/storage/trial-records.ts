/**
 * Pure helpers shared by the storage adapters: counting, staleness, retry chains and
 * checks on what is written. No I/O here.
 */
import { HypertunerError } from '../space/index.js';
import type { ParamValues } from '../space/index.js';
import type { IntermediateValue, Trial, TrialStatus } from '../trials/index.js';
import { LOST_TRIAL_ERROR, TRIAL_STATUSES, isFinished } from '../trials/index.js';
import type { ReapOptions, TrialResult, TrialTemplate } from './storage.js';
import { StorageErrorCode } from './storage.js';

/** Zero counts for every status. */
export function emptyCounts(): Record<TrialStatus, number> {
  return Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
}

/** The number of the first trial of `trial`'s retry chain. */
export function retryRoot(trial: Trial): number {
  return trial.retryOf ?? trial.number;
}

/** How many retries the chain of `root` already has. */
export function retriesOf(trials: readonly Trial[], root: number): number {
  return trials.filter((t) => t.retryOf === root).length;
}

/** Whether a RUNNING trial counts as abandoned by its worker. */
export function isStale(trial: Trial, options: ReapOptions): boolean {
  if (trial.status !== 'RUNNING') return false;
  if (trial.workerId !== undefined && options.isWorkerAlive !== undefined) {
    const alive = options.isWorkerAlive(trial.workerId);
    if (alive === false) return true;
    if (alive === true) return false;
  }
  const now = options.now ?? Date.now();
  const lastSign = trial.heartbeatAt ?? trial.startedAt ?? trial.createdAt;
  return now - lastSign > options.staleAfterMs;
}

/** How often a reaped trial's configuration has been lost, and whether it runs again. */
export interface LostCount {
  /** Times its worker was lost, this one included (1 + earlier retries). */
  readonly times: number;
  /** Whether a retry is queued (`times` <= `maxRetries`). */
  readonly retried: boolean;
  readonly maxRetries: number;
}

/**
 * The error text a reaped trial gets: it begins with `LOST_TRIAL_ERROR` ("worker lost"), which
 * takes it out of the trial budget (a retry, or a new trial, takes its place).
 */
export function staleErrorText(trial: Trial, now: number, lost: LostCount): string {
  const last = trial.heartbeatAt ?? trial.startedAt ?? trial.createdAt;
  const why = `${trial.workerId ?? 'unknown worker'} stopped (no heartbeat for ${Math.round((now - last) / 1000)} s)`;
  const times = lost.times === 1 ? 'once' : `${lost.times} times`;
  return lost.retried
    ? `${LOST_TRIAL_ERROR}: ${why}; re-queued (retry ${lost.times} of ${lost.maxRetries})`
    : `${LOST_TRIAL_ERROR} ${times}: ${why}; not retried again (maxRetriesPerTrial ${lost.maxRetries}): a new trial takes its place`;
}

/**
 * Checks parameter values before writing them: each must be a finite number, a string or a
 * boolean, which every adapter stores and reads back unchanged (JSON has no Infinity or NaN).
 */
export function validateParams(params: ParamValues): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new HypertunerError(
      StorageErrorCode.InvalidValue,
      `Trial parameters must be an object of parameter values, got ${String(params)}.`,
      { field: 'params' },
    );
  }
  for (const [name, value] of Object.entries(params)) {
    const ok =
      (typeof value === 'number' && Number.isFinite(value)) ||
      typeof value === 'string' ||
      typeof value === 'boolean';
    if (!ok) {
      throw new HypertunerError(
        StorageErrorCode.InvalidValue,
        `Parameter '${name}' has the value ${typeof value === 'number' ? String(value) : typeof value}; a parameter value must be a finite number, a string or a boolean.`,
        { field: name },
      );
    }
  }
}

/** Checks a trial result before writing it. */
export function validateResult(result: TrialResult): void {
  if (result.params !== undefined) validateParams(result.params);
  for (const value of result.values ?? []) {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new HypertunerError(
        StorageErrorCode.InvalidValue,
        `Trial result values must be numbers, got ${String(value)}.`,
        { field: 'values' },
      );
    }
  }
  if (
    result.status === 'COMPLETED' &&
    (result.values === undefined || result.values.length === 0)
  ) {
    throw new HypertunerError(
      StorageErrorCode.InvalidValue,
      'A COMPLETED trial needs its objective values.',
      { field: 'values' },
    );
  }
}

/** Checks an intermediate value before writing it. */
export function validateIntermediate(intermediate: IntermediateValue): void {
  if (!Number.isInteger(intermediate.step) || intermediate.step < 0) {
    throw new HypertunerError(
      StorageErrorCode.InvalidValue,
      `Intermediate step must be an integer >= 0, got ${intermediate.step}.`,
      { field: 'step' },
    );
  }
  if (typeof intermediate.value !== 'number') {
    throw new HypertunerError(
      StorageErrorCode.InvalidValue,
      `Intermediate value must be a number, got ${String(intermediate.value)}.`,
      { field: 'value' },
    );
  }
}

/**
 * Checks a trial given whole (`addTrials`) before writing it: what `finishTrial`,
 * `reportIntermediate` and `enqueueTrial` check, plus its state, times and attributes. Errors
 * name the trial by its place in the list given (`trials[3].values`).
 */
export function validateTemplate(template: TrialTemplate, index: number): void {
  const at = `trials[${index}]`;
  const fail = (field: string, detail: string): never => {
    throw new HypertunerError(StorageErrorCode.InvalidValue, `${at}.${field} ${detail}`, {
      field: `${at}.${field}`,
    });
  };
  if (!TRIAL_STATUSES.includes(template.status))
    fail('status', `must be one of ${TRIAL_STATUSES.join(', ')}, got ${String(template.status)}.`);
  try {
    validateParams(template.params);
    if (isFinished(template.status)) {
      validateResult({
        status: template.status as TrialResult['status'],
        ...(template.values === undefined ? {} : { values: template.values }),
      });
    } else if (template.values !== undefined) {
      fail('values', `must be absent for a ${template.status} trial.`);
    }
    const steps = new Set<number>();
    for (const iv of template.intermediate) {
      validateIntermediate(iv);
      if (steps.has(iv.step)) fail('intermediate', `reports step ${iv.step} twice.`);
      steps.add(iv.step);
    }
  } catch (error) {
    if (!(error instanceof HypertunerError) || error.field?.startsWith(at) === true) throw error;
    throw new HypertunerError(error.code, `${at}: ${error.message}`, {
      field: `${at}.${error.field ?? 'trial'}`,
    });
  }
  if (!isRecord(template.metrics) || !Object.values(template.metrics).every(isNumber))
    fail('metrics', 'must be an object of numbers.');
  for (const field of ['oracleAttrs', 'userAttrs'] as const) {
    if (!isRecord(template[field])) fail(field, 'must be an object.');
  }
  if (!Number.isSafeInteger(template.createdAt))
    fail('createdAt', `must be a time in whole ms, got ${String(template.createdAt)}.`);
  for (const field of ['startedAt', 'finishedAt', 'heartbeatAt'] as const) {
    const time = template[field];
    if (time !== undefined && !Number.isSafeInteger(time))
      fail(field, `must be a time in whole ms or absent, got ${String(time)}.`);
  }
  const { retryOf, workerId, error } = template;
  if (retryOf !== undefined && !(Number.isInteger(retryOf) && retryOf >= 0))
    fail('retryOf', `must be a trial number or absent, got ${String(retryOf)}.`);
  if (workerId !== undefined && typeof workerId !== 'string') fail('workerId', 'must be text.');
  if (error !== undefined && typeof error !== 'string') fail('error', 'must be text.');
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

/** Inserts or replaces `intermediate` in a step-sorted list. */
export function withIntermediate(
  list: readonly IntermediateValue[],
  intermediate: IntermediateValue,
): IntermediateValue[] {
  return [...list.filter((iv) => iv.step !== intermediate.step), intermediate].sort(
    (a, b) => a.step - b.step,
  );
}

/** The "trial N is not running" error. */
export function notRunningError(trial: Trial): HypertunerError {
  return new HypertunerError(
    StorageErrorCode.TrialNotRunning,
    `Trial ${trial.number} is ${trial.status}, not RUNNING; finished trials cannot change.`,
    { field: 'status' },
  );
}

/** The "no study called X" error. */
export function studyNotFoundError(name: string): HypertunerError {
  return new HypertunerError(
    StorageErrorCode.StudyNotFound,
    `No study called '${name}' in this storage.`,
    { field: 'study' },
  );
}

/** Best value of the first objective among COMPLETED trials. */
export function bestFirstValue(
  trials: readonly Trial[],
  direction: 'minimize' | 'maximize',
): number | undefined {
  let best: number | undefined;
  for (const t of trials) {
    const v = t.values?.[0];
    if (t.status !== 'COMPLETED' || v === undefined) continue;
    if (best === undefined || (direction === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}
