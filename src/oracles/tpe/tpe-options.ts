/**
 * Options of the TPE oracle, their defaults (two presets: Optuna 3.1's, and the tuned ones of
 * Watanabe 2023), and their validation.
 */
import { HypertunerError } from '../../space/index.js';

/**
 * The defaults of the options left unset:
 * - 'tuned' (the default): with `multivariate`, the components Watanabe 2023 ("Tree-Structured
 *   Parzen Estimator: Understanding Its Algorithm Components and Their Roles for Better
 *   Empirical Performance") recommends, which measured better on bench:bo: a split of the best
 *   15% (`tunedGamma`), good trials weighted by their improvement, neighbour bandwidths per
 *   dimension with the interval ends as neighbours, a magic clip of max(0.03, (kernels + 1)^−2)
 *   and normalised kernel densities. The univariate estimator keeps Optuna 3.1's defaults (the
 *   tuned split and weights measured worse there).
 * - 'optuna-3.1': Optuna 3.1's TPESampler exactly (its densities, split and weights).
 * Options given explicitly override either.
 */
export type TpePreset = 'tuned' | 'optuna-3.1';

export interface TpeOptions {
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /** Where the other options take their defaults (default 'tuned'; see `TpePreset`). */
  readonly preset?: TpePreset;
  /** Finished trials drawn at random before TPE takes over (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from the good-trial density per suggestion (default 24). */
  readonly nEiCandidates?: number;
  /**
   * Number of "good" trials given the number of finished ones (default `defaultGamma`, 10%;
   * `tunedGamma`, 15%, for the tuned joint density).
   */
  readonly gamma?: (finished: number) => number;
  /** Weights of n observations, oldest first (default `defaultWeights`: old ones ramp down). */
  readonly weights?: (n: number) => Float64Array;
  /** Weight of the prior kernel against one observation (default 1). */
  readonly priorWeight?: number;
  /**
   * Let the interval ends bound the bandwidth of the outermost observations (default false;
   * true for the tuned joint density).
   */
  readonly considerEndpoints?: boolean;
  /** Clip bandwidths below (default true; see `minBandwidthFactor`). */
  readonly considerMagicClip?: boolean;
  /**
   * Rank candidates as Optuna 3.1 does (default true; false for the tuned joint density, which
   * is scored by its normalised density as Optuna 3.2 and later do): in log l(x) − log g(x), a continuous
   * parameter's kernel counts with weight proportional to its bandwidth, since Optuna 3.1's
   * truncated-normal log-density leaves out its − log σ. Wide kernels, the prior's first, then
   * weigh more against the narrow ones around single observations; with univariate densities it
   * finds lower values on bench:bo than the normalised ones (`false`). Draws come from l either way.
   */
  readonly bandwidthWeightedScore?: boolean;
  /**
   * Magic clip floor: no bandwidth below this fraction of the range (default 0.01, Optuna's
   * 1 / 100; 0.03 for the tuned joint density). The clip is
   * max(minBandwidthFactor, (kernels + 1)^−magicClipExponent).
   */
  readonly minBandwidthFactor?: number;
  /** Magic clip exponent (default 1, Optuna's 1 / (kernels + 1); 2 for the tuned joint density). */
  readonly magicClipExponent?: number;
  /**
   * Bandwidths of the joint (multivariate) density (default 'neighbours': each dimension gets the
   * univariate rule's distances to neighbouring observations; 'optuna-3.1': 'scott', Optuna's one
   * shared 0.2 · n^(−1/(d+4))).
   */
  readonly jointBandwidth?: 'scott' | 'neighbours';
  /**
   * Weigh the good trials by their improvement on the best bad trial, max(1e-12, y* − y), and
   * the prior as their mean (default false, `weights` for both groups; true for the tuned joint
   * density).
   */
  readonly improvementWeights?: boolean;
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

/**
 * The tuned split (Watanabe 2023's linear split, β = 0.15): min(ceil(0.15 · n), 25) good
 * trials out of n (in integer arithmetic, so that 0.15 · n is never rounded past an integer).
 */
export function tunedGamma(finished: number): number {
  return Math.min(Math.ceil((15 * finished) / 100), 25);
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

type PresetDefaults = Omit<ResolvedTpeOptions, 'seed' | 'preset' | 'multivariate'>;

const OPTUNA_31: PresetDefaults = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  gamma: defaultGamma,
  weights: defaultWeights,
  priorWeight: 1,
  considerEndpoints: false,
  considerMagicClip: true,
  bandwidthWeightedScore: true,
  minBandwidthFactor: 0.01,
  magicClipExponent: 1,
  jointBandwidth: 'scott',
  improvementWeights: false,
  constantLiar: true,
};

/** The defaults of `preset` (only the joint estimator is tuned). */
function presetDefaults(preset: TpePreset, multivariate: boolean): PresetDefaults {
  // The univariate estimator keeps Optuna 3.1's defaults: with the tuned split and weights it
  // lost on Rosenbrock-10 (1.7x Optuna's median over 30 seeds) and Michalewicz-5.
  if (preset === 'optuna-3.1' || !multivariate) return OPTUNA_31;
  return {
    ...OPTUNA_31,
    gamma: tunedGamma,
    improvementWeights: true,
    considerEndpoints: true,
    bandwidthWeightedScore: false,
    minBandwidthFactor: 0.03,
    magicClipExponent: 2,
    jointBandwidth: 'neighbours',
  };
}

export function resolveTpeOptions(options: TpeOptions): ResolvedTpeOptions {
  const preset = options.preset ?? 'tuned';
  if (preset !== 'tuned' && preset !== 'optuna-3.1') {
    invalid('preset', "'tuned' or 'optuna-3.1'", preset);
  }
  const multivariate = options.multivariate ?? false;
  const defaults = presetDefaults(preset, multivariate);
  // the options given (undefined counts as not given) over the preset's defaults
  const given = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<ResolvedTpeOptions>;
  const resolved: ResolvedTpeOptions = {
    ...defaults,
    ...given,
    seed: options.seed ?? 0,
    preset,
    multivariate,
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
  if (
    !Number.isFinite(resolved.minBandwidthFactor) ||
    resolved.minBandwidthFactor <= 0 ||
    resolved.minBandwidthFactor > 1
  ) {
    invalid('minBandwidthFactor', 'a number in (0, 1]', resolved.minBandwidthFactor);
  }
  if (!(resolved.magicClipExponent > 0)) {
    invalid('magicClipExponent', 'a number > 0', resolved.magicClipExponent);
  }
  if (resolved.jointBandwidth !== 'scott' && resolved.jointBandwidth !== 'neighbours') {
    invalid('jointBandwidth', "'scott' or 'neighbours'", resolved.jointBandwidth);
  }
  if (typeof resolved.gamma !== 'function')
    invalid('gamma', 'a function (finished trials) => good trials', resolved.gamma);
  if (typeof resolved.weights !== 'function')
    invalid('weights', 'a function (n) => Float64Array of n weights', resolved.weights);
  return resolved;
}
