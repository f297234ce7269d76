import { branin } from './branin.js';
import { hartmann6 } from './hartmann6.js';
import { mixedPublic } from './mixed-public.js';
import type { BenchmarkProblem } from './problem.js';

/** The problems of /work/shared/benchmarks/PROBLEMS.md, in that order. */
export const builtinProblems: readonly BenchmarkProblem[] = [branin, hartmann6, mixedPublic];
