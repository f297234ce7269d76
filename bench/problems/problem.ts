/**
 * The shape of a benchmark problem, for the built-in ones and for `--problem-file` modules.
 *
 * A problem file is an ES module (JavaScript, or TypeScript when run through tsx) whose
 * default export is one problem or an array of them:
 *
 * ```ts
 * import type { BenchmarkProblem } from 'hypertuner/bench/problems/problem.js'; // or your own copy
 * export default [{
 *   name: 'sphere2',
 *   space: (hp) => { hp.Float('x', { min: -1, max: 1 }); hp.Float('y', { min: -1, max: 1 }); },
 *   evaluate: (p) => (p.x as number) ** 2 + (p.y as number) ** 2,
 *   minimum: 0,
 * }];
 * ```
 */
import type { HyperParameters, ParamValues, SearchSpace } from '../../src/space/index.js';

export interface BenchmarkProblem {
  /** A unique name, used by `--problems` and in the output. */
  readonly name: string;
  /**
   * The search space: a define-by-run function that declares parameters with `hp` calls
   * (run once per trial, as a model builder would be), or a ready `SearchSpace`.
   */
  readonly space: ((hp: HyperParameters) => void) | SearchSpace;
  /**
   * The value to minimise, from the values of the trial's active parameters; with
   * `objectives` > 1, one value per objective (all minimised).
   */
  readonly evaluate: (params: ParamValues) => number | readonly number[];
  /**
   * The known minimum of `evaluate`: regret is (best found) − minimum. For several objectives,
   * minus the hypervolume of the true Pareto front against `referencePoint` (a run's "best" is
   * minus its hypervolume, so regret is the hypervolume still missing).
   */
  readonly minimum: number;
  /** Number of objectives (default 1). */
  readonly objectives?: number;
  /** Several objectives: the point the hypervolume is measured against (one value per objective). */
  readonly referencePoint?: readonly number[];
  /**
   * Constraints: values that are each ≤ 0 when the parameters are feasible. A run's best is
   * then the best feasible value (none until a feasible trial).
   */
  readonly constraints?: (params: ParamValues) => readonly number[];
  /** Points where `evaluate` reaches `minimum` (several objectives: points of the Pareto front), when known (used by tests). */
  readonly minimizers?: readonly ParamValues[];
}

/** A problem with one objective: `evaluate` returns one number. */
export type SingleObjectiveProblem = BenchmarkProblem & {
  readonly evaluate: (params: ParamValues) => number;
};
