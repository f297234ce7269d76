import { describe, expect, it } from 'vitest';
import {
  branin,
  braninFunction,
  builtinProblems,
  hartmann6,
  hartmann6Function,
  mixedPublic,
  mixedPublicFunction,
  validateProblem,
} from '../../bench/problems/index.js';
import { HyperParameters } from '../../src/space/index.js';

describe('benchmark problems', () => {
  it('Branin is 0.397887 at its three minimisers', () => {
    for (const [x1, x2] of [
      [-Math.PI, 12.275],
      [Math.PI, 2.275],
      [9.42478, 2.475],
    ] as const) {
      expect(braninFunction(x1, x2)).toBeCloseTo(0.397887, 5);
    }
    expect(braninFunction(0, 0)).toBeCloseTo(55.602112642270264, 8); // computed independently (Python, same formula)
    for (const m of branin.minimizers ?? [])
      expect(branin.evaluate(m)).toBeCloseTo(branin.minimum, 5);
  });

  it('Hartmann-6 is about -3.32237 at its minimiser', () => {
    expect(
      hartmann6Function([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]),
    ).toBeCloseTo(-3.32237, 4);
    for (const m of hartmann6.minimizers ?? [])
      expect(hartmann6.evaluate(m)).toBeCloseTo(hartmann6.minimum, 4);
    // nowhere on a coarse grid lower than the minimum
    let lowest = Infinity;
    const grid = [0, 0.25, 0.5, 0.75, 1];
    for (let i = 0; i < 5 ** 6; i++) {
      const x = Array.from({ length: 6 }, (_, d) => grid[Math.floor(i / 5 ** d) % 5] as number);
      lowest = Math.min(lowest, hartmann6Function(x));
    }
    expect(lowest).toBeGreaterThan(-3.32237);
  });

  it('mixed_public is 0 at its optimum and positive elsewhere', () => {
    expect(
      mixedPublicFunction({ lr: 0.01, units: 256, layers: 2, optimizer: 'adam', use_bias: true }),
    ).toBeCloseTo(0, 12);
    expect(
      mixedPublicFunction({ lr: 0.1, units: 512, layers: 3, optimizer: 'sgd', use_bias: false }),
    ).toBeCloseTo(1 + 0.25 + 0.5 + 0.6 + 0.1, 12);
    expect(mixedPublic.minimum).toBe(0);
  });

  it('declare their spaces with hp calls, and the minimisers are valid values', () => {
    for (const problem of builtinProblems) {
      expect(validateProblem(problem, 'builtin')).toBe(problem);
      const hp = new HyperParameters();
      if (typeof problem.space === 'function') problem.space(hp);
      for (const m of problem.minimizers ?? []) {
        for (const [name, value] of Object.entries(m)) {
          const parameter = hp.space.get(name);
          expect(parameter, name).toBeDefined();
          if (parameter?.kind === 'float') {
            expect(value as number).toBeGreaterThanOrEqual(parameter.min);
            expect(value as number).toBeLessThanOrEqual(parameter.max);
          }
        }
      }
    }
    expect(builtinProblems.map((p) => p.name)).toEqual(['branin', 'hartmann6', 'mixed_public']);
  });

  it('rejects a malformed user problem naming the field', () => {
    expect(() =>
      validateProblem({ name: 'x', space: () => undefined, evaluate: () => 0 }, 'f.mjs'),
    ).toThrow(/minimum/);
    expect(() =>
      validateProblem({ name: '', space: () => undefined, evaluate: () => 0, minimum: 0 }, 'f.mjs'),
    ).toThrow(/name/);
  });
});
