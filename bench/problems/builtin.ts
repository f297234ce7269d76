import { branin } from './branin.js';
import { hartmann6 } from './hartmann6.js';
import { mixedPublic } from './mixed-public.js';
import { dtlz2, zdt1 } from './multi-objective.js';
import type { BenchmarkProblem } from './problem.js';
import { michalewicz5, rastrigin5, rosenbrock10, styblinski8 } from './rugged.js';
import { simionescu } from './simionescu.js';

/** The problems of /work/shared/benchmarks/PROBLEMS.md, in that order, then issue 21's others. */
export const builtinProblems: readonly BenchmarkProblem[] = [
  branin,
  hartmann6,
  mixedPublic,
  rastrigin5,
  styblinski8,
  michalewicz5,
  rosenbrock10,
  zdt1,
  dtlz2,
  simionescu,
];

/** Whether a problem has one objective (its regret is a value's) rather than several (hypervolume's). */
export function isSingleObjective(problem: BenchmarkProblem): boolean {
  return (problem.objectives ?? 1) === 1;
}
