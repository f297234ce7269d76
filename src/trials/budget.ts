/**
 * What counts towards a study's trial budget: every trial except FAILED ones that a later
 * retry replaces (a worker was lost and the trial was queued again).
 */
import type { Trial } from './trial.js';

/** Whether a later trial retries `trial`. */
export function isSuperseded(trial: Trial, trials: readonly Trial[]): boolean {
  if (trial.status !== 'FAILED') return false;
  const root = trial.retryOf ?? trial.number;
  return trials.some((t) => t.retryOf === root && t.number > trial.number);
}

/** Trials that use up the budget (`maxTrials`). */
export function budgetUsed(trials: readonly Trial[]): number {
  return trials.filter((t) => !isSuperseded(t, trials)).length;
}
