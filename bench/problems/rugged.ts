/**
 * The rugged, multimodal problems of PROBLEMS.md: Rastrigin 5-D, Styblinski-Tang 8-D,
 * Michalewicz 5-D (m = 10) and Rosenbrock 10-D. All floats, linear sampling, named x1..xd.
 */
import type { HyperParameters, ParamValues } from '../../src/space/index.js';
import type { SingleObjectiveProblem } from './problem.js';

const names = (d: number): string[] => Array.from({ length: d }, (_, i) => `x${i + 1}`);

/** A problem over the box [min, max]^d from a function of the vector x. */
function boxProblem(
  name: string,
  d: number,
  min: number,
  max: number,
  f: (x: readonly number[]) => number,
  minimum: number,
  minimizer: readonly number[],
): SingleObjectiveProblem {
  const keys = names(d);
  return {
    name,
    space: (hp: HyperParameters) => {
      for (const key of keys) hp.Float(key, { min, max });
    },
    evaluate: (p: ParamValues) => f(keys.map((key) => p[key] as number)),
    minimum,
    minimizers: [Object.fromEntries(keys.map((key, i) => [key, minimizer[i] as number]))],
  };
}

/** 10·d + Σ (x_i² − 10·cos(2π·x_i)); minimum 0 at 0. */
export function rastriginFunction(x: readonly number[]): number {
  let sum = 10 * x.length;
  for (const xi of x) sum += xi * xi - 10 * Math.cos(2 * Math.PI * xi);
  return sum;
}

/** ½·Σ (x_i⁴ − 16·x_i² + 5·x_i); minimum −39.16616570377142·d at x_i = −2.903534. */
export function styblinskiTangFunction(x: readonly number[]): number {
  let sum = 0;
  for (const xi of x) sum += xi ** 4 - 16 * xi * xi + 5 * xi;
  return sum / 2;
}

/** −Σ_{i=1..d} sin(x_i)·sin(i·x_i²/π)^20 (m = 10). */
export function michalewiczFunction(x: readonly number[]): number {
  let sum = 0;
  x.forEach((xi, i) => {
    sum -= Math.sin(xi) * Math.sin(((i + 1) * xi * xi) / Math.PI) ** 20;
  });
  return sum;
}

/** Σ_{i=1..d−1} 100·(x_{i+1} − x_i²)² + (1 − x_i)²; minimum 0 at 1. */
export function rosenbrockFunction(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const xi = x[i] as number;
    sum += 100 * ((x[i + 1] as number) - xi * xi) ** 2 + (1 - xi) ** 2;
  }
  return sum;
}

export const rastrigin5 = boxProblem(
  'rastrigin5',
  5,
  -5.12,
  5.12,
  rastriginFunction,
  0,
  [0, 0, 0, 0, 0],
);

export const styblinski8 = boxProblem(
  'styblinski8',
  8,
  -5,
  5,
  styblinskiTangFunction,
  -313.3293256,
  new Array<number>(8).fill(-2.903534),
);

export const michalewicz5 = boxProblem(
  'michalewicz5',
  5,
  0,
  Math.PI,
  michalewiczFunction,
  -4.687658,
  [2.202906, 1.570796, 1.284992, 1.923058, 1.72047],
);

export const rosenbrock10 = boxProblem(
  'rosenbrock10',
  10,
  -2.048,
  2.048,
  rosenbrockFunction,
  0,
  new Array<number>(10).fill(1),
);
