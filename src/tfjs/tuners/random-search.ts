/** Keras Tuner's `RandomSearch`: the tuner with a seeded random-search oracle. */
import { RandomSearchOracle } from '../../oracles/index.js';
import { Tuner, checkKnownOptions } from './tuner.js';
import type { TunerOptions } from './tuner-types.js';
import { TUNER_OPTION_NAMES } from './tuner-types.js';

export type RandomSearchTunerOptions = TunerOptions;

export class RandomSearch extends Tuner {
  /** `maxTrials` defaults to 10, as in Keras Tuner. */
  constructor(options: RandomSearchTunerOptions) {
    checkKnownOptions(options, TUNER_OPTION_NAMES, 'RandomSearch');
    super({
      ...options,
      maxTrials: options.maxTrials ?? 10,
      oracle: () => new RandomSearchOracle({ seed: options.seed ?? 0 }),
    });
  }
}
