/**
 * The CMA-ES oracle, as Optuna's `CmaEsSampler`: after `nStartupTrials` random trials, the
 * always-active int and float parameters are searched by CMA-ES on their box scaled to
 * [0, 1] (log parameters in log scale; an int or stepped parameter owns equal cells, its
 * values rounded, as Optuna's half-step-widened bounds), starting at the centre with step
 * 1/6; the other parameters (choices, booleans, conditional ones) are drawn at random.
 *
 * The state is rebuilt from the history on each ask (see `cmaes-history.ts`), so the oracle
 * resumes from storage and serves several workers: each ask draws a new member of the
 * current generation, which is told once λ of its trials have completed. A configuration the
 * study already has is never proposed (another draw, then a random one).
 */
import { Random, deriveSeed } from '../../math/random.js';
import type { ParamValue } from '../../space/index.js';
import {
  HypertunerError,
  cardinality,
  configurationKey,
  decode,
  isActive,
} from '../../space/index.js';
import type { AskResult, Oracle, StudyView } from '../oracle.js';
import { withFixedParams } from '../oracle.js';
import { RandomSearchOracle, seenConfigurations } from '../random-search.js';
import type { CmaEsTrialAttrs } from './cmaes-history.js';
import { CmaEsReplay, cmaDimensions } from './cmaes-history.js';
import { LqCmaEsReplay } from './lq-history.js';
import type { CmaEs } from './cma-es.js';
import type { CmaEsOptions, ResolvedCmaEsOptions } from './cmaes-options.js';
import { resolveCmaEsOptions } from './cmaes-options.js';

/** Draws tried before a configuration the study has counts as unavoidable. */
const DRAWS = 64;

export class CmaEsOracle implements Oracle {
  readonly name = 'cmaes';
  readonly options: ResolvedCmaEsOptions;
  readonly #replay: CmaEsReplay;
  readonly #lqReplay: LqCmaEsReplay | undefined;

  /** Throws `CMAES_INVALID_OPTION`, naming the option, when an option is out of range. */
  constructor(options: CmaEsOptions = {}) {
    this.options = resolveCmaEsOptions(options);
    this.#replay = new CmaEsReplay(this.options);
    if (this.options.surrogate === 'lq') this.#lqReplay = new LqCmaEsReplay(this.options);
  }

  ask(view: StudyView): AskResult {
    view = withFixedParams(view); // fixed parameters are Fixed ones: not searched
    const objective = view.objectives[0];
    if (view.objectives.length !== 1 || objective === undefined) {
      throw new HypertunerError(
        'CMAES_MULTI_OBJECTIVE',
        `CmaEsOracle optimises one objective; this study has ${view.objectives.length}. Use 'nsga2', 'tpe' or 'bayesian'.`,
        { field: 'objectives' },
      );
    }
    if (view.space.size === 0) return { kind: 'trial', params: {} };
    const dimensions = cmaDimensions(view.space.parameters);
    const completed = view.trials.filter((t) => t.status === 'COMPLETED').length;
    if (dimensions.length === 0 || completed < this.options.nStartupTrials)
      return this.#random(view);

    const space = dimensions.map((p) => p.name).join(',');
    const random = new Random(deriveSeed(this.options.seed, view.trials.length, 0xc4a));
    const seen = seenConfigurations(view);
    const configuration = (x: Float64Array): Record<string, ParamValue> => {
      const params: Record<string, ParamValue> = {};
      dimensions.forEach((p, i) => (params[p.name] = decode(p, x[i] as number)));
      // the other parameters, in the space's order (conditions may depend on earlier ones)
      for (const p of view.space.parameters) {
        if (p.name in params || !isActive(p, params)) continue;
        params[p.name] = decode(p, cardinality(p) <= 1 ? 0.5 : random.next());
      }
      for (const p of dimensions) if (!isActive(p, params)) delete params[p.name];
      return params;
    };
    let cma: CmaEs;
    let attrs: CmaEsTrialAttrs;
    if (this.#lqReplay !== undefined) {
      const run = this.#lqReplay.replay(view.trials, objective, dimensions);
      const generation = { space, restart: run.restart, generation: run.cma.generation };
      // the best-ranked candidate no trial has taken whose configuration is new
      for (const candidate of run.order) {
        const params = configuration(run.candidates[candidate] as Float64Array);
        if (!seen.has(configurationKey(params)))
          return { kind: 'trial', params, oracleAttrs: { cmaes: { ...generation, candidate } } };
      }
      // else another draw stands in for the best one (or, when all are out, adds to the archive)
      cma = run.cma;
      attrs = { ...generation, candidate: run.order[0] ?? -1 };
    } else {
      const run = this.#replay.replay(view.trials, objective, dimensions);
      cma = run.cma;
      attrs = { space, restart: run.restart, generation: cma.generation };
    }
    for (let draw = 0; draw < DRAWS; draw++) {
      const params = configuration(cma.sample(random));
      if (!seen.has(configurationKey(params)))
        return { kind: 'trial', params, oracleAttrs: { cmaes: { ...attrs } } };
    }
    const fallback = this.#random(view);
    return attrs.candidate === undefined || fallback.kind !== 'trial'
      ? fallback
      : { ...fallback, oracleAttrs: { cmaes: { ...attrs } } };
  }

  #random(view: StudyView): AskResult {
    return new RandomSearchOracle({ seed: deriveSeed(this.options.seed, 0x5eed) }).ask(view);
  }
}
