/**
 * The constrained Simionescu problem: minimise 0.1·x·y over [−1.25, 1.25]², subject to
 * x² + y² ≤ (1 + 0.2·cos(8·atan(x/y)))². Minimum −0.072 at ±(0.848528, −0.848528).
 */
import type { ParamValues } from '../../src/space/index.js';
import type { SingleObjectiveProblem } from './problem.js';

export function simionescuFunction(x: number, y: number): number {
  return 0.1 * x * y;
}

/** The constraint's value: ≤ 0 where (x, y) is feasible. */
export function simionescuConstraint(x: number, y: number): number {
  const radius = 1 + 0.2 * Math.cos(8 * Math.atan(x / y));
  return x * x + y * y - radius * radius;
}

const SIDE = 0.6 * Math.SQRT2; // 1.2 / √2: the corners of the star on the diagonals

export const simionescu: SingleObjectiveProblem = {
  name: 'simionescu',
  space: (hp) => {
    hp.Float('x', { min: -1.25, max: 1.25 });
    hp.Float('y', { min: -1.25, max: 1.25 });
  },
  evaluate: (p: ParamValues) => simionescuFunction(p.x as number, p.y as number),
  constraints: (p: ParamValues) => [simionescuConstraint(p.x as number, p.y as number)],
  minimum: -0.072,
  minimizers: [
    { x: SIDE, y: -SIDE },
    { x: -SIDE, y: SIDE },
  ],
};
