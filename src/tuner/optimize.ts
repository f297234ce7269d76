/**
 * The search loop: ask, run, tell, until the budget, the time, the space or the caller says stop.
 */
import type { OracleDescription } from '../oracles/index.js';
import { pruningMultiObjectiveError } from '../pruners/index.js';
import { HypertunerError } from '../space/index.js';
import type { Trial } from '../trials/index.js';
import { budgetDone, rankTrials } from '../trials/index.js';
import { plural } from '../plural.js';
import { tooManyFailuresError } from './errors.js';
import type { ObjectiveFunction, RunTrialOptions } from './run-trial.js';
import { countsAsFailure, runTrial, wasAbandoned } from './run-trial.js';
import type { SearchTarget } from './running-trial.js';
import type { VerboseLevel } from './verbose.js';
import { mergeSearchCallbacks, verboseSearchCallbacks } from './verbose.js';

export interface OptimizeOptions extends RunTrialOptions {
  /** The study's total number of trials (Keras Tuner's max_trials; counts earlier runs too). */
  readonly maxTrials?: number;
  /** Trials to run in this call (Optuna's n_trials). */
  readonly nTrials?: number;
  /** Start no new trial after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Stop after this many FAILED trials in a row (default 3, as Keras Tuner). */
  readonly maxConsecutiveFailedTrials?: number;
  /** How long to sleep when the oracle says wait (default 200 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Give up after waiting this long in a row for other workers' trials (the oracle said wait,
   * or the budget is reached while trials run elsewhere). Default: twice the study's
   * `staleAfterMs`, after which a lost worker's trial has been re-queued.
   */
  readonly maxWaitMs?: number;
  /**
   * Aborted: start no new trial; the running trial finishes (a first Ctrl+C). `signal` stops
   * the running trial too.
   */
  readonly stopSignal?: AbortSignal;
  /**
   * Progress on stderr: 0 nothing (default), 1 a line per trial (i/N, duration, value, best,
   * elapsed time, ETA) and the resume of a study, 2 also each trial's start and reports.
   */
  readonly verbose?: VerboseLevel;
}

export interface OptimizeResult {
  /** Why the loop ended. */
  readonly reason: string;
  /** Trials this call ran. */
  readonly trialsRun: number;
  /** The best trial of the study so far (single objective). */
  readonly best: Trial | undefined;
}

function positiveInteger(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `${field} must be a whole number >= 1, got ${value}.`,
      { field },
    );
  }
}

/** Runs the search loop on `study` (a `Study`) with `objective`. */
export async function optimize(
  study: SearchTarget,
  objective: ObjectiveFunction,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  positiveInteger(options.maxTrials, 'maxTrials');
  positiveInteger(options.nTrials, 'nTrials');
  positiveInteger(options.executionsPerTrial, 'executionsPerTrial');
  positiveInteger(options.maxConsecutiveFailedTrials, 'maxConsecutiveFailedTrials');
  if (options.pruner !== undefined && study.objectives.length > 1) {
    throw pruningMultiObjectiveError(study.objectives.length, options.pruner.name);
  }
  if (
    options.trialTimeoutMs !== undefined &&
    !(Number.isFinite(options.trialTimeoutMs) && options.trialTimeoutMs > 0)
  ) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `trialTimeoutMs must be a number of milliseconds > 0, got ${options.trialTimeoutMs}.`,
      { field: 'trialTimeoutMs' },
    );
  }
  if (options.verbose !== undefined && ![0, 1, 2].includes(options.verbose)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `verbose must be 0 (silent), 1 (a line per trial) or 2 (also starts and reports), got ${JSON.stringify(options.verbose)}.`,
      { field: 'verbose' },
    );
  }
  if (
    options.maxRetriesPerTrial !== undefined &&
    (!Number.isInteger(options.maxRetriesPerTrial) || options.maxRetriesPerTrial < 0)
  ) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `maxRetriesPerTrial must be a whole number >= 0, got ${options.maxRetriesPerTrial}.`,
      { field: 'maxRetriesPerTrial' },
    );
  }
  const started = Date.now();
  const maxFailures = options.maxConsecutiveFailedTrials ?? 3;
  const callbacks =
    (options.verbose ?? 0) > 0
      ? mergeSearchCallbacks([
          verboseSearchCallbacks(options.verbose ?? 0),
          options.callbacks ?? {},
        ])
      : (options.callbacks ?? {});
  const runOptions = { ...options, callbacks };
  const atStart = await study.trials();
  callbacks.onSearchStart?.({
    studyName: study.name,
    objectives: study.objectives,
    budget: options.maxTrials,
    nTrials: options.nTrials,
    timeoutMs: options.timeoutMs,
    alreadyDone: budgetDone(atStart),
    running: atStart.filter((t) => t.status === 'RUNNING').length,
  });
  let trialsRun = 0;
  let consecutiveFailures = 0;
  let reason = '';
  let waitingSince: number | undefined;
  let shownChoice: OracleDescription | undefined;
  let best: Trial | undefined = rankTrials(atStart, study.objectives)[0];
  for (;;) {
    if (options.signal?.aborted === true) {
      reason = 'stopped by the caller';
      break;
    }
    if (options.stopSignal?.aborted === true) {
      reason = 'asked to stop (no new trial started)';
      break;
    }
    if (options.nTrials !== undefined && trialsRun >= options.nTrials) {
      reason = `ran ${plural(options.nTrials, 'trial')} (nTrials)`;
      break;
    }
    if (options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs) {
      reason = `time limit of ${options.timeoutMs} ms reached (timeoutMs)`;
      break;
    }
    const next = await study.ask(
      options.maxTrials === undefined ? {} : { maxTrials: options.maxTrials },
    );
    if (next.kind === 'wait') {
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince > (options.maxWaitMs ?? 2 * study.staleAfterMs)) {
        reason = `gave up ${next.reason}`;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 200));
      continue;
    }
    waitingSince = undefined;
    if (next.kind !== 'trial') {
      reason = next.reason;
      break;
    }
    const choice = study.oracleChoice;
    if (
      choice !== undefined &&
      (choice.oracle !== shownChoice?.oracle || choice.reason !== shownChoice?.reason)
    ) {
      shownChoice = choice;
      callbacks.onOracleChoice?.(choice);
    }
    const finished = await runTrial(study, next.trial, objective, runOptions);
    trialsRun++;
    const trials = await study.trials();
    const ranked = rankTrials(trials, study.objectives);
    best = ranked[0];
    const info = {
      done: budgetDone(trials),
      paretoFront: study.objectives.length > 1 ? ranked.length : undefined,
      abandoned: wasAbandoned(next.trial),
    };
    callbacks.onTrialEnd?.(finished, best, info);
    if (finished.status === 'FAILED' && countsAsFailure(next.trial)) {
      consecutiveFailures++;
      if (consecutiveFailures >= maxFailures) {
        callbacks.onSearchEnd?.({ reason: 'too many failed trials', trialsRun });
        throw tooManyFailuresError(consecutiveFailures, finished.error ?? '');
      }
    } else if (finished.status !== 'FAILED') {
      consecutiveFailures = 0;
    }
  }
  callbacks.onSearchEnd?.({ reason, trialsRun });
  return { reason, trialsRun, best };
}
