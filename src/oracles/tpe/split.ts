/**
 * Splitting a study's trials into the "below" (good) and "above" (the rest) groups of TPE.
 * COMPLETED trials rank by loss (several objectives: by nondomination rank); PRUNED trials
 * come after them, those that got further first; RUNNING and WAITING trials, when the
 * constant liar is on, count as the worst of all so parallel workers spread out. FAILED
 * trials are ignored.
 */
import type { Objective, Trial } from '../../trials/index.js';
import { dominates, hasConstraints, toLoss } from '../../trials/index.js';
import { feasibleFirst } from './constrained-split.js';

export interface TrialSplit {
  /** The good trials, by trial number. */
  readonly below: readonly Trial[];
  /** The other trials, by trial number. */
  readonly above: readonly Trial[];
  /** COMPLETED and PRUNED trials: the history the split is made of. */
  readonly finished: number;
}

export interface SplitOptions {
  readonly gamma: (finished: number) => number;
  readonly constantLiar: boolean;
}

function lossVector(trial: Trial, objectives: readonly Objective[]): number[] {
  return objectives.map((objective, i) => {
    const value = trial.values?.[i];
    return value === undefined || Number.isNaN(value)
      ? Infinity
      : toLoss(value, objective.direction);
  });
}

/** Nondomination rank of each loss vector (0 = the Pareto front). */
export function nondominationRanks(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  const ranks = new Array<number>(n).fill(-1);
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j && dominates(losses[i] as number[], losses[j] as number[])) {
        (dominating[i] as number[]).push(j);
        dominatedBy[j] = (dominatedBy[j] as number) + 1;
      }
    }
  }
  let front = ranks.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  for (let rank = 0; front.length > 0; rank++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of dominating[i] as number[]) {
        dominatedBy[j] = (dominatedBy[j] as number) - 1;
        if (dominatedBy[j] === 0) next.push(j);
      }
    }
    front = next;
  }
  return ranks;
}

function sortCompleted(completed: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const losses = completed.map((t) => lossVector(t, objectives));
  const order = completed.map((_, i) => i);
  if (objectives.length <= 1) {
    order.sort(
      (a, b) =>
        (losses[a]?.[0] ?? Infinity) - (losses[b]?.[0] ?? Infinity) ||
        (completed[a] as Trial).number - (completed[b] as Trial).number,
    );
    return order.map((i) => completed[i] as Trial);
  }
  const ranks = nondominationRanks(losses);
  // ties within a front: by the sum of per-objective ranks, then by trial number
  const rankSums = new Array<number>(completed.length).fill(0);
  objectives.forEach((_, m) => {
    const byObjective = [...order].sort((a, b) => (losses[a]?.[m] ?? 0) - (losses[b]?.[m] ?? 0));
    byObjective.forEach((i, r) => (rankSums[i] = (rankSums[i] as number) + r));
  });
  order.sort(
    (a, b) =>
      (ranks[a] as number) - (ranks[b] as number) ||
      (rankSums[a] as number) - (rankSums[b] as number) ||
      (completed[a] as Trial).number - (completed[b] as Trial).number,
  );
  return order.map((i) => completed[i] as Trial);
}

function lastStep(trial: Trial): { step: number; value: number } {
  let step = -Infinity;
  let value = trial.values?.[0] ?? NaN;
  for (const point of trial.intermediate) {
    if (point.step > step) {
      step = point.step;
      value = point.value;
    }
  }
  return { step, value };
}

function sortPruned(pruned: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const direction = objectives[0]?.direction ?? 'minimize';
  const keyed = pruned.map((t) => {
    const { step, value } = lastStep(t);
    // a missing or NaN value ranks last whatever the direction (as in Optuna)
    const loss = toLoss(value, direction);
    return { t, step, loss: Number.isNaN(loss) ? Infinity : loss };
  });
  keyed.sort((a, b) => b.step - a.step || a.loss - b.loss || a.t.number - b.t.number);
  return keyed.map((k) => k.t);
}

const byNumber = (a: Trial, b: Trial): number => a.number - b.number;

export function splitTrials(
  trials: readonly Trial[],
  objectives: readonly Objective[],
  options: SplitOptions,
): TrialSplit {
  const completed = trials.filter((t) => t.status === 'COMPLETED');
  const pruned = trials.filter((t) => t.status === 'PRUNED');
  const pending = options.constantLiar
    ? trials.filter((t) => t.status === 'RUNNING' || t.status === 'WAITING')
    : [];
  const ordered = feasibleFirst(
    [...sortCompleted(completed, objectives), ...sortPruned(pruned, objectives)],
    trials,
  );
  const finished = ordered.length;
  const nBelow = Math.max(0, Math.min(finished, Math.floor(options.gamma(finished))));
  return {
    below: ordered.slice(0, nBelow).sort(byNumber),
    above: [...ordered.slice(nBelow), ...pending].sort(byNumber),
    finished,
  };
}

/**
 * Weights of the good trials by how much each improves on the best of the others (Watanabe
 * 2023's "EI" weighting): w = max(1e-12, y* − y) for a single objective, y* the smallest loss
 * among the finished bad trials. Undefined (the plain `weights` apply) with several objectives,
 * constraints, or a good trial or threshold without a finite loss.
 */
export function improvementWeights(
  split: TrialSplit,
  trials: readonly Trial[],
  objectives: readonly Objective[],
): Float64Array | undefined {
  const objective = objectives[0];
  if (objectives.length !== 1 || objective === undefined || hasConstraints(trials))
    return undefined;
  const loss = (trial: Trial): number => {
    const value = trial.status === 'COMPLETED' ? trial.values?.[0] : undefined;
    return value === undefined ? NaN : toLoss(value, objective.direction);
  };
  let threshold = Infinity;
  for (const trial of split.above) {
    const l = loss(trial);
    if (l < threshold) threshold = l;
  }
  if (!Number.isFinite(threshold)) return undefined;
  const weights = new Float64Array(split.below.length);
  for (const [i, trial] of split.below.entries()) {
    const l = loss(trial);
    if (!Number.isFinite(l)) return undefined;
    weights[i] = Math.max(1e-12, threshold - l);
  }
  return weights;
}
