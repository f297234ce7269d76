/**
 * Ranking finished trials: the best ones for a single objective, the Pareto front for several.
 */
import type { Objective } from './objective.js';
import { toLoss } from './objective.js';
import type { Trial } from './trial.js';

/** COMPLETED trials, best first (single objective: the first objective). */
export function rankTrials(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const first = objectives[0];
  if (first === undefined) return [];
  const done = trials.filter((t) => t.status === 'COMPLETED' && t.values !== undefined);
  if (objectives.length > 1) return paretoFront(done, objectives);
  return done
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

/** The non-dominated COMPLETED trials, by trial number. */
export function paretoFront(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const done = trials.filter((t) => t.status === 'COMPLETED' && t.values !== undefined);
  const losses = done.map((t) =>
    objectives.map((o, i) => toLoss(t.values?.[i] ?? NaN, o.direction)),
  );
  return done.filter(
    (_, i) => !losses.some((other, j) => j !== i && dominates(other, losses[i] as number[])),
  );
}
