/**
 * Exact hypervolume of a set of points (all objectives minimised) against a reference point:
 * the volume of the region they dominate inside the box below the reference. Slicing along
 * the last objective down to an O(n log n) sweep in two dimensions: O(n^(d−1) log n), plenty
 * for a benchmark's few hundred points in two or three dimensions.
 */

/** Two dimensions: sort by the first objective and add the rectangles of the staircase. */
function hypervolume2d(
  points: readonly (readonly number[])[],
  reference: readonly number[],
): number {
  const sorted = [...points].sort((a, b) => (a[0] as number) - (b[0] as number));
  let volume = 0;
  let ceiling = reference[1] as number;
  for (const p of sorted) {
    const y = p[1] as number;
    if (y < ceiling) {
      volume += ((reference[0] as number) - (p[0] as number)) * (ceiling - y);
      ceiling = y;
    }
  }
  return volume;
}

function slice(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const d = reference.length;
  if (points.length === 0) return 0;
  if (d === 1) return (reference[0] as number) - Math.min(...points.map((p) => p[0] as number));
  if (d === 2) return hypervolume2d(points, reference);
  const last = d - 1;
  const sorted = [...points].sort((a, b) => (a[last] as number) - (b[last] as number));
  const lower = reference.slice(0, last);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const from = sorted[i]?.[last] as number;
    const to =
      i + 1 < sorted.length ? (sorted[i + 1]?.[last] as number) : (reference[last] as number);
    if (to > from)
      volume +=
        (to - from) *
        slice(
          sorted.slice(0, i + 1).map((p) => p.slice(0, last)),
          lower,
        );
  }
  return volume;
}

/** The hypervolume dominated by `points` inside the box below `reference` (points outside it add nothing). */
export function hypervolume(
  points: readonly (readonly number[])[],
  reference: readonly number[],
): number {
  const inside = points.filter(
    (p) => p.length === reference.length && p.every((v, i) => v < (reference[i] as number)),
  );
  return slice(inside, reference);
}
