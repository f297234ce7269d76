/**
 * The median stopping rule (Optuna's `MedianPruner`): stop a trial whose value at a step is
 * worse than the median of the other finished trials' values at that same step.
 */
import type { Trial } from '../trials/index.js';
import { toLoss } from '../trials/index.js';
import { lastStep, previousStep, prunedDirection, valueAt } from './intermediate.js';
import type { Pruner, PrunerView } from './pruner.js';
import { integerOption } from './pruner-options.js';

export interface MedianPrunerOptions {
  /** Never prune until this many trials have finished (COMPLETED or PRUNED). Default 5. */
  readonly nStartupTrials?: number;
  /** Never prune a trial before this step. Default 0. */
  readonly nWarmupSteps?: number;
  /** After the warm-up, decide only once per this many steps. Default 1. */
  readonly intervalSteps?: number;
  /** Fewest finished trials with a value at the step for a median to count. Default 1. */
  readonly nMinTrials?: number;
}

/** Whether `step` is the first reported step of its pruning interval (Optuna's rule). */
export function isPruningStep(
  trial: Trial,
  step: number,
  warmupSteps: number,
  intervalSteps: number,
): boolean {
  if (step < warmupSteps) return false;
  const intervalStart =
    Math.floor((step - warmupSteps) / intervalSteps) * intervalSteps + warmupSteps;
  return previousStep(trial, step) < intervalStart;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export class MedianPruner implements Pruner {
  readonly name = 'median';
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(options: MedianPrunerOptions = {}) {
    this.nStartupTrials = integerOption(
      'MedianPruner',
      'nStartupTrials',
      options.nStartupTrials,
      5,
      0,
    );
    this.nWarmupSteps = integerOption('MedianPruner', 'nWarmupSteps', options.nWarmupSteps, 0, 0);
    this.intervalSteps = integerOption(
      'MedianPruner',
      'intervalSteps',
      options.intervalSteps,
      1,
      1,
    );
    this.nMinTrials = integerOption('MedianPruner', 'nMinTrials', options.nMinTrials, 1, 1);
  }

  shouldPrune(view: PrunerView, trial: Trial): boolean {
    const direction = prunedDirection(view, this.name);
    const step = lastStep(trial);
    if (direction === undefined || step === undefined) return false;
    if (!isPruningStep(trial, step, this.nWarmupSteps, this.intervalSteps)) return false;
    const finished = view.trials.filter(
      (t) => t.id !== trial.id && (t.status === 'COMPLETED' || t.status === 'PRUNED'),
    );
    if (finished.length === 0 || finished.length < this.nStartupTrials) return false;
    const value = valueAt(trial, step);
    if (value === undefined) return false;
    if (Number.isNaN(value)) return true;
    const others: number[] = [];
    for (const t of finished) {
      const v = valueAt(t, step);
      if (v !== undefined && !Number.isNaN(v)) others.push(toLoss(v, direction));
    }
    if (others.length < this.nMinTrials) return false;
    return toLoss(value, direction) > median(others);
  }
}
