/**
 * Runs one started trial: calls the objective with the trial's handle (several executions
 * averaged, retries on unexpected errors), keeps a heartbeat, and tells the result.
 * Errors from user code end as a FAILED trial with the error text; only `FatalError`, and a
 * search-space mistake in a declaration (`SPACE_...`, which every trial would repeat), escape.
 */
import type { Pruner } from '../pruners/index.js';
import { isHypertunerError } from '../space/index.js';
import { StorageErrorCode } from '../storage/index.js';
import type { Trial } from '../trials/index.js';
import type { SearchCallbacks } from './callbacks.js';
import { FailedTrialError, FatalError, TrialPrunedError, errorText } from './errors.js';
import type { RunningTrial, SearchTarget, TellResult } from './running-trial.js';

/** What an objective may return: a value, one value per objective, or metrics that contain them. */
export type ObjectiveResult = number | readonly number[] | Readonly<Record<string, number>>;

/** The function being tuned: it gets the trial's handle (`{ hp, report, seed, signal, ... }`). */
export type ObjectiveFunction = (trial: RunningTrial) => Promise<ObjectiveResult> | ObjectiveResult;

export interface RunTrialOptions {
  /** Runs of the objective per trial, averaged (Keras Tuner's executions_per_trial). Default 1. */
  readonly executionsPerTrial?: number;
  /** Re-runs after an unexpected error before the trial is FAILED. Default 0. */
  readonly maxRetriesPerTrial?: number;
  /** How often a running trial says it is alive. Default: a fifth of the study's staleAfterMs. */
  readonly heartbeatIntervalMs?: number;
  readonly pruner?: Pruner;
  readonly callbacks?: SearchCallbacks;
  /**
   * Aborted when the search must stop at once: the running trial's signal (`trial.signal`) is
   * aborted too.
   */
  readonly signal?: AbortSignal;
  /**
   * Time limit of one run of a trial (all its executions), in milliseconds. When it is up, the
   * trial's `signal` is aborted (a `TimeoutError`) and the trial FAILED "timed out after N s"
   * (retried only with `maxRetriesPerTrial`); the search goes on. An objective that ignores the
   * signal is left running in the background (the CLI replaces such a worker process).
   */
  readonly trialTimeoutMs?: number;
}

/** How long a timed-out objective gets to settle after its signal is aborted (at most). */
const TIMEOUT_GRACE_MS = 500;

/** Averages the results of several executions (key by key for metrics records). */
export function averageResults(results: readonly ObjectiveResult[]): ObjectiveResult {
  const first = results[0];
  if (results.length === 1 || first === undefined) return first as ObjectiveResult;
  if (typeof first === 'number')
    return (results as number[]).reduce((a, b) => a + b, 0) / results.length;
  if (Array.isArray(first)) {
    return first.map(
      (_, i) => (results as number[][]).reduce((a, r) => a + (r[i] ?? NaN), 0) / results.length,
    );
  }
  const keys = Object.keys(first);
  return Object.fromEntries(
    keys.map((k) => [
      k,
      (results as Record<string, number>[]).reduce((a, r) => a + (r[k] ?? NaN), 0) / results.length,
    ]),
  );
}

export async function runTrial(
  study: SearchTarget,
  trial: RunningTrial,
  objective: ObjectiveFunction,
  options: RunTrialOptions = {},
): Promise<Trial> {
  const executions = options.executionsPerTrial ?? 1;
  const maxRetries = options.maxRetriesPerTrial ?? 0;
  const callbacks = options.callbacks ?? {};
  trial.configure({ pruner: options.pruner });
  const heartbeatMs =
    options.heartbeatIntervalMs ?? Math.max(100, Math.floor(study.staleAfterMs / 5));
  const heartbeat = setInterval(() => {
    trial.heartbeat().catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  try {
    try {
      callbacks.onTrialStart?.(trial.record);
    } catch (error) {
      // a callback is user code too: its error fails the trial, which never stays RUNNING
      const failed = await finish(study, trial, failedResult(error, 'onTrialStart callback'));
      if (error instanceof FatalError) throw error;
      return failed;
    }
    let lastError = '';
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) trial.restart();
      const control = new AbortController();
      const stopNow = (): void => control.abort(options.signal?.reason);
      if (options.signal?.aborted === true) stopNow();
      options.signal?.addEventListener('abort', stopNow, { once: true });
      trial.configure({
        signal: control.signal,
        onReport: callbacks.onTrialReport?.bind(callbacks),
      });
      const run = (async (): Promise<ObjectiveResult[]> => {
        const results: ObjectiveResult[] = [];
        for (let execution = 0; execution < executions; execution++) {
          trial.beginExecution(execution);
          results.push(await objective(trial));
        }
        return results;
      })();
      const outcome = await settleWithin(run, options.trialTimeoutMs);
      options.signal?.removeEventListener('abort', stopNow);
      if (outcome.kind === 'timeout') {
        const seconds = formatSeconds(options.trialTimeoutMs ?? 0);
        control.abort(new DOMException(`timed out after ${seconds} s`, 'TimeoutError'));
        const grace = Math.min(TIMEOUT_GRACE_MS, options.trialTimeoutMs ?? TIMEOUT_GRACE_MS);
        const settled = (await settleWithin(run, grace)).kind !== 'timeout';
        if (!settled) {
          abandoned.add(trial);
          trial.configure({ onReport: undefined }); // its late reports are no one's progress
        }
        lastError = `timed out after ${seconds} s${settled ? '' : '; the objective ignored its abort signal and still runs'}`;
        continue;
      }
      if (outcome.kind === 'error') {
        const { error } = outcome;
        if (error instanceof TrialPrunedError)
          return await finish(study, trial, { status: 'PRUNED' });
        lastError = errorText(error);
        if (error instanceof FatalError || isSpaceError(error)) {
          // a mistake in a declaration is the same in every trial: stop at once, with its code
          await finish(study, trial, { status: 'FAILED', error: lastError });
          throw error;
        }
        if (error instanceof FailedTrialError) {
          if (!error.countsAsFailure) notCounted.add(trial);
          break;
        }
        continue;
      }
      return await finish(study, trial, averageResults(outcome.value));
    }
    return await finish(study, trial, { status: 'FAILED', error: lastError });
  } finally {
    clearInterval(heartbeat);
  }
}

/** How a run ended within a time limit. */
type Settled<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' };

/**
 * Waits for `promise` at most `ms` milliseconds (forever when undefined). The timer keeps the
 * process alive, so an objective whose promise can never settle still ends by its time limit.
 */
async function settleWithin<T>(promise: Promise<T>, ms: number | undefined): Promise<Settled<T>> {
  const settled = promise.then(
    (value): Settled<T> => ({ kind: 'value', value }),
    (error: unknown): Settled<T> => ({ kind: 'error', error }),
  );
  if (ms === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `2`, `0.5`, `90` (seconds of a time limit given in milliseconds). */
function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Trials whose timed-out objective was still running when they ended (it ignored its signal). */
const abandoned = new WeakSet<RunningTrial>();

/**
 * Whether `trial` timed out and its objective was still running a second after its signal was
 * aborted: it ignores the signal, and its work goes on in the background.
 */
export function wasAbandoned(trial: RunningTrial): boolean {
  return abandoned.has(trial);
}

/** Trials failed by a `FailedTrialError` that does not count toward maxConsecutiveFailedTrials. */
const notCounted = new WeakSet<RunningTrial>();

/**
 * Whether a FAILED trial counts toward `maxConsecutiveFailedTrials` (not when it failed with
 * `new FailedTrialError(message, { countsAsFailure: false })`, e.g. a model over `maxModelSize`).
 */
export function countsAsFailure(trial: RunningTrial): boolean {
  return !notCounted.has(trial);
}

function failedResult(error: unknown, source: string): { status: 'FAILED'; error: string } {
  return { status: 'FAILED', error: `${source} threw: ${errorText(error)}` };
}

function isFailed(outcome: TellResult): boolean {
  return (
    typeof outcome === 'object' &&
    !Array.isArray(outcome) &&
    (outcome as { status?: unknown }).status === 'FAILED'
  );
}

/** A search-space mistake (`SPACE_...`) thrown by a declaration. */
function isSpaceError(error: unknown): boolean {
  return isHypertunerError(error) && error.code.startsWith('SPACE_');
}

/** The study refused the result itself (its status or values), not the storage its writing. */
function isResultError(error: unknown): boolean {
  return (
    isHypertunerError(error, 'TELL_INVALID_STATUS') ||
    isHypertunerError(error, StorageErrorCode.InvalidValue)
  );
}

async function finish(
  study: SearchTarget,
  trial: RunningTrial,
  result: TellResult,
): Promise<Trial> {
  try {
    return await study.tell(trial, result);
  } catch (error) {
    // another worker took this trial as lost meanwhile; its verdict stands
    if (isHypertunerError(error, 'TRIAL_NOT_RUNNING')) return trial.stored();
    // a result the study cannot take (e.g. a `status` string that is not a status): FAILED;
    // any other error (the storage unreachable) is rethrown: the result is not the trial's fault
    if (isFailed(result) || !isResultError(error)) throw error;
    const failed = failedResult(error, 'Recording the result');
    try {
      return await study.tell(trial, failed);
    } catch (again) {
      // the parameters it declared are what the storage refused: keep the proposed ones
      if (!isResultError(again)) throw again;
      return study.tell(trial.record, failed);
    }
  }
}
