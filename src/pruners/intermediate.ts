/**
 * Reading a trial's learning curve (its intermediate values by step), for pruners.
 */
import { HypertunerError } from '../space/index.js';
import type { Direction, Trial } from '../trials/index.js';
import type { PrunerView } from './pruner.js';

/** The largest step the trial has reported, or undefined before its first report. */
export function lastStep(trial: Trial): number | undefined {
  let last: number | undefined;
  for (const iv of trial.intermediate) if (last === undefined || iv.step > last) last = iv.step;
  return last;
}

/** The largest reported step before `step`, or -Infinity when there is none. */
export function previousStep(trial: Trial, step: number): number {
  let previous = -Infinity;
  for (const iv of trial.intermediate) if (iv.step < step && iv.step > previous) previous = iv.step;
  return previous;
}

/** The value reported at exactly `step`, or undefined. */
export function valueAt(trial: Trial, step: number): number | undefined {
  let value: number | undefined;
  for (const iv of trial.intermediate) if (iv.step === step) value = iv.value;
  return value;
}

/** The value at the first reported step at or after `step` (when the trial reached it), or undefined. */
export function valueReaching(trial: Trial, step: number): number | undefined {
  let best: { step: number; value: number } | undefined;
  for (const iv of trial.intermediate) {
    if (iv.step >= step && (best === undefined || iv.step < best.step))
      best = { step: iv.step, value: iv.value };
  }
  return best?.value;
}

/**
 * The direction of the study's single objective. Pruning compares one value per step, so a
 * study with several objectives is rejected with `PRUNING_MULTI_OBJECTIVE`.
 */
export function prunedDirection(view: PrunerView, prunerName: string): Direction | undefined {
  if (view.objectives.length > 1)
    throw pruningMultiObjectiveError(view.objectives.length, prunerName);
  return view.objectives[0]?.direction;
}

/** The error for a pruner used on a study of several objectives. */
export function pruningMultiObjectiveError(
  objectives: number,
  prunerName: string,
): HypertunerError {
  return new HypertunerError(
    'PRUNING_MULTI_OBJECTIVE',
    `pruner: the ${prunerName} pruner compares one objective's learning curves, but this study has ${objectives} objectives; remove the pruner or tune a single objective.`,
    { field: 'pruner' },
  );
}
