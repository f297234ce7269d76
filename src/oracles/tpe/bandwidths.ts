/**
 * Building kernel sets from observations as Optuna's TPE does: bandwidths from the distances
 * to neighbouring observations (univariate) or Scott's-rule-like shrinking (joint), a
 * "magic clip" that keeps bandwidths from collapsing, and a wide prior kernel last.
 */
import { CategoricalKernels, NumericKernels } from './kernels.js';

export interface NumericKernelOptions {
  /** Grid cells of a discrete dimension, 0 for a continuous one. */
  readonly cells: number;
  /** Let the interval ends count as neighbours of the outermost observations. */
  readonly considerEndpoints: boolean;
  /**
   * Clip bandwidths below at max(minBandwidthFactor, (kernels + 1)^−magicClipExponent), which
   * with the defaults (0.01, 1) is Optuna's 1 / min(100, kernels + 1).
   */
  readonly considerMagicClip: boolean;
  /** The floor of the magic clip, as a fraction of the range (default 0.01). */
  readonly minBandwidthFactor?: number | undefined;
  /** The exponent of the magic clip (default 1). */
  readonly magicClipExponent?: number | undefined;
  /** For a joint estimator: how many dimensions it has. */
  readonly jointDimensions?: number;
  /**
   * A joint estimator's bandwidths (default 'scott'): one shared Scott's-rule bandwidth
   * 0.2 · n^(−1/(d+4)) as Optuna's multivariate TPE, or each dimension's neighbour distances as
   * the univariate estimator (Watanabe 2023's recommended "hyperopt" rule).
   */
  readonly jointBandwidth?: 'scott' | 'neighbours' | undefined;
  /** Score a continuous dimension's kernels by shape, weighted by bandwidth (Optuna 3.1). */
  readonly byShape?: boolean;
}

const PRIOR_MU = 0.5;
const PRIOR_SIGMA = 1;
const JOINT_SIGMA0 = 0.2;
const EPS = 1e-12;

function neighbourBandwidths(observations: Float64Array, considerEndpoints: boolean): Float64Array {
  const n = observations.length;
  const withPrior = Float64Array.from([...observations, PRIOR_MU]);
  const order = Array.from({ length: n + 1 }, (_, i) => i).sort(
    (a, b) => (withPrior[a] as number) - (withPrior[b] as number) || a - b,
  );
  // sorted positions with the endpoints 0 and 1 around them
  const padded = new Float64Array(n + 3);
  padded[n + 2] = 1;
  order.forEach((index, rank) => (padded[rank + 1] = withPrior[index] as number));
  const sortedSigmas = new Float64Array(n + 1);
  for (let r = 0; r <= n; r++) {
    const left = (padded[r + 1] as number) - (padded[r] as number);
    const right = (padded[r + 2] as number) - (padded[r + 1] as number);
    sortedSigmas[r] = Math.max(left, right);
  }
  if (!considerEndpoints && padded.length >= 4) {
    sortedSigmas[0] = (padded[2] as number) - (padded[1] as number);
    sortedSigmas[n] = (padded[n + 1] as number) - (padded[n] as number);
  }
  const sigmas = new Float64Array(n);
  order.forEach((index, rank) => {
    if (index < n) sigmas[index] = sortedSigmas[rank] as number;
  });
  return sigmas;
}

/**
 * The smallest bandwidth of `kernels` kernels (prior included) under the magic clip:
 * max(floor, (kernels + 1)^−exponent).
 */
export function magicClip(kernels: number, floor: number, exponent: number): number {
  return Math.max(floor, Math.pow(kernels + 1, -exponent));
}

/** Kernels for observations in [0, 1]: one per observation, then the prior N(0.5, 1). */
export function buildNumericKernels(
  observations: Float64Array,
  options: NumericKernelOptions,
): NumericKernels {
  const n = observations.length;
  const sigmas =
    options.jointDimensions === undefined || options.jointBandwidth === 'neighbours'
      ? neighbourBandwidths(observations, options.considerEndpoints)
      : new Float64Array(n).fill(
          JOINT_SIGMA0 * Math.pow(Math.max(n, 1), -1 / (options.jointDimensions + 4)),
        );
  const minSigma = options.considerMagicClip
    ? magicClip(n + 1, options.minBandwidthFactor ?? 0.01, options.magicClipExponent ?? 1)
    : EPS;
  const mus = new Float64Array(n + 1);
  const allSigmas = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    mus[i] = observations[i] as number;
    allSigmas[i] = Math.min(1, Math.max(minSigma, sigmas[i] as number));
  }
  mus[n] = PRIOR_MU;
  allSigmas[n] = PRIOR_SIGMA;
  return new NumericKernels(mus, allSigmas, options.cells, options.byShape ?? false);
}

/**
 * Kernels for observed value indices among `choices` values: kernel i puts weight 1 on the
 * observed value plus `priorWeight / kernels` on every value (then normalised); the prior
 * kernel, last, is uniform.
 */
export function buildCategoricalKernels(
  observations: readonly number[],
  choices: number,
  priorWeight: number,
): CategoricalKernels {
  const kernels = observations.length + 1;
  const smoothing = priorWeight / kernels;
  const probabilities = new Float64Array(kernels * choices);
  for (let k = 0; k < kernels; k++) {
    const observed = k < observations.length ? (observations[k] as number) : -1;
    const total = choices * smoothing + (observed >= 0 ? 1 : 0);
    for (let j = 0; j < choices; j++) {
      const raw = smoothing + (j === observed ? 1 : 0);
      probabilities[k * choices + j] = total > 0 ? raw / total : 1 / choices;
    }
  }
  return new CategoricalKernels(probabilities, choices);
}

/** Normalised log mixture weights: the observations' weights, then `priorWeight`. */
export function mixtureLogWeights(
  observationWeights: Float64Array,
  priorWeight: number,
): Float64Array {
  const n = observationWeights.length;
  let total = priorWeight;
  for (let i = 0; i < n; i++) total += observationWeights[i] as number;
  const out = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) out[i] = Math.log((observationWeights[i] as number) / total);
  out[n] = Math.log(priorWeight / total);
  return out;
}
