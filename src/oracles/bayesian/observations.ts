/**
 * What the Bayesian oracle learns from a study's trials:
 * - COMPLETED trials with finite values are observations;
 * - PRUNED trials are observations too, with their last value (`values` when storage kept one,
 *   else the last intermediate value): a stopped trial is evidence that its region is poor, and
 *   its last value is a (usually pessimistic) estimate of where it was going;
 * - RUNNING and WAITING trials are pending: the oracle steers away from them;
 * - FAILED trials teach nothing about the objective and are left out of the fit;
 * - every trial, whatever its state, blocks its configuration from being proposed again.
 * With several objectives the losses are scalarised by an augmented Chebyshev function with
 * random weights (ParEGO), so successive asks explore different parts of the Pareto front.
 */
import type { ParamValues } from '../../space/index.js';
import { configurationKey } from '../../space/index.js';
import type { Objective, Trial } from '../../trials/index.js';
import { toLoss } from '../../trials/index.js';
import type { Random } from '../../math/random.js';

export interface Observation {
  readonly number: number;
  readonly params: ParamValues;
  /** The loss (minimised) of the single objective, or the scalarised losses. */
  readonly loss: number;
  /** The loss of each objective (minimised). */
  readonly losses: readonly number[];
}

export interface StudyHistory {
  readonly observations: readonly Observation[];
  readonly pending: readonly ParamValues[];
  /** `configurationKey` of every trial's parameters. */
  readonly seen: ReadonlySet<string>;
}

function lossesOf(trial: Trial, objectives: readonly Objective[]): number[] | undefined {
  let values = trial.values;
  if (trial.status === 'PRUNED' && (values === undefined || values.length < objectives.length)) {
    const last = trial.intermediate[trial.intermediate.length - 1];
    values = last === undefined || objectives.length !== 1 ? undefined : [last.value];
  }
  if (values === undefined || values.length < objectives.length) return undefined;
  const losses = objectives.map((o, i) => toLoss(values[i] as number, o.direction));
  return losses.every(Number.isFinite) ? losses : undefined;
}

/** Augmented Chebyshev scalarisation of loss vectors normalised to [0, 1] per objective. */
function scalarise(losses: readonly number[][], random: Random): number[] {
  const m = losses[0]?.length ?? 0;
  const weights = Array.from({ length: m }, () => -Math.log(1 - random.next()));
  const total = weights.reduce((a, b) => a + b, 0);
  const low = Array.from({ length: m }, (_, j) => Math.min(...losses.map((l) => l[j] as number)));
  const high = Array.from({ length: m }, (_, j) => Math.max(...losses.map((l) => l[j] as number)));
  return losses.map((l) => {
    let worst = -Infinity;
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const range = (high[j] as number) - (low[j] as number);
      const v =
        (((weights[j] as number) / total) * ((l[j] as number) - (low[j] as number))) /
        (range > 0 ? range : 1);
      worst = Math.max(worst, v);
      sum += v;
    }
    return worst + 0.05 * sum;
  });
}

/** Splits the trials into observations, pending configurations and the set of used ones. */
export function readHistory(
  trials: readonly Trial[],
  objectives: readonly Objective[],
  random: Random,
): StudyHistory {
  const seen = new Set<string>();
  const pending: ParamValues[] = [];
  const used: { trial: Trial; losses: number[] }[] = [];
  for (const trial of trials) {
    seen.add(configurationKey(trial.params));
    switch (trial.status) {
      case 'RUNNING':
      case 'WAITING':
        // a queued trial without parameters yet has no point to steer away from
        if (Object.keys(trial.params).length > 0) pending.push(trial.params);
        break;
      case 'COMPLETED':
      case 'PRUNED': {
        const losses = lossesOf(trial, objectives);
        if (losses !== undefined) used.push({ trial, losses });
        break;
      }
      case 'FAILED':
        break;
    }
  }
  used.sort((a, b) => a.trial.number - b.trial.number);
  const scalar =
    objectives.length > 1 && used.length > 0
      ? scalarise(
          used.map((u) => u.losses),
          random,
        )
      : used.map((u) => u.losses[0] as number);
  const observations = used.map((u, i) => ({
    number: u.trial.number,
    params: u.trial.params,
    loss: scalar[i] as number,
    losses: u.losses,
  }));
  return { observations, pending, seen };
}
