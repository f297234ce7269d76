export type { BenchmarkProblem, SingleObjectiveProblem } from './problem.js';
export { branin, braninFunction } from './branin.js';
export { hartmann6, hartmann6Function } from './hartmann6.js';
export { mixedPublic, mixedPublicFunction } from './mixed-public.js';
export {
  rastrigin5,
  styblinski8,
  michalewicz5,
  rosenbrock10,
  rastriginFunction,
  styblinskiTangFunction,
  michalewiczFunction,
  rosenbrockFunction,
} from './rugged.js';
export { zdt1, dtlz2, zdt1Function, dtlz2Function } from './multi-objective.js';
export { simionescu, simionescuFunction, simionescuConstraint } from './simionescu.js';
export { hypervolume } from './hypervolume.js';
export { builtinProblems, isSingleObjective } from './builtin.js';
export { loadProblemFile, validateProblem } from './load-problems.js';
export { ellipsoid30, ellipsoid30Function, scaleProblems } from './scale.js';
