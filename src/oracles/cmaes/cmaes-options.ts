/**
 * Options of the CMA-ES oracle, with Optuna's `CmaEsSampler` defaults, and their validation.
 */
import type { ParamValues } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';
import type { Trial } from '../../trials/index.js';

export type RestartStrategy = 'none' | 'ipop' | 'bipop';

/** `lq`: lq-CMA-ES's linear-quadratic surrogate (Hansen 2019); `none`: plain CMA-ES (Optuna's). */
export type CmaEsSurrogate = 'none' | 'lq';

export interface CmaEsOptions {
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /** Finished trials drawn at random before CMA-ES starts (default 1, as Optuna). */
  readonly nStartupTrials?: number;
  /**
   * The initial mean: values of some numeric parameters (the others start at the centre of
   * their range). Not with `sourceTrials`.
   */
  readonly x0?: ParamValues;
  /**
   * The initial step size, in units of the search box scaled to [0, 1] per parameter
   * (default 1/6: Optuna's min(range) / 6 on the scaled box). Not with `sourceTrials`.
   */
  readonly sigma0?: number;
  /** Population size λ (default 4 + ⌊3 ln d⌋ for d numeric parameters). */
  readonly populationSize?: number;
  /**
   * Restart when a run has converged (the `cmaes` package's stopping tests): `ipop` doubles
   * the population each time (`incPopulation`), `bipop` alternates large runs like IPOP's with
   * small runs of random size, as much budget on each (Hansen 2009); each restart starts from a
   * random mean. Default `none` (Optuna's default).
   */
  readonly restartStrategy?: RestartStrategy;
  /** Population growth per IPOP restart, or per large BIPOP run (default 2). */
  readonly incPopulation?: number;
  /**
   * Warm start (WS-CMA-ES, Nomura et al. 2021): completed trials of a similar study over the
   * same numeric parameters. The initial mean, step size and covariance fit their best 10%
   * (at least 10 trials are needed). Not with `x0` or `sigma0`.
   */
  readonly sourceTrials?: readonly Trial[];
  /**
   * `lq` (lq-CMA-ES, Hansen 2019): each generation draws its λ candidates at once, a
   * linear-quadratic regression on the recent trials ranks them, and the best-ranked are
   * proposed one at a time until the model ranks the evaluated ones right (Kendall τ ≥ 0.85);
   * the rest are told with the model's values, so a generation often costs 1-3 trials instead
   * of λ. `none`: every member is evaluated (plain CMA-ES, as Optuna's `CmaEsSampler`).
   * Default `none`.
   */
  readonly surrogate?: CmaEsSurrogate;
}

export interface ResolvedCmaEsOptions {
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly x0: ParamValues | undefined;
  readonly sigma0: number | undefined;
  readonly populationSize: number | undefined;
  readonly restartStrategy: RestartStrategy;
  readonly incPopulation: number;
  readonly sourceTrials: readonly Trial[] | undefined;
  readonly surrogate: CmaEsSurrogate;
}

function invalid(field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'CMAES_INVALID_OPTION',
    `CmaEsOracle option '${field}' must be ${allowed}; got ${String(value)}.`,
    { field },
  );
}

export function resolveCmaEsOptions(options: CmaEsOptions): ResolvedCmaEsOptions {
  const resolved: ResolvedCmaEsOptions = {
    seed: options.seed ?? 0,
    nStartupTrials: options.nStartupTrials ?? 1,
    x0: options.x0,
    sigma0: options.sigma0,
    populationSize: options.populationSize,
    restartStrategy: options.restartStrategy ?? 'none',
    incPopulation: options.incPopulation ?? 2,
    sourceTrials: options.sourceTrials,
    surrogate: options.surrogate ?? 'none',
  };
  if (!Number.isFinite(resolved.seed)) invalid('seed', 'a finite number', resolved.seed);
  if (!Number.isInteger(resolved.nStartupTrials) || resolved.nStartupTrials < 0)
    invalid('nStartupTrials', 'an integer >= 0', resolved.nStartupTrials);
  if (resolved.sigma0 !== undefined && !(resolved.sigma0 > 0 && Number.isFinite(resolved.sigma0)))
    invalid('sigma0', 'a finite number > 0', resolved.sigma0);
  if (
    resolved.populationSize !== undefined &&
    !(Number.isInteger(resolved.populationSize) && resolved.populationSize >= 2)
  )
    invalid('populationSize', 'an integer >= 2', resolved.populationSize);
  if (!['none', 'ipop', 'bipop'].includes(resolved.restartStrategy))
    invalid('restartStrategy', "'none', 'ipop' or 'bipop'", resolved.restartStrategy);
  if (!['none', 'lq'].includes(resolved.surrogate))
    invalid('surrogate', "'none' or 'lq'", resolved.surrogate);
  if (!(Number.isInteger(resolved.incPopulation) && resolved.incPopulation >= 2))
    invalid('incPopulation', 'an integer >= 2', resolved.incPopulation);
  if (
    resolved.sourceTrials !== undefined &&
    (resolved.x0 !== undefined || resolved.sigma0 !== undefined)
  )
    invalid('sourceTrials', 'given without x0 and sigma0', 'x0 or sigma0 as well');
  return resolved;
}
