/**
 * A study's constraints (`Study.open({ constraints })`): a function of a completed trial that
 * returns numbers, each ≤ 0 when the trial is feasible (Optuna's `constraints_func`). It runs
 * when a trial completes, before the trial is stored as COMPLETED, and its values are kept
 * as the trial's `constraints` attribute (see src/trials/constraints.ts), where every oracle in
 * every process reads them. A function that throws, or returns anything but a list of finite
 * numbers, fails the trial with a line saying so: it is user code.
 */
import { HypertunerError } from '../space/index.js';
import type { Trial } from '../trials/index.js';
import { errorText } from './errors.js';

/** What `constraints` is: the trial (COMPLETED, with its values and metrics) to its constraint values. */
export type ConstraintsFunction = (trial: Trial) => readonly number[];

/** Throws `OPTIONS_INVALID` unless `constraints` is a function (or absent). */
export function checkConstraintsOption(constraints: unknown): void {
  if (constraints !== undefined && typeof constraints !== 'function') {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `constraints must be a function (trial) => number[] (each value <= 0 when feasible), got ${typeof constraints}.`,
      { field: 'constraints' },
    );
  }
}

/** The constraint values of `trial`, or the text a FAILED trial keeps when they cannot be had. */
export function evaluateConstraints(
  constraints: ConstraintsFunction,
  trial: Trial,
): { readonly values: readonly number[] } | { readonly error: string } {
  let values: unknown;
  try {
    values = constraints(trial);
  } catch (error) {
    return { error: `The constraints function threw: ${errorText(error)}` };
  }
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const shown = Array.isArray(values) ? `[${values.map(String).join(', ')}]` : String(values);
    return {
      error: `The constraints function must return a list of finite numbers (each <= 0 when feasible); it returned ${shown}.`,
    };
  }
  return { values: [...(values as number[])] };
}
