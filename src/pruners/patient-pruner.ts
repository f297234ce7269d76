/**
 * Patience (after Optuna's `PatientPruner`): a trial is pruned only when it has not improved
 * by more than `minDelta` during its last `patience` steps AND the wrapped pruner (if any)
 * says prune. Without a wrapped pruner, patience alone decides (early stopping).
 */
import { HypertunerError } from '../space/index.js';
import type { Trial } from '../trials/index.js';
import { toLoss } from '../trials/index.js';
import { prunedDirection } from './intermediate.js';
import type { Pruner, PrunerView } from './pruner.js';
import { integerOption, numberOption } from './pruner-options.js';

export interface PatientPrunerOptions {
  /** The pruner asked once the trial has stalled; undefined: prune as soon as it stalls. */
  readonly wrapped?: Pruner | undefined;
  /** Steps without improvement to tolerate (an integer >= 0; required). */
  readonly patience: number;
  /** Improvements up to this size do not count. Default 0. */
  readonly minDelta?: number;
}

/**
 * Whether none of the last `patience` reported steps improved on the best loss before them
 * by more than `minDelta` (false while the trial has no step before that window). This is
 * Keras' EarlyStopping rule: with patience 3, a trial whose best was at step 2 has stalled at
 * step 5 (Optuna's PatientPruner waits one step longer). Patience 0 is always stalled (the
 * wrapped pruner alone decides). Unlike Optuna's `min_delta`, which tolerates a worsening,
 * `minDelta` here is the smallest change that counts as an improvement.
 */
export function hasStalled(
  trial: Trial,
  losses: (value: number) => number,
  patience: number,
  minDelta: number,
): boolean {
  const curve = [...trial.intermediate]
    .sort((a, b) => a.step - b.step)
    .map((iv) => losses(iv.value));
  if (curve.length <= patience) return false;
  if (patience === 0) return true;
  const split = curve.length - patience;
  const bestBefore = nanMin(curve.slice(0, split));
  const bestAfter = nanMin(curve.slice(split));
  if (Number.isNaN(bestAfter)) return true;
  if (Number.isNaN(bestBefore)) return false;
  return !(bestAfter < bestBefore - minDelta);
}

function nanMin(values: readonly number[]): number {
  let min = NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v >= min)) min = v;
  return min;
}

export class PatientPruner implements Pruner {
  readonly name: string;
  readonly wrapped: Pruner | undefined;
  readonly patience: number;
  readonly minDelta: number;

  /** Throws `PRUNER_INVALID_OPTION`, naming the option, when an option is missing or invalid. */
  constructor(options: PatientPrunerOptions) {
    const wrapped: unknown = options.wrapped;
    if (
      wrapped !== undefined &&
      typeof (wrapped as Partial<Pruner> | null)?.shouldPrune !== 'function'
    ) {
      throw new HypertunerError(
        'PRUNER_INVALID_OPTION',
        `PatientPruner option 'wrapped' must be a pruner (an object with a shouldPrune(view, trial) method) or undefined; got ${wrapped === null ? 'null' : typeof wrapped}.`,
        { field: 'wrapped' },
      );
    }
    this.wrapped = options.wrapped;
    if (options.patience === undefined) {
      throw new HypertunerError(
        'PRUNER_INVALID_OPTION',
        "PatientPruner option 'patience' is required: the number of steps without improvement to tolerate (an integer >= 0).",
        { field: 'patience' },
      );
    }
    this.patience = integerOption('PatientPruner', 'patience', options.patience, 0, 0);
    this.minDelta = numberOption('PatientPruner', 'minDelta', options.minDelta, 0, 0);
    this.name = this.wrapped === undefined ? 'patient' : `patient(${this.wrapped.name})`;
  }

  shouldPrune(view: PrunerView, trial: Trial): boolean {
    const direction = prunedDirection(view, this.name);
    if (direction === undefined) return false;
    if (!hasStalled(trial, (v) => toLoss(v, direction), this.patience, this.minDelta)) return false;
    return this.wrapped === undefined ? true : this.wrapped.shouldPrune(view, trial);
  }
}
