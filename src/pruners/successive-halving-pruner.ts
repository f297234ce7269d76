/**
 * Asynchronous successive halving (ASHA, as Optuna's `SuccessiveHalvingPruner`). Rung k is at
 * resource `minResource * reductionFactor^(minEarlyStoppingRate + k)`; a report at step s has
 * used `s + 1 - firstStep` units of resource (with the default firstStep 1, Optuna's
 * convention, the rung's step is its resource). When a trial reaches a rung,
 * it goes on only if its value there is in the top 1/reductionFactor of the values of all
 * trials that reached that rung so far (itself included); with fewer than reductionFactor
 * such trials, only the best goes on. Nothing is stored: a trial's value at a rung is the
 * value at its first reported step at or after the rung's step.
 */
import type { Trial } from '../trials/index.js';
import { toLoss } from '../trials/index.js';
import { lastStep, previousStep, prunedDirection, valueAt, valueReaching } from './intermediate.js';
import type { Pruner, PrunerView } from './pruner.js';
import { integerOption, oneOfOption } from './pruner-options.js';

export interface SuccessiveHalvingPrunerOptions {
  /**
   * Resource of the first rung (with minEarlyStoppingRate 0), an integer >= 1. Default 1.
   */
  readonly minResource?: number;
  /**
   * The step an objective reports after its first unit of resource: 1 (default, Optuna's
   * convention: the step counts the resource used) or 0 for 0-based steps, such as the epoch
   * index the tfjs tuners report. With 0, `minResource: 1` decides the first rung after the
   * first epoch (step 0), as Hyperband's first round; with 1, after the second (step 1).
   */
  readonly firstStep?: 0 | 1;
  /** Rungs are this factor apart; the top 1/reductionFactor go on. Default 4. */
  readonly reductionFactor?: number;
  /** Shifts the first rung to minResource * reductionFactor^minEarlyStoppingRate. Default 0. */
  readonly minEarlyStoppingRate?: number;
}

/** Whether `loss` is among the best `1 / reductionFactor` of `competing` (which includes it). */
export function isPromotable(
  loss: number,
  competing: readonly number[],
  reductionFactor: number,
): boolean {
  const sorted = [...competing].sort((a, b) => a - b);
  const index = Math.max(0, Math.floor(sorted.length / reductionFactor) - 1);
  return loss <= (sorted[index] as number);
}

export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'successive-halving';
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly firstStep: 0 | 1;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    this.minResource = integerOption(
      'SuccessiveHalvingPruner',
      'minResource',
      options.minResource,
      1,
      1,
    );
    this.reductionFactor = integerOption(
      'SuccessiveHalvingPruner',
      'reductionFactor',
      options.reductionFactor,
      4,
      2,
    );
    this.minEarlyStoppingRate = integerOption(
      'SuccessiveHalvingPruner',
      'minEarlyStoppingRate',
      options.minEarlyStoppingRate,
      0,
      0,
    );
    this.firstStep = oneOfOption('SuccessiveHalvingPruner', 'firstStep', options.firstStep, 1, [
      0, 1,
    ] as const);
  }

  /** The step of rung `k` (0-based): where its resource is used up. */
  rungStep(k: number): number {
    const resource = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + k);
    return resource - 1 + this.firstStep;
  }

  shouldPrune(view: PrunerView, trial: Trial): boolean {
    const direction = prunedDirection(view, this.name);
    const step = lastStep(trial);
    if (direction === undefined || step === undefined) return false;
    const value = valueAt(trial, step);
    if (value === undefined) return false;
    const before = previousStep(trial, step);
    // the rungs this report reaches for the first time
    for (let k = 0; this.rungStep(k) <= step; k++) {
      const rung = this.rungStep(k);
      if (rung <= before) continue;
      if (Number.isNaN(value)) return true;
      const competing = [toLoss(value, direction)];
      for (const other of view.trials) {
        if (other.id === trial.id) continue;
        const v = valueReaching(other, rung);
        if (v !== undefined && !Number.isNaN(v)) competing.push(toLoss(v, direction));
      }
      if (!isPromotable(toLoss(value, direction), competing, this.reductionFactor)) return true;
    }
    return false;
  }
}
