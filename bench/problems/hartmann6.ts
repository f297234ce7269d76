/** Hartmann-6, 6 floats in [0, 1]; global minimum −3.32237. */
import type { ParamValues } from '../../src/space/index.js';
import type { SingleObjectiveProblem } from './problem.js';

const ALPHA = [1.0, 1.2, 3.0, 3.2];
const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

const NAMES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'] as const;

export function hartmann6Function(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) {
      const d = (x[j] as number) - (P[i]?.[j] as number);
      inner += (A[i]?.[j] as number) * d * d;
    }
    sum += (ALPHA[i] as number) * Math.exp(-inner);
  }
  return -sum;
}

export const hartmann6: SingleObjectiveProblem = {
  name: 'hartmann6',
  space: (hp) => {
    for (const name of NAMES) hp.Float(name, { min: 0, max: 1 });
  },
  evaluate: (p: ParamValues) => hartmann6Function(NAMES.map((name) => p[name] as number)),
  minimum: -3.32237,
  minimizers: [{ x1: 0.20169, x2: 0.150011, x3: 0.476874, x4: 0.275332, x5: 0.311652, x6: 0.6573 }],
};
