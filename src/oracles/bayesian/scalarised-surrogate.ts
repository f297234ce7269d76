/**
 * The GP of several objectives' scalarised losses (ParEGO, see observations.ts). The
 * scalarisation's weights change on every ask, so its targets do too, and a fit warm-started
 * from the previous ask's (surrogate.ts) would have to be redone from scratch, a chain of fits
 * that grows with the study. Instead each objective gets a GP of its own, fitted as the
 * single-objective oracle fits its one (cached and warm-started), on the observations up to
 * the last multiple of `refitEvery` (so they are refitted once every `refitEvery` asks, not on
 * each); the scalarised GP starts from whichever of their hyperparameters explains the
 * scalarised losses best and takes a short descent from there. A pure function of the history
 * (observations are in trial-number order), at about the cost of the single-objective fit.
 */
import { GaussianProcess, standardScaling } from '../../math/gaussian-process.js';
import { fitGpHyperparameters } from '../../math/gp-fit.js';
import type { GpHyperparameters } from '../../math/gp-hyperparameters.js';
import { defaultGpPrior, packHyperparameters } from '../../math/gp-hyperparameters.js';
import { GpNegativeLogPosterior } from '../../math/gp-likelihood.js';
import type { QuadraticPriorMean } from '../../math/quadratic-prior-mean.js';
import type { SurrogateSettings } from './surrogate.js';
import { SurrogateFitter } from './surrogate.js';

/** L-BFGS iterations of the descent on the scalarised losses. */
const DESCENT_ITERATIONS = 5;

export class ScalarisedFitter {
  readonly #settings: SurrogateSettings;
  readonly #objectives: SurrogateFitter[] = [];

  constructor(settings: SurrogateSettings) {
    this.#settings = settings;
  }

  /**
   * A GP on n rows of F features and their scalarised losses `scalar`, given each objective's
   * losses (`objectiveLosses[m]`, n values each), around `priorMean`.
   */
  fit(
    x: Float64Array,
    n: number,
    F: number,
    objectiveLosses: readonly Float64Array[],
    scalar: Float64Array,
    priorMean?: QuadraticPriorMean,
  ): GaussianProcess {
    const every = this.#settings.refitEvery;
    const prefix = n < 2 * every ? n : n - (n % every);
    const starts: GpHyperparameters[] = objectiveLosses.map((losses, m) => {
      const fitter = (this.#objectives[m] ??= new SurrogateFitter({
        ...this.#settings,
        seed: this.#settings.seed + 104729 * (m + 1),
      }));
      return fitter.fit(x, prefix, F, losses, priorMean).hyperparameters;
    });
    const ys = scalar.subarray(0, n);
    const scaling = standardScaling(ys);
    const data = {
      x: x.subarray(0, n * F),
      n,
      d: F,
      y: ys.map((v, i) => (v - scaling.mean) / scaling.scale - (priorMean?.value(x, i * F) ?? 0)),
      alpha: this.#settings.alpha,
    };
    const objective = new GpNegativeLogPosterior(data, defaultGpPrior(F));
    const gradient = new Float64Array(packHyperparameters(starts[0] as GpHyperparameters).length);
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
      warmStart: best,
      maxIterations: DESCENT_ITERATIONS,
      absoluteTolerance: 0.05,
      gradientTolerance: 1e-3,
    });
    return new GaussianProcess({
      x,
      n,
      d: F,
      y: scalar,
      hyperparameters,
      alpha: this.#settings.alpha,
      scaling,
      ...(priorMean === undefined ? {} : { priorMean }),
    });
  }
}
