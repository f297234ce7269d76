/**
 * Hypervolume: the measure of the region that a set of loss vectors (minimised) dominates
 * and that dominates a reference point, the standard quality figure of a Pareto front.
 * Exact: a sweep in two dimensions (O(n log n)); in more, slices along the last dimension,
 * each slab's (d−1)-dimensional hypervolume times its thickness (O(n^(d−1) log n): fine for
 * the few hundred points of a study in 3 or 4 dimensions). Points that do not dominate the
 * reference point strictly in every dimension add nothing.
 */

/** The hypervolume of `points` (loss vectors, each of `reference.length` numbers) against `reference`. */
export function hypervolume(
  points: readonly (readonly number[])[],
  reference: readonly number[],
): number {
  const d = reference.length;
  const inside = points.filter(
    (p) => p.length === d && p.every((v, k) => v < (reference[k] as number)),
  );
  if (inside.length === 0 || d === 0) return 0;
  return volume(inside, reference, d);
}

/** Hypervolume in the first `d` coordinates of points that all dominate the reference there. */
function volume(
  points: readonly (readonly number[])[],
  reference: readonly number[],
  d: number,
): number {
  if (d === 1) {
    let low = Infinity;
    for (const p of points) low = Math.min(low, p[0] as number);
    return (reference[0] as number) - low;
  }
  if (d === 2) return sweep2d(points, reference);
  const last = d - 1;
  const sorted = [...points].sort((a, b) => (a[last] as number) - (b[last] as number));
  let total = 0;
  for (let k = 0; k < sorted.length; k++) {
    const top =
      k + 1 < sorted.length ? (sorted[k + 1] as readonly number[])[last] : reference[last];
    const thickness = (top as number) - ((sorted[k] as readonly number[])[last] as number);
    if (thickness > 0) total += thickness * volume(sorted.slice(0, k + 1), reference, last);
  }
  return total;
}

function sweep2d(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const sorted = [...points].sort(
    (a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number),
  );
  const rx = reference[0] as number;
  let previousY = reference[1] as number;
  let area = 0;
  for (const p of sorted) {
    const y = p[1] as number;
    if (y < previousY) {
      area += (rx - (p[0] as number)) * (previousY - y);
      previousY = y;
    }
  }
  return area;
}
