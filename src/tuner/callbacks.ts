/**
 * Hooks around the search loop: progress bars, logging, early stopping. All optional.
 */
import type { OracleDescription } from '../oracles/index.js';
import type { Trial } from '../trials/index.js';

export interface SearchCallbacks {
  /** The search starts; `budget` is the trial budget when there is one. */
  onSearchStart?(info: {
    readonly studyName: string;
    readonly budget: number | undefined;
    readonly alreadyDone: number;
  }): void;
  /**
   * The oracle chose a method for the trial about to start, other than the last one it
   * reported (an oracle that chooses, such as `AutoOracle`): which, and why.
   */
  onOracleChoice?(choice: OracleDescription): void;
  onTrialStart?(trial: Trial): void;
  /** A trial reported a value at `step`. */
  onTrialReport?(trial: Trial, step: number, metrics: Readonly<Record<string, number>>): void;
  onTrialEnd?(trial: Trial, best: Trial | undefined): void;
  /** The loop ended; `reason` says why. */
  onSearchEnd?(info: { readonly reason: string; readonly trialsRun: number }): void;
}
