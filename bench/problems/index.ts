export type { BenchmarkProblem } from './problem.js';
export { branin, braninFunction } from './branin.js';
export { hartmann6, hartmann6Function } from './hartmann6.js';
export { mixedPublic, mixedPublicFunction } from './mixed-public.js';
export { builtinProblems } from './builtin.js';
export { loadProblemFile, validateProblem } from './load-problems.js';
