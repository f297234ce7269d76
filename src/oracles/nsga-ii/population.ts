/**
 * NSGA-II's parent population, read from a study's history (the oracle keeps no state). It
 * is steady-state (Durillo et al. 2009): the parents are the elite of every COMPLETED trial so
 * far, updated as each trial completes, rather than of one generation of `populationSize`
 * trials at a time (Optuna's scheme). The selection is NSGA-II's: whole fronts of the
 * non-dominated sort, best first, and of the front that does not fit, the members of largest
 * crowding distance. Domination is constrained domination when trials carry constraint values
 * (see src/trials/fronts.ts). Steady state uses every result as soon as it is known, which
 * suits asynchronous workers, and on the benchmark problems reaches a larger hypervolume per
 * trial (see bench/README.md).
 */
import type { Objective, Trial } from '../../trials/index.js';
import { lossVector, nondominatedFronts, trialViolation } from '../../trials/index.js';
import type { SortPoint } from '../../trials/index.js';
import { crowdingDistances } from './crowding-distance.js';

/** A COMPLETED trial as NSGA-II sees it. */
export interface Individual extends SortPoint {
  readonly trial: Trial;
}

/** The parents of the next trial, with what tournament selection compares. */
export interface ParentPopulation {
  readonly members: readonly Individual[];
  /** Each member's front (0 = non-dominated) within the population. */
  readonly rank: Int32Array;
  /** Each member's crowding distance within its front. */
  readonly crowding: Float64Array;
}

/** The `size` best individuals: whole fronts first, then the most crowding-distant of the front that overflows. */
export function selectElite(individuals: readonly Individual[], size: number): Individual[] {
  const elite: Individual[] = [];
  for (const front of nondominatedFronts(individuals, size)) {
    if (elite.length + front.length <= size) {
      for (const i of front) elite.push(individuals[i] as Individual);
      continue;
    }
    const distances = crowdingDistances(front.map((i) => (individuals[i] as Individual).losses));
    const order = front.map((_, k) => k);
    order.sort(
      (a, b) =>
        (distances[b] as number) - (distances[a] as number) ||
        (front[a] as number) - (front[b] as number),
    );
    for (const k of order.slice(0, size - elite.length))
      elite.push(individuals[front[k] as number] as Individual);
    break;
  }
  return elite;
}

/** The COMPLETED trials with a finite value per objective, as individuals. */
export function individualsOf(
  trials: readonly Trial[],
  objectives: readonly Objective[],
  constrained: boolean,
): Individual[] {
  const individuals: Individual[] = [];
  for (const trial of trials) {
    if (trial.status !== 'COMPLETED' || trial.values === undefined) continue;
    const losses = lossVector(trial, objectives);
    if (losses.every(Number.isFinite))
      individuals.push({ trial, losses, violation: trialViolation(trial, constrained) });
  }
  return individuals;
}

/** The population `members` ranked into fronts, with each member's crowding distance in its front. */
export function rankPopulation(members: readonly Individual[]): ParentPopulation {
  const rank = new Int32Array(members.length);
  const crowding = new Float64Array(members.length);
  nondominatedFronts(members).forEach((front, r) => {
    const distances = crowdingDistances(front.map((i) => (members[i] as Individual).losses));
    front.forEach((i, k) => {
      rank[i] = r;
      crowding[i] = distances[k] as number;
    });
  });
  return { members, rank, crowding };
}
