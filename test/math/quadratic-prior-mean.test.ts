import { describe, expect, it } from 'vitest';
import { QuadraticPriorMean } from '../../src/math/quadratic-prior-mean.js';

describe('QuadraticPriorMean', () => {
  const bowl = new QuadraticPriorMean(1.5, Float64Array.from([1, 1, 1]));

  it('is −c/3 at the centre, +2c/3 at a corner, and averages 0 over the box', () => {
    expect(bowl.value(Float64Array.from([0.5, 0.5, 0.5]), 0)).toBeCloseTo(-0.5, 12);
    expect(bowl.value(Float64Array.from([0, 1, 0]), 0)).toBeCloseTo(1, 12);
    // midpoint rule on a 40³ grid: the exact average is 0, the rule's error is O(h²)
    const m = 40;
    let sum = 0;
    const x = new Float64Array(3);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++)
        for (let k = 0; k < m; k++) {
          x[0] = (i + 0.5) / m;
          x[1] = (j + 0.5) / m;
          x[2] = (k + 0.5) / m;
          sum += bowl.value(x, 0);
        }
    expect(Math.abs(sum / m ** 3)).toBeLessThan(1e-3);
  });

  it('reads the features at an offset and has the gradient of finite differences', () => {
    const row = Float64Array.from([9, 9, 0.2, 0.9, 0.35]);
    const gradient = new Float64Array(3);
    bowl.addGradient(row, 2, 2, gradient);
    for (let k = 0; k < 3; k++) {
      const plus = Float64Array.from(row);
      const minus = Float64Array.from(row);
      plus[2 + k] = plus[2 + k]! + 1e-6;
      minus[2 + k] = minus[2 + k]! - 1e-6;
      const numeric = (bowl.value(plus, 2) - bowl.value(minus, 2)) / 2e-6;
      expect(gradient[k]).toBeCloseTo(2 * numeric, 6);
    }
  });

  it('leaves out features of weight 0, and is 0 everywhere with no weighted feature', () => {
    const partial = new QuadraticPriorMean(1, Float64Array.from([1, 0]));
    expect(partial.value(Float64Array.from([0, 0.5]), 0)).toBeCloseTo(
      partial.value(Float64Array.from([0, 1]), 0),
      12,
    );
    expect(partial.value(Float64Array.from([0, 1]), 0)).toBeCloseTo(2 / 3, 12);
    const none = new QuadraticPriorMean(1, Float64Array.from([0, 0]));
    expect(none.value(Float64Array.from([0, 1]), 0)).toBe(0);
    expect(none.value(Float64Array.from([0.5, 0.5]), 0)).toBe(0);
    expect(new QuadraticPriorMean(1, Float64Array.from([1, 1])).key).not.toBe(partial.key);
  });
});
