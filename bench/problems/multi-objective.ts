/**
 * The multi-objective problems: ZDT1 (6 floats, 2 objectives) and DTLZ2 (6 floats, 3
 * objectives), all minimised. A run's score is the hypervolume of its trials against a fixed
 * reference point; `minimum` is minus the hypervolume of the true Pareto front, so that
 * "regret" (−hypervolume − minimum) is the hypervolume still missing.
 */
import type { HyperParameters, ParamValues } from '../../src/space/index.js';
import type { BenchmarkProblem } from './problem.js';

const NAMES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'] as const;
const unitCube = (hp: HyperParameters): void => {
  for (const name of NAMES) hp.Float(name, { min: 0, max: 1 });
};
const vector = (p: ParamValues): number[] => NAMES.map((name) => p[name] as number);

/** ZDT1: f1 = x1, f2 = g·(1 − √(x1/g)), g = 1 + 9·Σ_{i≥2} x_i / (n − 1). */
export function zdt1Function(x: readonly number[]): [number, number] {
  let sum = 0;
  for (let i = 1; i < x.length; i++) sum += x[i] as number;
  const g = 1 + (9 * sum) / (x.length - 1);
  const f1 = x[0] as number;
  return [f1, g * (1 - Math.sqrt(f1 / g))];
}

/** DTLZ2 with 3 objectives: (1 + g)·(cos·cos, cos·sin, sin) of x1, x2 (×π/2), g = Σ_{i≥3} (x_i − ½)². */
export function dtlz2Function(x: readonly number[]): [number, number, number] {
  let g = 0;
  for (let i = 2; i < x.length; i++) g += ((x[i] as number) - 0.5) ** 2;
  const a = ((x[0] as number) * Math.PI) / 2;
  const b = ((x[1] as number) * Math.PI) / 2;
  const r = 1 + g;
  return [r * Math.cos(a) * Math.cos(b), r * Math.cos(a) * Math.sin(b), r * Math.sin(a)];
}

/**
 * ZDT1's front is f2 = 1 − √f1 on [0, 1]; against (11, 11) it dominates 11·11 − ∫(1 − √f1) =
 * 121 − 1/3. (The usual (1.1, 1.1) leaves 100 to 200 trials of any sampler at hypervolume 0.)
 */
export const zdt1: BenchmarkProblem = {
  name: 'zdt1',
  space: unitCube,
  evaluate: (p) => zdt1Function(vector(p)),
  objectives: 2,
  referencePoint: [11, 11],
  minimum: -(121 - 1 / 3),
  minimizers: [{ x1: 0.25, x2: 0, x3: 0, x4: 0, x5: 0, x6: 0 }],
};

/** DTLZ2's front is the unit sphere's positive octant; against (1.1, 1.1, 1.1) it dominates 1.1³ − π/6. */
export const dtlz2: BenchmarkProblem = {
  name: 'dtlz2',
  space: unitCube,
  evaluate: (p) => dtlz2Function(vector(p)),
  objectives: 3,
  referencePoint: [1.1, 1.1, 1.1],
  minimum: -(1.1 ** 3 - Math.PI / 6),
  minimizers: [{ x1: 0.5, x2: 0.5, x3: 0.5, x4: 0.5, x5: 0.5, x6: 0.5 }],
};
