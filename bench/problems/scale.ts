/**
 * Problems for issue 21 point 8 (scale), run only when named (`--problems ellipsoid30`): a
 * smooth 30-dimensional bowl, where the time per suggestion of a GP optimizer is measured in
 * many dimensions.
 */
import type { ParamValues } from '../../src/space/index.js';
import type { BenchmarkProblem } from './problem.js';

const D = 30;

/** Σ_i (1 + i mod 3)(x_i − c_i)², c_i = 0.3 − 0.01 i: minimum 0 at c, inside [−1, 1]^30. */
export function ellipsoid30Function(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++)
    sum += (1 + (i % 3)) * ((x[i] as number) - (0.3 - 0.01 * i)) ** 2;
  return sum;
}

export const ellipsoid30: BenchmarkProblem = {
  name: 'ellipsoid30',
  space: (hp) => {
    for (let i = 1; i <= D; i++) hp.Float(`x${i}`, { min: -1, max: 1 });
  },
  evaluate: (p: ParamValues) =>
    ellipsoid30Function(Array.from({ length: D }, (_, i) => p[`x${i + 1}`] as number)),
  minimum: 0,
  minimizers: [
    Object.fromEntries(Array.from({ length: D }, (_, i) => [`x${i + 1}`, 0.3 - 0.01 * i])),
  ],
};

/** Problems run only when named. */
export const scaleProblems: readonly BenchmarkProblem[] = [ellipsoid30];
