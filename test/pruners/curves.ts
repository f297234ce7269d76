import type { Objective, PrunerView, Trial, TrialStatus } from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';

/** A trial whose learning curve is `curve` (value at step i = curve[i], steps from `firstStep`). */
export function curveTrial(
  number: number,
  curve: readonly number[],
  status: TrialStatus = 'COMPLETED',
  firstStep = 0,
): Trial {
  const intermediate = curve.map((value, i) => ({
    step: firstStep + i,
    value,
    metrics: { loss: value },
  }));
  const last = curve[curve.length - 1];
  const finished = status === 'COMPLETED' || status === 'PRUNED';
  return trialRecord(number, {
    status,
    intermediate,
    values: finished && last !== undefined ? [last] : undefined,
    heartbeatAt: 0,
  });
}

export const MINIMIZE: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];
export const MAXIMIZE: readonly Objective[] = [{ name: 'accuracy', direction: 'maximize' }];

export function view(
  trials: readonly Trial[],
  objectives: readonly Objective[] = MINIMIZE,
): PrunerView {
  return { objectives, trials };
}

/** `trial` as it stands after reporting the first `steps` values of its curve. */
export function upTo(trial: Trial, steps: number): Trial {
  return {
    ...trial,
    status: 'RUNNING',
    values: undefined,
    intermediate: trial.intermediate.slice(0, steps),
  };
}
