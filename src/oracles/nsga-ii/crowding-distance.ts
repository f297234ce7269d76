/**
 * Crowding distance (Deb et al. 2002), as Optuna computes it: per objective, the points sorted
 * by it; each gets the gap between its two neighbours divided by the objective's range, the
 * two ends an infinite one; the sum over objectives. An objective on which every point is the
 * same adds nothing. Large distances mark lonely points, which selection keeps to spread the
 * front.
 */

/** The crowding distance of each of the loss vectors. */
export function crowdingDistances(losses: readonly (readonly number[])[]): Float64Array {
  const n = losses.length;
  const distance = new Float64Array(n);
  const m = losses[0]?.length ?? 0;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < m; k++) {
    const value = (i: number): number => (losses[i] as readonly number[])[k] as number;
    order.sort((a, b) => value(a) - value(b) || a - b);
    const low = value(order[0] as number);
    const high = value(order[n - 1] as number);
    if (!(high > low)) continue;
    const width = high - low;
    for (let r = 0; r < n; r++) {
      const i = order[r] as number;
      const below = r === 0 ? -Infinity : value(order[r - 1] as number);
      const above = r === n - 1 ? Infinity : value(order[r + 1] as number);
      distance[i] = (distance[i] as number) + (above - below) / width;
    }
  }
  return distance;
}
