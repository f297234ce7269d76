/**
 * The rows a Gaussian process of the Bayesian oracle is fitted on: observations encoded as
 * features, and, past `maxModelPoints` observations, the subset it models.
 */
import type { Observation } from './observations.js';
import type { SpaceEncoding } from './space-encoding.js';

/** The observations' features (rows of `featureDimension`) and losses. */
export function encodeRows(
  encoding: SpaceEncoding,
  observations: readonly Observation[],
): { x: Float64Array; losses: Float64Array } {
  const F = encoding.featureDimension;
  const x = new Float64Array(observations.length * F);
  const losses = new Float64Array(observations.length);
  observations.forEach((o, i) => {
    encoding.encodeValues(o.params, x, i * F);
    losses[i] = o.loss;
  });
  return { x, losses };
}

/**
 * At most m observations for the model, in trial-number order: the best ⌈m/2⌉ by loss (where
 * the acquisition must be precise) and the others evenly spaced by trial number (the rest of
 * the landscape, coarser).
 */
export function modelSubset(observations: readonly Observation[], m: number): Observation[] {
  if (observations.length <= m) return [...observations];
  const byLoss = [...observations].sort((a, b) => a.loss - b.loss || a.number - b.number);
  const bestCount = Math.ceil(m / 2);
  const rest = byLoss.slice(bestCount).sort((a, b) => a.number - b.number);
  const spread = m - bestCount;
  const chosen = byLoss.slice(0, bestCount);
  for (let i = 0; i < spread; i++)
    chosen.push(rest[Math.floor((i * rest.length) / spread)] as Observation);
  return chosen.sort((a, b) => a.number - b.number);
}
