/** Branin-Hoo, 2 floats; three global minima of 0.397887. */
import type { ParamValues } from '../../src/space/index.js';
import type { SingleObjectiveProblem } from './problem.js';

export function braninFunction(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

export const branin: SingleObjectiveProblem = {
  name: 'branin',
  space: (hp) => {
    hp.Float('x1', { min: -5, max: 10 });
    hp.Float('x2', { min: 0, max: 15 });
  },
  evaluate: (p: ParamValues) => braninFunction(p.x1 as number, p.x2 as number),
  minimum: 0.397887,
  minimizers: [
    { x1: -Math.PI, x2: 12.275 },
    { x1: Math.PI, x2: 2.275 },
    { x1: 9.42478, x2: 2.475 },
  ],
};
