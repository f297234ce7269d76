import { describe, expect, it } from 'vitest';
import {
  constrainedDominates,
  nondominatedFronts,
  nondominationRanks,
} from '../../src/trials/index.js';
import type { SortPoint } from '../../src/trials/index.js';

const feasible = (...losses: number[]): SortPoint => ({ losses, violation: 0 });
const infeasible = (violation: number, ...losses: number[]): SortPoint => ({ losses, violation });

describe('non-dominated sorting', () => {
  it('finds the fronts worked out by hand', () => {
    // A(1,5) B(2,3) C(4,1) are mutually non-dominated; D(3,4) is dominated by B; F(2,6) by A
    // and B; E(5,5) by B, C and D, so it sits behind D.
    const points = [
      feasible(1, 5), // A 0
      feasible(2, 3), // B 1
      feasible(4, 1), // C 2
      feasible(3, 4), // D 3
      feasible(5, 5), // E 4
      feasible(2, 6), // F 5
    ];
    expect(nondominatedFronts(points)).toEqual([[0, 1, 2], [3, 5], [4]]);
    expect(nondominationRanks(points)).toEqual([0, 0, 0, 1, 2, 1]);
  });

  it('keeps equal loss vectors on one front, and sorts three objectives', () => {
    const points = [feasible(1, 1, 1), feasible(1, 1, 1), feasible(0, 2, 2), feasible(2, 2, 2)];
    expect(nondominatedFronts(points)).toEqual([[0, 1, 2], [3]]);
  });

  it('stops once the fronts returned hold enough points', () => {
    const points = [feasible(1, 5), feasible(2, 3), feasible(4, 1), feasible(3, 4), feasible(5, 5)];
    expect(nondominatedFronts(points, 3)).toEqual([[0, 1, 2]]);
    expect(nondominatedFronts(points, 4)).toEqual([[0, 1, 2], [3]]);
  });

  it('puts feasible points first whatever their losses, then infeasible ones by violation', () => {
    const points = [
      infeasible(0.5, 0, 0), // 0: best losses, but infeasible
      feasible(9, 9), // 1
      infeasible(0.1, 5, 5), // 2: smaller violation than 0
      feasible(8, 10), // 3: non-dominated with 1
      infeasible(0.1, 1, 9), // 4: same violation as 2: same front
      feasible(10, 10), // 5: dominated by 1
    ];
    expect(constrainedDominates(points[1] as SortPoint, points[0] as SortPoint)).toBe(true);
    expect(constrainedDominates(points[2] as SortPoint, points[0] as SortPoint)).toBe(true);
    expect(constrainedDominates(points[2] as SortPoint, points[4] as SortPoint)).toBe(false);
    expect(constrainedDominates(points[4] as SortPoint, points[2] as SortPoint)).toBe(false);
    expect(nondominatedFronts(points)).toEqual([[1, 3], [5], [2, 4], [0]]);
  });

  it('agrees with the definition on random sets: no point dominated within its front, each dominated from the front before', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20; round++) {
      const points = Array.from({ length: 40 }, () =>
        next() < 0.3
          ? infeasible(Math.round(next() * 4) / 4 + 0.25, next(), next(), next())
          : feasible(Math.round(next() * 8), Math.round(next() * 8), next()),
      );
      const fronts = nondominatedFronts(points);
      expect(fronts.flat().sort((a, b) => a - b)).toEqual(points.map((_, i) => i));
      fronts.forEach((front, r) => {
        for (const i of front) {
          const p = points[i] as SortPoint;
          for (const j of front)
            expect(constrainedDominates(points[j] as SortPoint, p)).toBe(false);
          if (r > 0) {
            const before = fronts[r - 1] as number[];
            expect(before.some((j) => constrainedDominates(points[j] as SortPoint, p))).toBe(true);
          }
        }
      });
    }
  });
});
