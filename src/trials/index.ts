export { TrialStatus, TRIAL_STATUSES, isFinished, trialDurationMs } from './trial.js';
export type { Trial, IntermediateValue, JsonValue } from './trial.js';
export {
  Direction,
  inferDirection,
  parseObjective,
  parseObjectives,
  isBetter,
  toLoss,
} from './objective.js';
export type { Objective, ObjectiveSpec } from './objective.js';
export { rankTrials, paretoFront, dominates, lossVector } from './ranking.js';
export {
  CONSTRAINTS_ATTR,
  constraintValues,
  violationOf,
  trialViolation,
  isFeasible,
  hasConstraints,
} from './constraints.js';
export { constrainedDominates, nondominatedFronts, nondominationRanks } from './fronts.js';
export type { SortPoint } from './fronts.js';
export {
  LOST_TRIAL_ERROR,
  budgetDone,
  budgetUsed,
  isLostTrial,
  isQueuedByUser,
  isSuperseded,
} from './budget.js';
