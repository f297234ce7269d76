/**
 * Keras Tuner's `Hyperband`: brackets of successive halving. Each trial trains for the epochs
 * its oracle says (`search`'s `epochs` is ignored); promoted trials continue from their
 * parent's best-epoch checkpoint.
 */
import { HyperbandOracle } from '../../oracles/index.js';
import type { HyperbandPlanOptions } from '../../oracles/index.js';
import { Tuner } from './tuner.js';
import type { TunerOptions } from './tuner-types.js';

export interface HyperbandTunerOptions
  extends Omit<TunerOptions, 'maxTrials'>, HyperbandPlanOptions {}

export class Hyperband extends Tuner {
  constructor(options: HyperbandTunerOptions) {
    const { maxEpochs, factor, minEpochs, hyperbandIterations, seed } = options;
    const planOptions = Object.fromEntries(
      Object.entries({ maxEpochs, factor, minEpochs, hyperbandIterations }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as HyperbandPlanOptions;
    super({ ...options, oracle: () => new HyperbandOracle({ ...planOptions, seed: seed ?? 0 }) });
  }
}
