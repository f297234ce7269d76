/**
 * Making one child of NSGA-II's parent population, with Optuna's operators: with probability
 * `crossoverProb`, two parents chosen by binary tournament are crossed (uniformly: each
 * parameter from either parent; or, with `crossover: 'sbx'`, simulated binary crossover of the
 * numeric parameters in the unit-cube encoding, choices still uniform); otherwise one parent is
 * copied. Then each parameter is drawn afresh at random with probability `mutationProb`
 * (default 1 / the child's number of parameters). Parameters a parent lacks (conditional ones
 * or ones declared after it ran) come from the other parent or are drawn at random; the
 * child keeps exactly the parameters active for its values.
 *
 * The tournament is NSGA-II's crowded comparison (Deb et al. 2002): of two members drawn at
 * random, the one on the better front, or on the same front the one with the larger crowding
 * distance. (Optuna's compares by domination only; the crowded comparison keeps the spread of
 * the front, which is what its hypervolume rewards.)
 */
import type { Random } from '../../math/random.js';
import type { Parameter, ParamValue, SearchSpace } from '../../space/index.js';
import { decode, encode } from '../../space/index.js';
import type { NsgaIICrossover } from './nsga-ii-options.js';
import type { Individual, ParentPopulation } from './population.js';

export interface OffspringSettings {
  readonly crossover: NsgaIICrossover;
  readonly crossoverProb: number;
  readonly swappingProb: number;
  readonly mutationProb: number | undefined;
  /** SBX's distribution index. */
  readonly eta: number;
}

/** Binary tournament by crowded comparison among the members not in `exclude`. */
function tournament(population: ParentPopulation, random: Random, exclude: number): number {
  const n = population.members.length;
  const pick = (): number => {
    if (exclude < 0 || n < 2) return random.int(n);
    const k = random.int(n - 1);
    return k >= exclude ? k + 1 : k;
  };
  const a = pick();
  const b = pick();
  const ra = population.rank[a] as number;
  const rb = population.rank[b] as number;
  if (ra !== rb) return ra < rb ? a : b;
  return (population.crowding[b] as number) > (population.crowding[a] as number) ? b : a;
}

/** SBX of two cube coordinates in [0, 1] (Deb & Agrawal 1995, bounded as Optuna does), one child coordinate. */
function sbx(x1: number, x2: number, eta: number, random: Random): number {
  if (random.next() >= 0.5) return random.next() < 0.5 ? x1 : x2;
  const low = Math.min(x1, x2);
  const high = Math.max(x1, x2);
  const diff = Math.max(high - low, 1e-10);
  const spread = (beta: number): number => {
    const alpha = 2 - Math.pow(beta, -(eta + 1));
    const u = random.next();
    return u > 1 / alpha
      ? Math.pow(1 / (2 - u * alpha), 1 / (eta + 1))
      : Math.pow(u * alpha, 1 / (eta + 1));
  };
  const c =
    random.next() < 0.5
      ? 0.5 * (low + high - spread(1 + (2 * low) / diff) * diff)
      : 0.5 * (low + high + spread(1 + (2 * (1 - high)) / diff) * diff);
  return Math.min(Math.max(c, 0), 1 - 1e-12);
}

function isNumeric(parameter: Parameter): boolean {
  return parameter.kind === 'int' || parameter.kind === 'float';
}

/** Crossed values of two parents (a parameter only one of them has comes from that one). */
function cross(
  space: SearchSpace,
  first: Individual,
  second: Individual,
  settings: OffspringSettings,
  random: Random,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const parameter of space.parameters) {
    const a = first.trial.params[parameter.name];
    const b = second.trial.params[parameter.name];
    if (a === undefined || b === undefined) {
      const only = a ?? b;
      if (only !== undefined) out[parameter.name] = only;
      continue;
    }
    if (settings.crossover === 'sbx' && isNumeric(parameter)) {
      out[parameter.name] = decode(
        parameter,
        sbx(encode(parameter, a), encode(parameter, b), settings.eta, random),
      );
    } else {
      out[parameter.name] = random.next() < settings.swappingProb ? b : a;
    }
  }
  return out;
}

/** One child of the population: crossed or copied, mutated, completed to a valid configuration. */
export function makeOffspring(
  space: SearchSpace,
  population: ParentPopulation,
  settings: OffspringSettings,
  random: Random,
): Record<string, ParamValue> {
  let inherited: Record<string, ParamValue>;
  if (random.next() < settings.crossoverProb && population.members.length >= 2) {
    const i = tournament(population, random, -1);
    const j = tournament(population, random, i);
    inherited = cross(
      space,
      population.members[i] as Individual,
      population.members[j] as Individual,
      settings,
      random,
    );
  } else {
    const parent = population.members[random.int(population.members.length)] as Individual;
    inherited = { ...parent.trial.params };
  }
  const active = space.pruneInactive(inherited);
  // a Fixed parameter (one value, e.g. fixed for this ask) takes its own value, not a parent's
  const names = Object.keys(active).filter((name) => space.get(name)?.kind !== 'fixed');
  const mutationProb = settings.mutationProb ?? 1 / Math.max(1, names.length);
  const kept: Record<string, ParamValue> = {};
  for (const name of names) {
    if (random.next() >= mutationProb) kept[name] = active[name] as ParamValue;
  }
  return space.complete(kept, random.uniform);
}
