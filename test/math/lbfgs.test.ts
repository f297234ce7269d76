import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../src/math/lbfgs.js';

const rosenbrock = (x: Float64Array, g: Float64Array): number => {
  const a = x[0]!;
  const b = x[1]!;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe('minimizeLbfgs', () => {
  it('takes a start value and gradient the caller has, and follows the same path with one evaluation fewer', () => {
    const x0 = Float64Array.from([-1.2, 1]);
    const plain = minimizeLbfgs(rosenbrock, x0, { maxIterations: 30 });
    const gradient = new Float64Array(2);
    const value = rosenbrock(x0, gradient);
    const given = minimizeLbfgs(rosenbrock, x0, { maxIterations: 30, start: { value, gradient } });
    expect(given.evaluations).toBe(plain.evaluations - 1);
    expect(Array.from(given.x)).toEqual(Array.from(plain.x));
  });

  it('stops when an iteration gains less than the absolute tolerance', () => {
    const x0 = Float64Array.from([-1.2, 1]);
    const tight = minimizeLbfgs(rosenbrock, x0, { maxIterations: 200, relativeTolerance: 0 });
    const loose = minimizeLbfgs(rosenbrock, x0, {
      maxIterations: 200,
      relativeTolerance: 0,
      absoluteTolerance: 1e-2,
    });
    expect(loose.converged).toBe(true);
    expect(loose.iterations).toBeLessThan(tight.iterations);
    expect(loose.value).toBeLessThan(24.2 / 2); // it did descend from f(x0) = 24.2
  });

  it('minimises the Rosenbrock function', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 200, relativeTolerance: 0 },
    );
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
    expect(result.value).toBeLessThan(1e-10);
  });

  it('minimises an ill-conditioned quadratic in 10 dimensions', () => {
    const n = 10;
    const result = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < n; i++) {
          const w = 10 ** (i / 3);
          const r = x[i]! - i;
          f += 0.5 * w * r * r;
          g[i] = w * r;
        }
        return f;
      },
      new Float64Array(n),
      { maxIterations: 300, relativeTolerance: 0, gradientTolerance: 1e-8 },
    );
    for (let i = 0; i < n; i++) expect(result.x[i]).toBeCloseTo(i, 6);
    expect(result.converged).toBe(true);
  });

  it('backs off from points where the objective is undefined', () => {
    // f = x − log(x) (minimum at 1), +∞ for x ≤ 0; starting at 5 the first full step overshoots below 0
    const result = minimizeLbfgs(
      (x, g) => {
        const v = x[0]!;
        if (v <= 0) return Infinity;
        g[0] = 1 - 1 / v;
        return v - Math.log(v);
      },
      Float64Array.from([5]),
      { maxIterations: 100, relativeTolerance: 0, gradientTolerance: 1e-9 },
    );
    expect(result.x[0]).toBeCloseTo(1, 6);
  });
});
