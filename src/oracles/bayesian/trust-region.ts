/**
 * A trust region in the spirit of TuRBO (Eriksson et al., 2019), used by the Bayesian oracle
 * as a stagnation detector (option `trustRegion: 'stalled'`). A box around the best trial,
 * side (in cube units) starting at 0.8, replayed over the trials that followed the
 * space-filling design, in trial-number order:
 *   - a trial that improves the best by more than 0.1% of its magnitude is a success, any
 *     other a failure;
 *   - 3 successes in a row double the side (at most 0.8);
 *   - `failureTolerance` failures in a row (the oracle's default: max(4, d)) halve it;
 *   - below 0.5⁷ it starts over at 0.8.
 * While the side is 0.8 the search is making progress and the oracle searches as without the
 * box; once it has shrunk (the search has stalled), half of the local candidates of the
 * acquisition search are drawn uniformly in the box (`fillRegion`), so that expected
 * improvement weighs the incumbent's neighbourhood at the scale the failures call for (on a
 * rugged landscape, about the size of its basin) and not only at the fixed Gaussian scales
 * around the best trials. The state is a pure function of the trials (the same after a
 * resume and in every worker).
 */
import type { Random } from '../../math/random.js';
import type { Observation } from './observations.js';

/** A box of side `side` (cube units; clipped to [0, 1] when used) centred on `center`. */
export interface TrustRegion {
  readonly center: Float64Array;
  readonly side: number;
  /** Whether the box has shrunk below its initial side: the search has stalled. */
  readonly stalled: boolean;
}

/** The box's side while the search makes progress, and after a start-over. */
export const INITIAL_SIDE = 0.8;
const MIN_SIDE = 0.5 ** 7;
const SUCCESS_TOLERANCE = 3;
const RELATIVE_IMPROVEMENT = 1e-3;

/** The oracle's default number of failures in a row that halve the box: max(4, d). */
export function defaultFailureTolerance(dimension: number): number {
  return Math.max(4, dimension);
}

/**
 * The trust region after `observations` (any order; replayed by trial number). The first
 * `numInitial` of them (the space-filling design) only set the best; `toCube` writes a
 * configuration's point of the `dimension`-cube. Undefined when nothing was observed.
 */
export function trustRegionOf(
  observations: readonly Observation[],
  numInitial: number,
  dimension: number,
  toCube: (params: Observation['params'], out: Float64Array) => void,
  failureTolerance = defaultFailureTolerance(dimension),
): TrustRegion | undefined {
  const ordered = [...observations].sort((a, b) => a.number - b.number);
  let side = INITIAL_SIDE;
  let best = Infinity;
  let incumbent: Observation | undefined;
  let successes = 0;
  let failures = 0;
  ordered.forEach((o, i) => {
    const improved = o.loss < best - RELATIVE_IMPROVEMENT * Math.abs(best);
    if (o.loss < best) {
      best = o.loss;
      incumbent = o;
    }
    if (i < numInitial) return;
    if (improved) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    if (successes >= SUCCESS_TOLERANCE) {
      side = Math.min(INITIAL_SIDE, 2 * side);
      successes = 0;
    } else if (failures >= failureTolerance) {
      side /= 2;
      failures = 0;
    }
    if (side < MIN_SIDE) side = INITIAL_SIDE;
  });
  if (incumbent === undefined) return undefined;
  const center = new Float64Array(dimension);
  toCube(incumbent.params, center);
  return { center, side, stalled: side < INITIAL_SIDE };
}

/**
 * Writes `count` points drawn uniformly in the region's box clipped to the unit cube (each
 * coordinate uniform on [max(0, c − side/2), min(1, c + side/2))) into `cube`, rows `row` to
 * `row + count − 1`.
 */
export function fillRegion(
  region: TrustRegion,
  cube: Float64Array,
  row: number,
  count: number,
  random: Random,
): void {
  const D = region.center.length;
  const half = region.side / 2;
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < D; k++) {
      const c = region.center[k] as number;
      const low = Math.max(0, c - half);
      const high = Math.min(1, c + half);
      cube[(row + i) * D + k] = Math.min(low + (high - low) * random.next(), 1 - 1e-12);
    }
  }
}
