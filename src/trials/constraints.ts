/**
 * Constraints: numbers a finished trial is judged by besides its objectives, each ≤ 0 when the
 * trial is feasible (Optuna's convention). A study's `constraints` function computes them when a
 * trial completes; they are kept with the trial as its user attribute `constraints` (a list of
 * numbers), where oracles in any process read them. A trial without them counts as feasible
 * (a study without constraints); the best trials and the Pareto front are chosen among the
 * feasible ones.
 */
import type { Trial } from './trial.js';

/** The user attribute under which a trial's constraint values are kept. */
export const CONSTRAINTS_ATTR = 'constraints';

/** The trial's constraint values, or undefined when it has none (or they are not a list of finite numbers). */
export function constraintValues(trial: Trial): readonly number[] | undefined {
  const raw = trial.userAttrs[CONSTRAINTS_ATTR];
  if (!Array.isArray(raw)) return undefined;
  return raw.every((v) => typeof v === 'number' && Number.isFinite(v))
    ? (raw as readonly number[])
    : undefined;
}

/** The total violation of constraint values: the sum of their positive parts (0 when feasible). */
export function violationOf(values: readonly number[]): number {
  let total = 0;
  for (const v of values) if (v > 0) total += v;
  return total;
}

/**
 * The trial's total constraint violation: 0 when feasible or without constraints; `Infinity`
 * when `constrained` (the study has constraints) and the trial has no values for them.
 */
export function trialViolation(trial: Trial, constrained = false): number {
  const values = constraintValues(trial);
  if (values === undefined) return constrained ? Infinity : 0;
  return violationOf(values);
}

/** Whether every constraint value of the trial is ≤ 0 (true for a trial without constraints). */
export function isFeasible(trial: Trial): boolean {
  return trialViolation(trial) === 0;
}

/** Whether any trial carries constraint values (the study has constraints). */
export function hasConstraints(trials: readonly Trial[]): boolean {
  return trials.some((t) => constraintValues(t) !== undefined);
}
