/**
 * The GP of several objectives' scalarised losses (ParEGO, see observations.ts). The
 * scalarisation's weights change on every ask, so its targets do too, and a fit warm-started
 * from the previous ask's (surrogate.ts) would have to be redone from scratch, a chain of fits
 * that grows with the study. Instead each objective gets hyperparameters of its own, fitted as
 * the single-objective oracle fits its one (cached and warm-started; past `maxModelPoints`
 * observations, one fit on that objective's model subset) on the observations up to the last
 * multiple of `refitEvery`, so they are refitted once every `refitEvery` asks, not on each. The
 * scalarised GP starts from whichever of them explains the scalarised losses best and takes a
 * short descent from there, on the model subset of the scalarised losses. A pure function of
 * the history (observations are in trial-number order), at about the cost of the
 * single-objective fit.
 */
import type { GaussianProcess } from '../../math/gaussian-process.js';
import { standardScaling } from '../../math/gaussian-process.js';
import { fitGpHyperparameters } from '../../math/gp-fit.js';
import type { GpHyperparameters } from '../../math/gp-hyperparameters.js';
import { defaultGpPrior, packHyperparameters } from '../../math/gp-hyperparameters.js';
import { GpNegativeLogPosterior } from '../../math/gp-likelihood.js';
import type { QuadraticPriorMean } from '../../math/quadratic-prior-mean.js';
import { encodeRows, modelSubset } from './model-rows.js';
import type { Observation } from './observations.js';
import type { SpaceEncoding } from './space-encoding.js';
import type { SurrogateSettings } from './surrogate.js';
import { SurrogateFitter, gaussianProcessOn } from './surrogate.js';

/** L-BFGS iterations of the descent on the scalarised losses. */
const DESCENT_ITERATIONS = 5;

export class ScalarisedFitter {
  readonly #settings: SurrogateSettings;
  readonly #maxModelPoints: number;
  readonly #objectives: SurrogateFitter[] = [];

  constructor(settings: SurrogateSettings, maxModelPoints: number) {
    this.#settings = settings;
    this.#maxModelPoints = maxModelPoints;
  }

  /** A GP of the observations' scalarised losses (`loss`), given their `count` objectives' losses. */
  fit(
    encoding: SpaceEncoding,
    observations: readonly Observation[],
    count: number,
    priorMean?: QuadraticPriorMean,
  ): GaussianProcess {
    const F = encoding.featureDimension;
    const starts = Array.from({ length: count }, (_, m) =>
      this.#objectiveStart(encoding, observations, m, priorMean),
    );
    const rows = modelSubset(observations, this.#maxModelPoints);
    const { x, losses } = encodeRows(encoding, rows);
    const n = rows.length;
    const scaling = standardScaling(losses);
    const data = {
      x,
      n,
      d: F,
      y: losses.map(
        (v, i) => (v - scaling.mean) / scaling.scale - (priorMean?.value(x, i * F) ?? 0),
      ),
      alpha: this.#settings.alpha,
    };
    const prior = defaultGpPrior(F, this.#settings.additive && F >= 2);
    const objective = new GpNegativeLogPosterior(data, prior);
    const gradient = new Float64Array(prior.mean.length);
    let best = starts[0] as GpHyperparameters;
    let lowest = Infinity;
    for (const start of starts) {
      const value = objective.evaluate(packHyperparameters(start), gradient);
      if (value < lowest) {
        lowest = value;
        best = start;
      }
    }
    const { hyperparameters } = fitGpHyperparameters(data, {
      prior,
      warmStart: best,
      maxIterations: DESCENT_ITERATIONS,
      absoluteTolerance: 0.05,
      gradientTolerance: 1e-3,
    });
    return gaussianProcessOn(x, n, F, losses, hyperparameters, this.#settings.alpha, priorMean);
  }

  /** Objective m's hyperparameters, fitted on the observations up to the last refit. */
  #objectiveStart(
    encoding: SpaceEncoding,
    observations: readonly Observation[],
    m: number,
    priorMean: QuadraticPriorMean | undefined,
  ): GpHyperparameters {
    const fitter = (this.#objectives[m] ??= new SurrogateFitter({
      ...this.#settings,
      seed: this.#settings.seed + 104729 * (m + 1),
    }));
    const n = observations.length;
    const every = this.#settings.refitEvery;
    const prefix = observations
      .slice(0, n < 2 * every ? n : n - (n % every))
      .map((o) => ({ ...o, loss: o.losses[m] as number }));
    const F = encoding.featureDimension;
    if (prefix.length <= this.#maxModelPoints) {
      const { x, losses } = encodeRows(encoding, prefix);
      return fitter.fit(x, prefix.length, F, losses, priorMean).hyperparameters;
    }
    const rows = modelSubset(prefix, this.#maxModelPoints);
    const { x, losses } = encodeRows(encoding, rows);
    return fitter.fixedHyperparameters(x, rows.length, F, losses, priorMean);
  }
}
