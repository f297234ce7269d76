/**
 * The Tree-structured Parzen Estimator oracle (Bergstra et al. 2011): Optuna's algorithm, with
 * the components of Watanabe 2023 by default (`preset: 'tuned'`) or Optuna 3.1's exactly
 * (`preset: 'optuna-3.1'`); see tpe-options.ts.
 *
 * After `nStartupTrials` random trials, the finished trials split into a good group (the best
 * `gamma(n)`, weighted by their improvement on the rest with `improvementWeights`) and the rest. Each parameter (or, with `multivariate`, the joint group of
 * always-active parameters) gets two Parzen estimators, l from the good trials and g
 * from the rest, fitted in the unit-cube encoding; `nEiCandidates` draws from l are ranked by
 * l(x)/g(x) and the best is proposed. Parameters are drawn in the space's order, so
 * conditional parameters are modelled only from trials where they were active.
 *
 * A configuration the study already has is never proposed: the next best candidates are
 * tried, then random ones; a finite space that is used up answers `exhausted`.
 */
import { Random, deriveSeed } from '../../math/random.js';
import type { Parameter, ParamValue } from '../../space/index.js';
import { configurationKey, isActive } from '../../space/index.js';
import type { AskResult, Oracle, StudyView } from '../oracle.js';
import { withFixedParams } from '../oracle.js';
import { RandomSearchOracle, seenConfigurations } from '../random-search.js';
import type { RankedCandidate } from './candidates.js';
import { rankCandidates } from './candidates.js';
import type { Dimension } from './dimension.js';
import { dimensionOf, onlyValue } from './dimension.js';
import { fitEstimator } from './estimators.js';
import type { TrialSplit } from './split.js';
import { improvementWeights, splitTrials } from './split.js';
import type { ResolvedTpeOptions, TpeOptions } from './tpe-options.js';
import { resolveTpeOptions } from './tpe-options.js';

/** A group of dimensions modelled together: one parameter, or the joint group. */
interface Unit {
  readonly dimensions: readonly Dimension[];
  candidates?: RankedCandidate[];
}

/** Which candidate (by rank) each unit contributes to a configuration. */
type Ranks = ReadonlyMap<Unit, number>;

export class TpeOracle implements Oracle {
  readonly name = 'tpe';
  readonly options: ResolvedTpeOptions;

  constructor(options: TpeOptions = {}) {
    this.options = resolveTpeOptions(options);
  }

  ask(view: StudyView): AskResult {
    view = withFixedParams(view);
    if (view.space.size === 0) return { kind: 'trial', params: {} };
    const { options } = this;
    const split = splitTrials(view.trials, view.objectives, options);
    if (split.finished < options.nStartupTrials) return this.#random(view);

    const random = new Random(deriveSeed(options.seed, view.trials.length, 0x7e5));
    const seen = seenConfigurations(view);
    const units = this.#plan(view.space.parameters);
    const belowWeights = options.improvementWeights
      ? improvementWeights(split, view.trials, view.objectives)
      : undefined;
    const sample = (unit: Unit): RankedCandidate[] =>
      (unit.candidates ??= this.#candidates(unit, split, belowWeights, random));

    const tried = new Set<string>();
    const attempt = (ranks: Ranks): { params: Record<string, ParamValue> } | { used: Unit[] } => {
      const { params, used } = compose(view.space.parameters, units, ranks, sample);
      const key = configurationKey(params);
      if (!seen.has(key) && !tried.has(key)) return { params };
      tried.add(key);
      return { used };
    };

    const best = attempt(new Map());
    if ('params' in best) return { kind: 'trial', params: best.params };
    // Next best: one unit at a time moved to a lower-ranked candidate, smallest loss of score first.
    const alternatives: { ranks: Ranks; drop: number }[] = [];
    for (const unit of best.used) {
      const ranked = sample(unit);
      const top = ranked[0]?.score ?? 0;
      for (let r = 1; r < ranked.length; r++) {
        alternatives.push({
          ranks: new Map([[unit, r]]),
          drop: top - (ranked[r] as RankedCandidate).score,
        });
      }
    }
    alternatives.sort((a, b) => a.drop - b.drop);
    for (const alternative of alternatives) {
      const result = attempt(alternative.ranks);
      if ('params' in result) return { kind: 'trial', params: result.params };
    }
    return this.#random(view);
  }

  #random(view: StudyView): AskResult {
    return new RandomSearchOracle({ seed: deriveSeed(this.options.seed, 0x5eed) }).ask(view);
  }

  /** The units of the space: per parameter, with the always-active ones joint if asked. */
  #plan(parameters: readonly Parameter[]): Map<string, Unit> {
    const units = new Map<string, Unit>();
    const jointDimensions: Dimension[] = [];
    for (const parameter of parameters) {
      const dimension = dimensionOf(parameter);
      if (dimension === undefined) continue;
      if (this.options.multivariate && parameter.conditions.length === 0) {
        jointDimensions.push(dimension);
      } else {
        units.set(parameter.name, { dimensions: [dimension] });
      }
    }
    if (jointDimensions.length > 0) {
      const joint: Unit = { dimensions: jointDimensions };
      for (const dimension of jointDimensions) units.set(dimension.parameter.name, joint);
    }
    return units;
  }

  #candidates(
    unit: Unit,
    split: TrialSplit,
    belowWeights: Float64Array | undefined,
    random: Random,
  ): RankedCandidate[] {
    const below = fitEstimator(split.below, unit.dimensions, this.options, belowWeights);
    const above = fitEstimator(split.above, unit.dimensions, this.options);
    return rankCandidates(unit.dimensions, below, above, this.options.nEiCandidates, random);
  }
}

/** Builds the configuration the ranks point at, drawing parameters in the space's order. */
function compose(
  parameters: readonly Parameter[],
  units: ReadonlyMap<string, Unit>,
  ranks: Ranks,
  sample: (unit: Unit) => RankedCandidate[],
): { params: Record<string, ParamValue>; used: Unit[] } {
  const params: Record<string, ParamValue> = {};
  const used: Unit[] = [];
  for (const parameter of parameters) {
    if (!isActive(parameter, params)) continue;
    const unit = units.get(parameter.name);
    if (unit === undefined) {
      params[parameter.name] = onlyValue(parameter);
      continue;
    }
    if (!used.includes(unit)) used.push(unit);
    const ranked = sample(unit);
    const candidate = ranked[ranks.get(unit) ?? 0] ?? ranked[0];
    const d = unit.dimensions.findIndex((dimension) => dimension.parameter.name === parameter.name);
    params[parameter.name] = candidate?.values[d] as ParamValue;
  }
  return { params, used };
}
