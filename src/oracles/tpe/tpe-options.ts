/**
 * Options of the TPE oracle, with Optuna's defaults, and their validation.
 */
import { HypertunerError } from '../../space/index.js';

export interface TpeOptions {
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /** Finished trials drawn at random before TPE takes over (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from the good-trial density per suggestion (default 24). */
  readonly nEiCandidates?: number;
  /** Number of "good" trials given the number of finished ones (default `defaultGamma`). */
  readonly gamma?: (finished: number) => number;
  /** Weights of n observations, oldest first (default `defaultWeights`: old ones ramp down). */
  readonly weights?: (n: number) => Float64Array;
  /** Weight of the prior kernel against one observation (default 1). */
  readonly priorWeight?: number;
  /** Let the interval ends bound the bandwidth of the outermost observations (default false). */
  readonly considerEndpoints?: boolean;
  /** Keep bandwidths at least 1 / min(100, kernels + 1) of the range (default true). */
  readonly considerMagicClip?: boolean;
  /**
   * Rank candidates as Optuna 3.1 does (default true): in log l(x) − log g(x), a continuous
   * parameter's kernel counts with weight proportional to its bandwidth, since Optuna 3.1's
   * truncated-normal log-density leaves out its − log σ. Wide kernels, the prior's first, then
   * weigh more against the narrow ones around single observations; on the benchmark problems it
   * finds lower values than the normalised densities (`false`). Draws come from l either way.
   */
  readonly bandwidthWeightedScore?: boolean;
  /**
   * One joint density over the always-active parameters instead of one per parameter
   * (default false), as Optuna's `multivariate=True`: each kernel is one observation over all of
   * them; conditional parameters stay univariate.
   */
  readonly multivariate?: boolean;
  /**
   * Count RUNNING and WAITING trials among the bad ones, so that parallel workers do not all
   * propose the same region (default true; it changes nothing for a sequential search).
   */
  readonly constantLiar?: boolean;
}

export type ResolvedTpeOptions = { readonly [K in keyof TpeOptions]-?: NonNullable<TpeOptions[K]> };

/** Optuna's default: min(ceil(0.1 · n), 25) good trials out of n. */
export function defaultGamma(finished: number): number {
  return Math.min(Math.ceil(0.1 * finished), 25);
}

/** Optuna's default: weight 1 for the newest 25 observations, a linear ramp from 1/n for older ones. */
export function defaultWeights(n: number): Float64Array {
  const weights = new Float64Array(n).fill(1);
  const ramped = n - 25;
  if (ramped <= 0) return weights;
  // numpy.linspace(1 / n, 1, ramped)
  for (let i = 0; i < ramped; i++) {
    weights[i] = ramped === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramped - 1);
  }
  return weights;
}

function invalid(field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'TPE_INVALID_OPTION',
    `TpeOracle option '${field}' must be ${allowed}; got ${String(value)}.`,
    { field },
  );
}

export function resolveTpeOptions(options: TpeOptions): ResolvedTpeOptions {
  const resolved: ResolvedTpeOptions = {
    seed: options.seed ?? 0,
    nStartupTrials: options.nStartupTrials ?? 10,
    nEiCandidates: options.nEiCandidates ?? 24,
    gamma: options.gamma ?? defaultGamma,
    weights: options.weights ?? defaultWeights,
    priorWeight: options.priorWeight ?? 1,
    considerEndpoints: options.considerEndpoints ?? false,
    considerMagicClip: options.considerMagicClip ?? true,
    bandwidthWeightedScore: options.bandwidthWeightedScore ?? true,
    multivariate: options.multivariate ?? false,
    constantLiar: options.constantLiar ?? true,
  };
  if (!Number.isFinite(resolved.seed)) invalid('seed', 'a finite number', resolved.seed);
  if (!Number.isInteger(resolved.nStartupTrials) || resolved.nStartupTrials < 0) {
    invalid('nStartupTrials', 'an integer >= 0', resolved.nStartupTrials);
  }
  if (!Number.isInteger(resolved.nEiCandidates) || resolved.nEiCandidates < 1) {
    invalid('nEiCandidates', 'an integer >= 1', resolved.nEiCandidates);
  }
  if (!Number.isFinite(resolved.priorWeight) || resolved.priorWeight <= 0) {
    invalid('priorWeight', 'a finite number > 0', resolved.priorWeight);
  }
  if (typeof resolved.gamma !== 'function')
    invalid('gamma', 'a function (finished trials) => good trials', resolved.gamma);
  if (typeof resolved.weights !== 'function')
    invalid('weights', 'a function (n) => Float64Array of n weights', resolved.weights);
  return resolved;
}
