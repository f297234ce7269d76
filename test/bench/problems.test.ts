import { describe, expect, it } from 'vitest';
import {
  branin,
  braninFunction,
  builtinProblems,
  ellipsoid30,
  ellipsoid30Function,
  scaleProblems,
  dtlz2,
  dtlz2Function,
  hartmann6,
  hartmann6Function,
  hypervolume,
  michalewicz5,
  michalewiczFunction,
  mixedPublic,
  mixedPublicFunction,
  rastrigin5,
  rastriginFunction,
  rosenbrock10,
  rosenbrockFunction,
  simionescu,
  simionescuConstraint,
  simionescuFunction,
  styblinski8,
  styblinskiTangFunction,
  validateProblem,
  zdt1,
  zdt1Function,
} from '../../bench/problems/index.js';
import type { SingleObjectiveProblem } from '../../bench/problems/index.js';
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

  it('ellipsoid30 (point 8, run only when named) is 0 at its minimiser, 30 floats', () => {
    const m = ellipsoid30.minimizers![0]!;
    expect(ellipsoid30.evaluate(m)).toBe(0);
    expect(ellipsoid30Function(Array.from({ length: 30 }, () => 0))).toBeCloseTo(
      Array.from({ length: 30 }, (_, i) => (1 + (i % 3)) * (0.3 - 0.01 * i) ** 2).reduce(
        (a, b) => a + b,
      ),
      12,
    );
    expect(Object.keys(m)).toHaveLength(30);
    expect(builtinProblems).not.toContain(ellipsoid30);
  });

  it('declare their spaces with hp calls, and the minimisers are valid values', () => {
    for (const problem of [...builtinProblems, ...scaleProblems]) {
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
    expect(builtinProblems.map((p) => p.name)).toEqual([
      'branin',
      'hartmann6',
      'mixed_public',
      'rastrigin5',
      'styblinski8',
      'michalewicz5',
      'rosenbrock10',
      'zdt1',
      'dtlz2',
      'simionescu',
    ]);
  });

  it('rejects a malformed user problem naming the field', () => {
    expect(() =>
      validateProblem({ name: 'x', space: () => undefined, evaluate: () => 0 }, 'f.mjs'),
    ).toThrow(/minimum/);
    expect(() =>
      validateProblem({ name: '', space: () => undefined, evaluate: () => 0, minimum: 0 }, 'f.mjs'),
    ).toThrow(/name/);
  });

  it('the rugged problems reach their minimum at their minimisers and nowhere lower nearby', () => {
    const cases: [SingleObjectiveProblem, number][] = [
      [rastrigin5, 12],
      [styblinski8, 5],
      [michalewicz5, 5],
      [rosenbrock10, 8],
    ];
    for (const [problem, digits] of cases) {
      const [m] = problem.minimizers ?? [];
      expect(m, problem.name).toBeDefined();
      expect(problem.evaluate(m ?? {}), problem.name).toBeCloseTo(problem.minimum, digits);
      // a small step along any axis goes up: a local minimum
      for (const key of Object.keys(m ?? {})) {
        for (const step of [-1e-3, 1e-3]) {
          const moved = { ...m, [key]: (m?.[key] as number) + step };
          expect(problem.evaluate(moved), `${problem.name} ${key}`).toBeGreaterThan(
            problem.minimum - 1e-6,
          );
        }
      }
    }
    // values worked by hand
    expect(rastriginFunction([1, 0.5, -0.5, 0, 2])).toBeCloseTo(45.5, 10);
    expect(styblinskiTangFunction([1, -1])).toBeCloseTo(-15, 12);
    expect(rosenbrockFunction([0, 0, 0])).toBeCloseTo(2, 12);
    expect(michalewiczFunction([Math.PI / 2])).toBeCloseTo(-(Math.sin(Math.PI / 4) ** 20), 12);
  });

  it('Simionescu is -0.072 on its constraint boundary at its minimisers; the origin is feasible, the corners are not', () => {
    for (const m of simionescu.minimizers ?? []) {
      expect(simionescu.evaluate(m)).toBeCloseTo(-0.072, 6);
      expect(Math.abs(simionescuConstraint(m.x as number, m.y as number))).toBeLessThan(1e-9);
    }
    expect(simionescuConstraint(0.1, 0.2)).toBeLessThan(0);
    expect(simionescuConstraint(1.25, -1.25)).toBeGreaterThan(0);
    expect(simionescuFunction(1.25, -1.25)).toBeLessThan(-0.072); // lower, but infeasible
    // no feasible point on a fine grid is lower than the minimum
    let lowest = Infinity;
    for (let i = 0; i <= 250; i++) {
      for (let j = 0; j <= 250; j++) {
        const [x, y] = [-1.25 + i / 100, -1.25 + j / 100];
        if (simionescuConstraint(x, y) <= 0) lowest = Math.min(lowest, simionescuFunction(x, y));
      }
    }
    expect(lowest).toBeGreaterThanOrEqual(-0.072 - 1e-9);
    expect(lowest).toBeLessThan(-0.07);
  });

  it('ZDT1 and DTLZ2 put their Pareto-front points on the known fronts', () => {
    for (const x1 of [0, 0.25, 1]) {
      const [f1, f2] = zdt1Function([x1, 0, 0, 0, 0, 0]);
      expect(f2).toBeCloseTo(1 - Math.sqrt(f1), 12);
    }
    expect(zdt1Function([0.5, 1, 1, 1, 1, 1])[1]).toBeCloseTo(10 * (1 - Math.sqrt(0.05)), 12);
    const [a, b, c] = dtlz2Function([0.3, 0.7, 0.5, 0.5, 0.5, 0.5]);
    expect(a * a + b * b + c * c).toBeCloseTo(1, 12);
    const far = dtlz2Function([0.3, 0.7, 0, 0, 1, 1]); // g = 1: radius 2
    expect(Math.hypot(...far)).toBeCloseTo(2, 12);
    expect(zdt1.referencePoint).toEqual([11, 11]);
    expect(dtlz2.referencePoint).toEqual([1.1, 1.1, 1.1]);
  });

  it("the true fronts' hypervolumes are the problems' minima (exactness: test/math/hypervolume.test.ts)", () => {
    // many points on DTLZ2's front approach the front's hypervolume from below
    const points: number[][] = [];
    for (let i = 0; i <= 40; i++) {
      for (let j = 0; j <= 40; j++)
        points.push(dtlz2Function([i / 40, j / 40, 0.5, 0.5, 0.5, 0.5]));
    }
    const volume = hypervolume(points, [1.1, 1.1, 1.1]);
    expect(volume).toBeLessThan(-dtlz2.minimum);
    expect(volume).toBeGreaterThan(-dtlz2.minimum - 0.03);
    const front = Array.from({ length: 2001 }, (_, i) => zdt1Function([i / 2000, 0, 0, 0, 0, 0]));
    expect(hypervolume(front, [11, 11])).toBeCloseTo(-zdt1.minimum, 3);
  });
});
