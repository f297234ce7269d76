/**
 * Trials: one evaluation of the objective. Readonly data; storage creates and changes them.
 */
import type { ParamValues } from '../space/index.js';

/** The states of a trial. WAITING: queued (a retry, or enqueued by a user), not started yet. */
export const TrialStatus = {
  Waiting: 'WAITING',
  Running: 'RUNNING',
  Completed: 'COMPLETED',
  Pruned: 'PRUNED',
  Failed: 'FAILED',
} as const;
export type TrialStatus = (typeof TrialStatus)[keyof typeof TrialStatus];
export const TRIAL_STATUSES: readonly TrialStatus[] = Object.values(TrialStatus);

/** Finished trials never change again. */
export function isFinished(status: TrialStatus): boolean {
  return status === 'COMPLETED' || status === 'PRUNED' || status === 'FAILED';
}

/** A value reported while the trial runs (e.g. after each epoch). */
export interface IntermediateValue {
  readonly step: number;
  /** The (first) objective's value at this step. */
  readonly value: number;
  /** All metrics at this step, e.g. `{loss, val_loss, val_accuracy}`. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** A JSON value kept with a trial or study. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A trial as stored. */
export interface Trial {
  /** Storage-wide id. */
  readonly id: number;
  /** Dense number within the study: 0, 1, 2, ... */
  readonly number: number;
  readonly status: TrialStatus;
  /** Values of the active parameters. */
  readonly params: ParamValues;
  /** One value per objective, for COMPLETED (and PRUNED: the last reported) trials. */
  readonly values: readonly number[] | undefined;
  /** Final metrics (averaged over executions). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly intermediate: readonly IntermediateValue[];
  /** Error text of a FAILED trial. */
  readonly error: string | undefined;
  readonly createdAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  /** Last sign of life from the worker running it. */
  readonly heartbeatAt: number | undefined;
  /** `host:pid:random` of the process running it. */
  readonly workerId: string | undefined;
  /** The number of the trial this one retries, if any. */
  readonly retryOf: number | undefined;
  /** Data the oracle attached (e.g. Hyperband bracket and round). */
  readonly oracleAttrs: Readonly<Record<string, JsonValue>>;
  /** Data the user or the tfjs layer attached (e.g. checkpoint path, best epoch). */
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
}

/** Duration in milliseconds of a started trial (up to `now` while it runs). */
export function trialDurationMs(trial: Trial, now: number = Date.now()): number | undefined {
  if (trial.startedAt === undefined) return undefined;
  return (trial.finishedAt ?? now) - trial.startedAt;
}
