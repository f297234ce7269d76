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
  /** The value to minimise, from the values of the trial's active parameters. */
  readonly evaluate: (params: ParamValues) => number;
  /** The known minimum of `evaluate`: regret is (best found) − minimum. */
  readonly minimum: number;
  /** Points where `evaluate` reaches `minimum`, when known (used by tests). */
  readonly minimizers?: readonly ParamValues[];
}
