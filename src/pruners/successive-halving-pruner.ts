/**
 * Asynchronous successive halving (ASHA, as Optuna's `SuccessiveHalvingPruner`). Rung k is at
 * step `minResource * reductionFactor^(minEarlyStoppingRate + k)`. When a trial reaches a rung,
 * it goes on only if its value there is in the top 1/reductionFactor of the values of all
 * trials that reached that rung so far (itself included); with fewer than reductionFactor
 * such trials, only the best goes on. Nothing is stored: a trial's value at a rung is the
 * value at its first reported step at or after the rung's step.
 */
import type { Trial } from '../trials/index.js';
import { toLoss } from '../trials/index.js';
import { lastStep, previousStep, prunedDirection, valueAt, valueReaching } from './intermediate.js';
import type { Pruner, PrunerView } from './pruner.js';
import { integerOption } from './pruner-options.js';

export interface SuccessiveHalvingPrunerOptions {
  /**
   * Step of the first rung (with minEarlyStoppingRate 0), an integer >= 1. Default 1. Steps
   * are whatever the objective reports: the tfjs tuners report the 0-based epoch index, so
   * there the rung at step s is decided after s + 1 epochs (minResource 1: after epoch 2).
   */
  readonly minResource?: number;
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
  }

  /** The step of rung `k` (0-based). */
  rungStep(k: number): number {
    return this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + k);
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
