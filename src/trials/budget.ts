/**
 * What counts towards a study's trial budget (`maxTrials`): every trial except FAILED ones that
 * a later retry replaces (a worker was lost and the trial was queued again), and trials a user
 * queued that have not started yet (they count once they start, as in Optuna's `n_trials`).
 */
import type { Trial } from './trial.js';

/** Whether a later trial retries `trial`. */
export function isSuperseded(trial: Trial, trials: readonly Trial[]): boolean {
  if (trial.status !== 'FAILED') return false;
  const root = trial.retryOf ?? trial.number;
  return trials.some((t) => t.retryOf === root && t.number > trial.number);
}

/** Whether `trial` is queued by a user and not started yet (a queued retry is not). */
export function isQueuedByUser(trial: Trial): boolean {
  return trial.status === 'WAITING' && trial.retryOf === undefined;
}

/** Trials that use up the budget (`maxTrials`). */
export function budgetUsed(trials: readonly Trial[]): number {
  return trials.filter((t) => !isQueuedByUser(t) && !isSuperseded(t, trials)).length;
}
