/**
 * Candidates of one TPE unit (a parameter, or the joint group of the multivariate mode):
 * draws from the good-trial density l, ranked by log l(x) − log g(x), the expected
 * improvement criterion of TPE. Distinct values only, best first.
 */
import type { Random } from '../../math/random.js';
import type { ParamValue } from '../../space/index.js';
import type { Dimension } from './dimension.js';
import { fromInternal } from './dimension.js';
import type { ParzenEstimator } from './parzen-estimator.js';

export interface RankedCandidate {
  /** The values, one per dimension of the unit. */
  readonly values: readonly ParamValue[];
  /** log l(x) − log g(x). */
  readonly score: number;
}

export function rankCandidates(
  dimensions: readonly Dimension[],
  below: ParzenEstimator,
  above: ParzenEstimator,
  count: number,
  random: Random,
): RankedCandidate[] {
  const byKey = new Map<string, RankedCandidate>();
  for (let i = 0; i < count; i++) {
    const point = below.sample(random);
    const values = dimensions.map((dimension, d) => fromInternal(dimension, point[d] as number));
    const key = JSON.stringify(values);
    if (byKey.has(key)) continue;
    const score = below.logDensity(point) - above.logDensity(point);
    byKey.set(key, { values, score: Number.isNaN(score) ? -Infinity : score });
  }
  // stable: equal scores keep the order of drawing
  return [...byKey.values()].sort((a, b) => b.score - a.score);
}
