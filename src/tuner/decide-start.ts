/**
 * What `study.ask()` decides inside the storage's transaction: claim a queued trial, create one
 * the oracle proposes, or start nothing (wait, exhausted, stop). A pure function of the snapshot
 * and its options, as `Storage.startTrial` requires (a retried transaction runs it again).
 */
import type { Oracle } from '../oracles/index.js';
import type { ParamValues } from '../space/index.js';
import type { StartDecision, StudySnapshot } from '../storage/index.js';
import { budgetUsed, isQueuedByUser } from '../trials/index.js';
import { plural } from '../plural.js';

export interface DecideStartOptions {
  readonly oracle: Oracle;
  /** The asking worker: trials RUNNING under other workers may yet be lost and re-queued. */
  readonly workerId: string;
  /** The study's total number of trials, if capped. */
  readonly maxTrials: number | undefined;
  /** Values the new trial must have (the oracle proposes the others given them). */
  readonly fixed: ParamValues;
}

/** The decision for `startTrial` (see `Study.ask`). */
export function decideStart(snapshot: StudySnapshot, options: DecideStartOptions): StartDecision {
  const { study, trials } = snapshot;
  const { maxTrials, fixed } = options;
  // Queued trials count once they start; a retry replaces a trial already counted.
  const budgetLeft = maxTrials === undefined || budgetUsed(trials) < maxTrials;
  const waiting = trials.find(
    (t) => t.status === 'WAITING' && (budgetLeft || t.retryOf !== undefined),
  );
  if (waiting !== undefined) return { kind: 'claim', trialId: waiting.id };
  if (!budgetLeft) {
    // Trials still running elsewhere may yet be lost and re-queued: wait for them to end.
    const elsewhere = trials.filter(
      (t) => t.status === 'RUNNING' && t.workerId !== options.workerId,
    ).length;
    if (elsewhere > 0) {
      return {
        kind: 'wait',
        reason: `waiting for ${plural(elsewhere, 'trial')} running in other workers to end (maxTrials is reached)`,
      };
    }
    const queued = trials.filter(isQueuedByUser).length;
    return {
      kind: 'stop',
      reason: `the study has its ${plural(maxTrials, 'trial')} (maxTrials)${queued > 0 ? `; ${plural(queued, 'queued trial')} left waiting` : ''}`,
    };
  }
  const hasFixed = Object.keys(fixed).length > 0;
  const answer = options.oracle.ask({
    space: study.space,
    objectives: study.objectives,
    trials,
    ...(hasFixed ? { fixed } : {}),
  });
  switch (answer.kind) {
    case 'trial':
      return {
        kind: 'create',
        // fixed names the space does not know yet reach the trial through its proposal
        params: hasFixed ? { ...fixed, ...answer.params } : answer.params,
        ...(answer.oracleAttrs === undefined ? {} : { oracleAttrs: answer.oracleAttrs }),
      };
    case 'wait':
      return { kind: 'wait', reason: answer.reason };
    case 'exhausted':
      return { kind: 'exhausted', reason: answer.reason };
  }
}
