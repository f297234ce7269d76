/**
 * Hooks around the search loop: progress bars, logging, early stopping. All optional.
 */
import type { OracleDescription } from '../oracles/index.js';
import type { Objective, Trial } from '../trials/index.js';

/** What `onSearchStart` is told. */
export interface SearchStartInfo {
  readonly studyName: string;
  readonly objectives: readonly Objective[];
  /** The study's total number of trials (`maxTrials`), when there is one. */
  readonly budget: number | undefined;
  /** Trials this call may run (`nTrials`), when capped. */
  readonly nTrials: number | undefined;
  /** No trial starts after this many milliseconds (`timeoutMs`), when given. */
  readonly timeoutMs: number | undefined;
  /** Finished trials of the study that count toward `budget` (earlier runs, other workers). */
  readonly alreadyDone: number;
  /** Trials RUNNING when the search starts (in other workers, or left by a crash). */
  readonly running: number;
}

/** What `onTrialEnd` is told besides the trial and the best trial so far. */
export interface TrialEndInfo {
  /** Finished trials of the study that count toward the budget, this one included. */
  readonly done: number;
  /** Several objectives: the size of the Pareto front now. */
  readonly paretoFront: number | undefined;
  /**
   * The trial timed out and its objective was still running a while after its signal was
   * aborted (it ignores the signal): its work goes on in the background of this process.
   */
  readonly abandoned: boolean;
}

export interface SearchCallbacks {
  /** The search starts, before its first trial. */
  onSearchStart?(info: SearchStartInfo): void;
  /**
   * The oracle chose a method for the trial about to start, other than the last one it
   * reported (an oracle that chooses, such as `AutoOracle`): which, and why.
   */
  onOracleChoice?(choice: OracleDescription): void;
  onTrialStart?(trial: Trial): void;
  /** A trial reported a value at `step`. */
  onTrialReport?(trial: Trial, step: number, metrics: Readonly<Record<string, number>>): void;
  onTrialEnd?(trial: Trial, best: Trial | undefined, info: TrialEndInfo): void;
  /** The loop ended; `reason` says why. */
  onSearchEnd?(info: { readonly reason: string; readonly trialsRun: number }): void;
}
