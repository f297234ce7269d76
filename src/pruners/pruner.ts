/**
 * The pruner contract: from a running trial's intermediate values and the study's other
 * trials, decide whether to stop it early. Pure, like oracles.
 */
import type { Objective, Trial } from '../trials/index.js';

export interface PrunerView {
  readonly objectives: readonly Objective[];
  /** All trials of the study, by number. */
  readonly trials: readonly Trial[];
}

export interface Pruner {
  readonly name: string;
  /** Whether `trial` (RUNNING, with its intermediate values so far) should stop now. */
  shouldPrune(view: PrunerView, trial: Trial): boolean;
}
