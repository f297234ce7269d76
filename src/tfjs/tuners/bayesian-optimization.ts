/**
 * Keras Tuner's `BayesianOptimization`: a Gaussian-process oracle (expected improvement or
 * upper confidence bound) after `numInitialPoints` space-filling trials.
 */
import { BayesianOptimizationOracle } from '../../oracles/index.js';
import type { BayesianOptimizationOptions } from '../../oracles/index.js';
import { Tuner, checkKnownOptions } from './tuner.js';
import type { TunerOptions } from './tuner-types.js';
import { TUNER_OPTION_NAMES } from './tuner-types.js';

export interface BayesianOptimizationTunerOptions extends TunerOptions {
  /** Trials before the Gaussian process takes over (default: from the space's size). */
  readonly numInitialPoints?: number;
  /** 'ei' (expected improvement, default) or 'ucb'. */
  readonly acquisition?: 'ei' | 'ucb';
  /** Noise added to the GP's diagonal (default 1e-4). */
  readonly alpha?: number;
  /** UCB's exploration weight (default 2.6). */
  readonly beta?: number;
  /** The GP's prior that the faces of the search box are worse than its inside (default 1; 0 as in Keras Tuner). */
  readonly interiorPrior?: number;
}

export class BayesianOptimization extends Tuner {
  /** `maxTrials` defaults to 10, as in Keras Tuner. */
  constructor(options: BayesianOptimizationTunerOptions) {
    checkKnownOptions(
      options,
      [
        ...TUNER_OPTION_NAMES,
        ...Object.keys({
          numInitialPoints: true,
          acquisition: true,
          alpha: true,
          beta: true,
          interiorPrior: true,
        } satisfies Record<
          Exclude<keyof BayesianOptimizationTunerOptions, keyof TunerOptions>,
          true
        >),
      ],
      'BayesianOptimization',
    );
    const { numInitialPoints, acquisition, alpha, beta, interiorPrior, seed } = options;
    const oracleOptions: BayesianOptimizationOptions = {
      seed: seed ?? 0,
      ...(numInitialPoints === undefined ? {} : { numInitialPoints }),
      ...(acquisition === undefined ? {} : { acquisition }),
      ...(alpha === undefined ? {} : { alpha }),
      ...(beta === undefined ? {} : { beta }),
      ...(interiorPrior === undefined ? {} : { interiorPrior }),
    };
    super({
      ...options,
      maxTrials: options.maxTrials ?? 10,
      oracle: () => new BayesianOptimizationOracle(oracleOptions),
    });
  }
}
