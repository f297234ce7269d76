/**
 * Options of the CMA-ES oracle, with Optuna's `CmaEsSampler` defaults, and their validation.
 */
import type { ParamValues } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';
import type { Trial } from '../../trials/index.js';

export type RestartStrategy = 'none' | 'ipop' | 'bipop';

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
  if (!(Number.isInteger(resolved.incPopulation) && resolved.incPopulation >= 2))
    invalid('incPopulation', 'an integer >= 2', resolved.incPopulation);
  if (
    resolved.sourceTrials !== undefined &&
    (resolved.x0 !== undefined || resolved.sigma0 !== undefined)
  )
    invalid('sourceTrials', 'given without x0 and sigma0', 'x0 or sigma0 as well');
  return resolved;
}
