/**
 * Ranking finished trials: the best ones for a single objective, the Pareto front for several;
 * both among the feasible trials only (see constraints.ts).
 */
import { isFeasible } from './constraints.js';
import type { Objective } from './objective.js';
import { toLoss } from './objective.js';
import type { Trial } from './trial.js';

/** COMPLETED trials with values that satisfy their constraints. */
function feasibleCompleted(trials: readonly Trial[]): Trial[] {
  return trials.filter((t) => t.status === 'COMPLETED' && t.values !== undefined && isFeasible(t));
}

/** Feasible COMPLETED trials, best first (single objective: the first objective; several: the Pareto front). */
export function rankTrials(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const first = objectives[0];
  if (first === undefined) return [];
  if (objectives.length > 1) return paretoFront(trials, objectives);
  return feasibleCompleted(trials)
    .map((t) => ({ t, loss: toLoss(t.values?.[0] ?? NaN, first.direction) }))
    .sort((a, b) => a.loss - b.loss || a.t.number - b.t.number)
    .map(({ t }) => t);
}

/** Whether loss vector `a` dominates `b` (no worse everywhere, better somewhere). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    const bi = b[i] as number;
    if (ai > bi) return false;
    if (ai < bi) better = true;
  }
  return better;
}

/** The trial's objective values as losses (maximised ones negated). */
export function lossVector(trial: Trial, objectives: readonly Objective[]): number[] {
  return objectives.map((o, i) => toLoss(trial.values?.[i] ?? NaN, o.direction));
}

/** The non-dominated feasible COMPLETED trials, by trial number. */
export function paretoFront(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const done = feasibleCompleted(trials);
  const losses = done.map((t) => lossVector(t, objectives));
  return done.filter(
    (_, i) => !losses.some((other, j) => j !== i && dominates(other, losses[i] as number[])),
  );
}
