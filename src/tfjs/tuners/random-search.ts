/** Keras Tuner's `RandomSearch`: the tuner with a seeded random-search oracle. */
import { RandomSearchOracle } from '../../oracles/index.js';
import { Tuner } from './tuner.js';
import type { TunerOptions } from './tuner-types.js';

export type RandomSearchTunerOptions = TunerOptions;

export class RandomSearch extends Tuner {
  /** `maxTrials` defaults to 10, as in Keras Tuner. */
  constructor(options: RandomSearchTunerOptions) {
    super({
      ...options,
      maxTrials: options.maxTrials ?? 10,
      oracle: () => new RandomSearchOracle({ seed: options.seed ?? 0 }),
    });
  }
}
