/** Keras Tuner's `GridSearch`: every configuration of the (stepped) space in order, each once. */
import { GridSearchOracle } from '../../oracles/index.js';
import { Tuner, checkKnownOptions } from './tuner.js';
import type { TunerOptions } from './tuner-types.js';
import { TUNER_OPTION_NAMES } from './tuner-types.js';

export type GridSearchTunerOptions = TunerOptions;

export class GridSearch extends Tuner {
  /** Without `maxTrials` the search runs until the grid is used up. */
  constructor(options: GridSearchTunerOptions) {
    checkKnownOptions(options, TUNER_OPTION_NAMES, 'GridSearch');
    super({ ...options, oracle: () => new GridSearchOracle() });
  }
}
