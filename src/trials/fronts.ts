/**
 * Non-dominated sorting: points grouped into fronts, the first holding the points nothing
 * dominates, the next those only the first dominates, and so on. With constraints, domination
 * is Deb's constrained domination: a feasible point dominates an infeasible one, of two
 * infeasible points the one with the smaller total violation dominates, and two feasible
 * points compare by their losses.
 *
 * The fronts are peeled off in an order in which a point can only be dominated by points
 * before it (by violation, then lexicographically by losses): a point belongs to the current
 * front when no member of that front dominates it (domination is transitive). That costs
 * O(n · |front|) comparisons per front, so the first fronts of a long history (what elitist
 * selection needs) come cheaply.
 */
import { dominates } from './ranking.js';

/** A point to sort: its losses (minimised) and its total constraint violation (0: feasible). */
export interface SortPoint {
  readonly losses: readonly number[];
  readonly violation: number;
}

/** Deb's constrained domination (plain Pareto domination when both points are feasible). */
export function constrainedDominates(a: SortPoint, b: SortPoint): boolean {
  const aFeasible = a.violation <= 0;
  const bFeasible = b.violation <= 0;
  if (aFeasible && bFeasible) return dominates(a.losses, b.losses);
  if (aFeasible !== bFeasible) return aFeasible;
  return a.violation < b.violation;
}

function precedes(a: SortPoint, b: SortPoint): number {
  const va = Math.max(a.violation, 0);
  const vb = Math.max(b.violation, 0);
  if (va !== vb) return va - vb;
  for (let k = 0; k < a.losses.length; k++) {
    const d = (a.losses[k] as number) - (b.losses[k] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The fronts of `points` under constrained domination, as lists of indices (each in
 * increasing order); front 0 is the non-dominated set. With `atLeast`, stops once the fronts
 * returned hold that many points.
 */
export function nondominatedFronts(
  points: readonly SortPoint[],
  atLeast: number = points.length,
): number[][] {
  let remaining = points.map((_, i) => i);
  remaining.sort((a, b) => precedes(points[a] as SortPoint, points[b] as SortPoint) || a - b);
  const fronts: number[][] = [];
  let count = 0;
  while (remaining.length > 0 && count < atLeast) {
    const front: number[] = [];
    const rest: number[] = [];
    for (const i of remaining) {
      const p = points[i] as SortPoint;
      if (front.some((j) => constrainedDominates(points[j] as SortPoint, p))) rest.push(i);
      else front.push(i);
    }
    fronts.push(front.sort((a, b) => a - b));
    count += front.length;
    remaining = rest;
  }
  return fronts;
}

/** The front index of each point (0 = non-dominated). */
export function nondominationRanks(points: readonly SortPoint[]): number[] {
  const ranks = new Array<number>(points.length).fill(0);
  nondominatedFronts(points).forEach((front, r) => {
    for (const i of front) ranks[i] = r;
  });
  return ranks;
}
