/**
 * Runs one started trial: builds its hyperparameters, calls the objective (several
 * executions averaged, retries on unexpected errors), keeps a heartbeat, and tells the result.
 * Errors from user code end as a FAILED trial with the error text; only `FatalError` escapes.
 */
import { Random, deriveSeed } from '../math/random.js';
import type { Pruner } from '../pruners/index.js';
import type { SearchSpace } from '../space/index.js';
import { HyperParameters, HypertunerError, decode } from '../space/index.js';
import { StorageErrorCode } from '../storage/index.js';
import type { Trial } from '../trials/index.js';
import type { SearchCallbacks } from './callbacks.js';
import { invalidProposedValue } from './enqueued-params.js';
import { FailedTrialError, FatalError, TrialPrunedError, errorText } from './errors.js';
import type { Study } from './study.js';
import type { TrialContext } from './trial-context.js';
import { makeTrialContext } from './trial-context.js';

/** What an objective may return: a value, one value per objective, or metrics that contain them. */
export type ObjectiveResult = number | readonly number[] | Readonly<Record<string, number>>;

/** The function being tuned. */
export type ObjectiveFunction = (trial: TrialContext) => Promise<ObjectiveResult> | ObjectiveResult;

export interface RunTrialOptions {
  /** Runs of the objective per trial, averaged (Keras Tuner's executions_per_trial). Default 1. */
  readonly executionsPerTrial?: number;
  /** Re-runs after an unexpected error before the trial is FAILED. Default 0. */
  readonly maxRetriesPerTrial?: number;
  /** How often a running trial says it is alive. Default: a fifth of the study's staleAfterMs. */
  readonly heartbeatIntervalMs?: number;
  readonly pruner?: Pruner;
  readonly callbacks?: SearchCallbacks;
  readonly signal?: AbortSignal;
}

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
  study: Study,
  trial: Trial,
  objective: ObjectiveFunction,
  options: RunTrialOptions = {},
): Promise<Trial> {
  const executions = options.executionsPerTrial ?? 1;
  const maxRetries = options.maxRetriesPerTrial ?? 0;
  const callbacks = options.callbacks ?? {};
  const signal = options.signal ?? new AbortController().signal;
  const heartbeatMs =
    options.heartbeatIntervalMs ?? Math.max(100, Math.floor(study.staleAfterMs / 5));
  const heartbeat = setInterval(() => {
    study.storage.heartbeat(trial.id).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  let knownAtStart = study.space;
  let hp = newHyperParameters(study, trial);
  try {
    try {
      callbacks.onTrialStart?.(trial);
    } catch (error) {
      // a callback is user code too: its error fails the trial, which never stays RUNNING
      const failed = await finish(study, trial, failedResult(error, 'onTrialStart callback'), hp);
      if (error instanceof FatalError) throw error;
      return failed;
    }
    let lastError = '';
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      knownAtStart = study.space;
      hp = newHyperParameters(study, trial);
      let results: ObjectiveResult[];
      try {
        results = [];
        for (let execution = 0; execution < executions; execution++) {
          const seed = deriveSeed(study.seed, trial.number, execution);
          const context = makeTrialContext({
            study,
            trial,
            hp,
            execution,
            seed,
            signal,
            pruner: options.pruner,
            callbacks,
          });
          results.push(await objective(context));
        }
      } catch (error) {
        if (error instanceof TrialPrunedError) {
          return await finishDeclared(study, trial, { status: 'PRUNED' }, hp, knownAtStart);
        }
        lastError = errorText(error);
        if (error instanceof FatalError) {
          await finish(study, trial, { status: 'FAILED', error: lastError }, hp);
          throw error;
        }
        if (error instanceof FailedTrialError) break;
        continue;
      }
      return await finishDeclared(study, trial, averageResults(results), hp, knownAtStart);
    }
    return await finishDeclared(
      study,
      trial,
      { status: 'FAILED', error: lastError },
      hp,
      knownAtStart,
    );
  } finally {
    clearInterval(heartbeat);
  }
}

type TrialOutcome =
  | ObjectiveResult
  | { readonly status: 'FAILED'; readonly error: string }
  | { readonly status: 'PRUNED' };

function failedResult(error: unknown, source: string): { status: 'FAILED'; error: string } {
  return { status: 'FAILED', error: `${source} threw: ${errorText(error)}` };
}

function isFailed(outcome: TrialOutcome): outcome is { status: 'FAILED'; error: string } {
  return (
    typeof outcome === 'object' &&
    !Array.isArray(outcome) &&
    (outcome as { status?: unknown }).status === 'FAILED'
  );
}

/**
 * Adds the parameters the run declared to the study's space, then finishes the trial. A value
 * the run took from a user's queue that does not fit the declaration, or a declaration that
 * conflicts with the space another worker stored meanwhile, fails the trial with that text.
 */
async function finishDeclared(
  study: Study,
  trial: Trial,
  outcome: TrialOutcome,
  hp: HyperParameters,
  knownAtStart: SearchSpace,
): Promise<Trial> {
  let problem = invalidProposedValue(knownAtStart, hp.space, trial.params);
  if (problem === undefined) {
    try {
      await study.mergeSpace(hp.space);
    } catch (error) {
      // a declaration that conflicts with the stored space fails the trial; a storage that
      // cannot be reached is no verdict on it: rethrown, the trial stays RUNNING to be re-run
      if (!isSpaceError(error)) throw error;
      problem = `The parameters this trial declared could not be added to the study's search space: ${errorText(error)}`;
    }
  }
  if (problem === undefined) return finish(study, trial, outcome, hp);
  const error = isFailed(outcome) ? `${outcome.error}\n${problem}` : problem;
  return finish(study, trial, { status: 'FAILED', error }, hp);
}

/** A search-space conflict (`SPACE_...`), as opposed to a storage that cannot be reached. */
function isSpaceError(error: unknown): boolean {
  return error instanceof HypertunerError && error.code.startsWith('SPACE_');
}

/** The study refused the result itself (its status or values), not the storage its writing. */
function isResultError(error: unknown): boolean {
  return (
    error instanceof HypertunerError &&
    (error.code === 'TELL_INVALID_STATUS' || error.code === StorageErrorCode.InvalidValue)
  );
}

function newHyperParameters(study: Study, trial: Trial): HyperParameters {
  // A retry of a lost trial draws what its proposal lacks as the lost run did: same configuration.
  const random = new Random(deriveSeed(study.seed, trial.retryOf ?? trial.number, 0x5eed));
  return new HyperParameters({
    space: study.space,
    values: trial.params,
    onMissing: (parameter) => decode(parameter, random.next()),
  });
}

async function finish(
  study: Study,
  trial: Trial,
  result: TrialOutcome,
  hp: HyperParameters,
): Promise<Trial> {
  const declared = hp.values;
  const params = Object.keys(declared).length > 0 ? { ...trial.params, ...declared } : trial.params;
  const finalParams = study.space.pruneInactive(params);
  try {
    return await study.tell(trial, result, { params: finalParams });
  } catch (error) {
    if ((error as { code?: string }).code === 'TRIAL_NOT_RUNNING') {
      // another worker took this trial as lost meanwhile; its verdict stands
      return (await study.storage.getTrial(trial.id)) ?? trial;
    }
    // a result the study cannot take (e.g. a `status` string that is not a status): FAILED;
    // any other error (the storage unreachable) is rethrown: the result is not the trial's fault
    if (isFailed(result) || !isResultError(error)) throw error;
    const failed = failedResult(error, 'Recording the result');
    try {
      return await study.tell(trial, failed, { params: finalParams });
    } catch (again) {
      // the parameters it declared are what the storage refused: keep the proposed ones
      if (!isResultError(again)) throw again;
      return study.tell(trial, failed);
    }
  }
}
