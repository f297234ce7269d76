/**
 * Watching this process's own trials in `search` and `worker`: which one runs now, and whether
 * one was abandoned (it timed out and its objective ignored the abort signal). And the guard
 * against an objective whose promise can never settle: when nothing is left to run in the
 * process while a trial runs, Node would end it silently with exit code 13; the command says
 * why instead, leaving the trial RUNNING (a resumed search runs it again).
 */
import { HypertunerError } from '../index.js';
import type { SearchCallbacks, Trial } from '../index.js';
import { errorReport } from './errors.js';

export interface TrialGuard {
  /** Callbacks to add to the search's. */
  readonly callbacks: SearchCallbacks;
  /** The first trial this process abandoned, if any. */
  readonly abandoned: Trial | undefined;
  /** Removes the guard. */
  dispose(): void;
}

/** `onAbandoned` is called once, for the first trial this process abandons. */
export function guardTrials(onAbandoned?: (trial: Trial) => void): TrialGuard {
  let current: Trial | undefined;
  let abandoned: Trial | undefined;
  const onBeforeExit = (): void => {
    if (current === undefined) return;
    const error = new HypertunerError(
      'OBJECTIVE_NEVER_SETTLES',
      `Trial #${current.number}'s objective returned a promise that can never settle: nothing is left to run in this process (no timer, no I/O) to settle it. The trial is left RUNNING (a resumed search runs it again); give --trial-timeout <seconds> to fail such trials and go on.`,
      { field: 'program' },
    );
    process.stderr.write(`${errorReport(error, false)}\n`);
    process.exit(1);
  };
  process.on('beforeExit', onBeforeExit);
  return {
    callbacks: {
      onTrialStart(trial) {
        current = trial;
      },
      onTrialEnd(trial, _best, info) {
        current = undefined;
        if (info.abandoned && abandoned === undefined) {
          abandoned = trial;
          onAbandoned?.(trial);
        }
      },
    },
    get abandoned() {
      return abandoned;
    },
    dispose() {
      process.off('beforeExit', onBeforeExit);
    },
  };
}
