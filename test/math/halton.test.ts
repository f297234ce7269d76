import { describe, expect, it } from 'vitest';
import { ScrambledHalton, firstPrimes } from '../../src/math/halton.js';

describe('ScrambledHalton', () => {
  it('uses the primes as bases', () => {
    expect(firstPrimes(8)).toEqual([2, 3, 5, 7, 11, 13, 17, 19]);
  });

  it('gives points in [0, 1), the same for a seed and different for another', () => {
    const a = new ScrambledHalton(5, 1).points(0, 200);
    const b = new ScrambledHalton(5, 1).points(0, 200);
    const c = new ScrambledHalton(5, 2).points(0, 200);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    for (const v of a) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('is stratified: the first base^k points put one point in each interval of width base^-k', () => {
    const halton = new ScrambledHalton(3, 7);
    for (const [dim, base, k] of [
      [0, 2, 6],
      [1, 3, 4],
      [2, 5, 3],
    ] as const) {
      const count = base ** k;
      const points = halton.points(0, count);
      const cells = new Set<number>();
      for (let i = 0; i < count; i++) cells.add(Math.floor(points[i * 3 + dim]! * count));
      expect(cells.size).toBe(count);
    }
  });
});
