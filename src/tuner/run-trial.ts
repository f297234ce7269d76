/**
 * Runs one started trial: builds its hyperparameters, calls the objective (several
 * executions averaged, retries on unexpected errors), keeps a heartbeat, and tells the result.
 * Errors from user code end as a FAILED trial with the error text; only `FatalError` escapes.
 */
import { Random, deriveSeed } from '../math/random.js';
import type { Pruner } from '../pruners/index.js';
import { HyperParameters, decode } from '../space/index.js';
import type { Trial } from '../trials/index.js';
import type { SearchCallbacks } from './callbacks.js';
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
  callbacks.onTrialStart?.(trial);
  let hp = newHyperParameters(study, trial);
  try {
    let lastError = '';
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      hp = newHyperParameters(study, trial);
      try {
        const results: ObjectiveResult[] = [];
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
        await study.mergeSpace(hp.space);
        return await finish(study, trial, averageResults(results), hp);
      } catch (error) {
        if (error instanceof TrialPrunedError) {
          await study.mergeSpace(hp.space);
          return await finish(study, trial, { status: 'PRUNED' }, hp);
        }
        lastError = errorText(error);
        if (error instanceof FatalError) {
          await finish(study, trial, { status: 'FAILED', error: lastError }, hp);
          throw error;
        }
        if (error instanceof FailedTrialError) break;
      }
    }
    await study.mergeSpace(hp.space);
    return await finish(study, trial, { status: 'FAILED', error: lastError }, hp);
  } finally {
    clearInterval(heartbeat);
  }
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
  result:
    | ObjectiveResult
    | { readonly status: 'FAILED'; readonly error: string }
    | { readonly status: 'PRUNED' },
  hp: HyperParameters,
): Promise<Trial> {
  const declared = hp.values;
  const params = Object.keys(declared).length > 0 ? { ...trial.params, ...declared } : trial.params;
  try {
    return await study.tell(trial, result, { params: study.space.pruneInactive(params) });
  } catch (error) {
    if ((error as { code?: string }).code === 'TRIAL_NOT_RUNNING') {
      // another worker took this trial as lost meanwhile; its verdict stands
      return (await study.storage.getTrial(trial.id)) ?? trial;
    }
    throw error;
  }
}
