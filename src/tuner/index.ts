export { Study, ORACLE_CHOICE_ATTR } from './study.js';
export type { OpenStudyOptions } from './study.js';
export type { ConstraintsFunction } from './constraints.js';
export { RunningTrial } from './running-trial.js';
export type {
  AskOptions,
  AskOutcome,
  ReportListener,
  SearchTarget,
  TellResult,
  TrialHost,
} from './running-trial.js';
export { optimize } from './optimize.js';
export type { OptimizeOptions, OptimizeResult } from './optimize.js';
export { runTrial, averageResults, countsAsFailure } from './run-trial.js';
export type { ObjectiveFunction, ObjectiveResult, RunTrialOptions } from './run-trial.js';
/** What an objective receives: the trial's handle (the name kept from before the handle). */
export type { RunningTrial as TrialContext } from './running-trial.js';
export type { SearchCallbacks, SearchStartInfo, TrialEndInfo } from './callbacks.js';
export type { VerboseLevel } from './verbose.js';
export { FailedTrialError, FatalError, TrialPrunedError } from './errors.js';
export {
  makeWorkerId,
  makeExternalWorkerId,
  isExternalWorker,
  isLocalWorkerAlive,
} from './worker-identity.js';
export { formatResultsSummary, formatSearchSpaceSummary } from './summary.js';
