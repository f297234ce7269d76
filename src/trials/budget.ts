/**
 * What counts towards a study's trial budget (`maxTrials`): every trial except those a lost
 * worker left behind (a retry runs the same configuration again; a configuration whose worker
 * was lost more than `maxRetriesPerTrial` times is given up, and a new trial takes its place),
 * and trials a user queued that have not started yet (they count once they start, as in
 * Optuna's `n_trials`).
 */
import type { Trial } from './trial.js';

/** How the error text of a trial failed because its worker was lost begins (storage writes it). */
export const LOST_TRIAL_ERROR = 'worker lost';

/** Whether `trial` FAILED because its worker was lost (killed, or no heartbeat). */
export function isLostTrial(trial: Trial): boolean {
  return trial.status === 'FAILED' && trial.error?.startsWith(LOST_TRIAL_ERROR) === true;
}

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

/** Whether `trial` uses up one trial of the budget (`maxTrials`). */
function counts(trial: Trial, trials: readonly Trial[]): boolean {
  return !isQueuedByUser(trial) && !isLostTrial(trial) && !isSuperseded(trial, trials);
}

/** Trials that use up the budget (`maxTrials`): finished, running or a queued retry. */
export function budgetUsed(trials: readonly Trial[]): number {
  return trials.filter((t) => counts(t, trials)).length;
}

/** Finished trials of the budget (COMPLETED, PRUNED, FAILED other than lost): what progress counts. */
export function budgetDone(trials: readonly Trial[]): number {
  return trials.filter(
    (t) =>
      (t.status === 'COMPLETED' || t.status === 'PRUNED' || t.status === 'FAILED') &&
      counts(t, trials),
  ).length;
}
