/**
 * NSGA-II (Deb et al. 2002), a genetic algorithm for several objectives, with Optuna's defaults
 * (`NSGAIISampler`: population 50, uniform crossover with probability 0.9, each parameter
 * mutated, i.e. redrawn at random, with probability 1 / its number of parameters). The first
 * `populationSize` trials are drawn at random; every later one is a child of the parent
 * population, the elite of all COMPLETED trials (steady state: see population.ts), two parents
 * picked by crowded-comparison tournaments (see offspring.ts). With constraints (trials
 * carrying constraint values, see src/trials/constraints.ts) selection uses Deb's constrained
 * domination: feasible trials first, infeasible ones by their total violation. It works with
 * one objective too.
 *
 * Like every oracle it is a pure function of the history. A configuration the study already
 * has is never proposed: another child is made (up to `maxDrawAttempts`), then random draws; a
 * finite space used up answers `exhausted`.
 */
import { Random, deriveSeed } from '../../math/random.js';
import { configurationKey } from '../../space/index.js';
import { hasConstraints } from '../../trials/index.js';
import type { AskResult, Oracle, StudyView } from '../oracle.js';
import { withFixedParams } from '../oracle.js';
import { RandomSearchOracle, seenConfigurations } from '../random-search.js';
import type { NsgaIIOptions, ResolvedNsgaIIOptions } from './nsga-ii-options.js';
import { resolveNsgaIIOptions } from './nsga-ii-options.js';
import { makeOffspring } from './offspring.js';
import { individualsOf, rankPopulation, selectElite } from './population.js';

export class NsgaIIOracle implements Oracle {
  readonly name = 'nsga2';
  readonly options: ResolvedNsgaIIOptions;

  /** Throws `ORACLE_INVALID_OPTION`, naming the option, when an option is out of range. */
  constructor(options: NsgaIIOptions = {}) {
    this.options = resolveNsgaIIOptions(options);
  }

  ask(view: StudyView): AskResult {
    view = withFixedParams(view);
    const { options } = this;
    if (view.space.size === 0) return { kind: 'trial', params: {} };
    const individuals = individualsOf(view.trials, view.objectives, hasConstraints(view.trials));
    if (individuals.length >= options.populationSize) {
      const population = rankPopulation(selectElite(individuals, options.populationSize));
      const random = new Random(deriveSeed(options.seed, view.trials.length, 0x45a2));
      const seen = seenConfigurations(view);
      const settings = {
        crossover: options.crossover,
        crossoverProb: options.crossoverProb,
        swappingProb: options.swappingProb,
        mutationProb: options.mutationProb,
        eta: options.sbxEta ?? (view.objectives.length > 1 ? 20 : 2),
      };
      for (let attempt = 0; attempt < options.maxDrawAttempts; attempt++) {
        const params = makeOffspring(view.space, population, settings, random);
        if (!seen.has(configurationKey(params))) return { kind: 'trial', params };
      }
    }
    return new RandomSearchOracle({ seed: deriveSeed(options.seed, 0x45a3) }).ask(view);
  }
}
