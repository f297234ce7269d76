/**
 * Fitting the oracle's Gaussian process without refitting from scratch on every ask, while
 * staying a pure function of the history (the oracle contract). With n observations (in
 * trial-number order) the hyperparameters θ(n) are:
 *   - a full fit when n is a multiple of `refitEvery` or below `fullFitBelow`: from the
 *     prior mode and random restarts seeded by n; from `PRIOR_MODE_ONLY_FROM` observations
 *     on, no random restarts (the posterior over hyperparameters is peaked by then: on the
 *     benchmark problems 4 restarts found a better mode, by 0.8 nats, in 1 fit of 72) but a
 *     descent from the prior mode or θ(n − refitEvery), whichever starts lower;
 *   - otherwise θ(n − 1) polished on the n observations by a short L-BFGS run (warm start).
 * θ(n − 1) comes from a cache keyed by the data it was fitted on, or is recomputed the same
 * way, so a fresh oracle given the same history gets the same answer, and a long-lived one
 * pays one short fit per ask plus a full fit every `refitEvery` observations.
 *
 * Long histories (`fitFixed`): the oracle models a subset of the observations, and θ is one
 * fit (from the prior's mode) on the subset of the history as it was at the last multiple of
 * `refitEvery`, reused unpolished until the next: one O(m³) fit every `refitEvery` asks.
 */
import { GaussianProcess, standardScaling } from '../../math/gaussian-process.js';
import { fitGpHyperparameters } from '../../math/gp-fit.js';
import type { GpHyperparameters } from '../../math/gp-hyperparameters.js';
import { defaultGpPrior } from '../../math/gp-hyperparameters.js';
import type { QuadraticPriorMean } from '../../math/quadratic-prior-mean.js';
import { Random, deriveSeed } from '../../math/random.js';

export interface SurrogateSettings {
  readonly seed: number;
  readonly alpha: number;
  readonly refitEvery: number;
  readonly fitRestarts: number;
  readonly fullFitBelow: number;
  readonly fullIterations: number;
  readonly warmIterations: number;
  /** Whether the kernel has an additive part (with two or more features). */
  readonly additive: boolean;
  /**
   * The increasing map from losses to the values the GP models, fitted to the n losses of a
   * fit (see `loss-warping.ts`). Each fit's losses get their own map, so that θ(n − 1), cached
   * by the previous ask, was fitted on the values it would be refitted on now (a map of the
   * whole history would change every earlier fit's data). A model of a subset of the history
   * (`model`, `fixedHyperparameters`) takes the map fitted to the whole history's losses
   * (`basis`): the subset, biased to the best trials, would move the map's median. Default:
   * the losses themselves.
   */
  readonly warp?: (losses: Float64Array) => (loss: number) => number;
}

/**
 * The GP on n rows of F features and their n targets `y`, standardised by the targets' own
 * mean and deviation, around `priorMean` (default 0): the one way the oracle's surrogates
 * build their models from fitted hyperparameters.
 */
export function gaussianProcessOn(
  x: Float64Array,
  n: number,
  F: number,
  y: Float64Array,
  hyperparameters: GpHyperparameters,
  alpha: number,
  priorMean: QuadraticPriorMean | undefined,
): GaussianProcess {
  return new GaussianProcess({
    x,
    n,
    d: F,
    y,
    hyperparameters,
    alpha,
    scaling: standardScaling(y.subarray(0, n)),
    ...(priorMean === undefined ? {} : { priorMean }),
  });
}

const PRIOR_MODE_ONLY_FROM = 50;
/**
 * From `PRIOR_MODE_ONLY_FROM` observations on, fits stop when an iteration
 * gains less than this in log posterior: θ whose posterior densities differ by a factor
 * e^0.05 are the same model for the acquisition, and the last hundredths of a nat are where
 * L-BFGS spends most of its iterations, on long flat ridges of the likelihood (on the
 * benchmark problems this cut the evaluations of asks 50..100 by 15%, same regrets).
 */
const IMPROVEMENT_NATS = 0.05;

export class SurrogateFitter {
  readonly #settings: SurrogateSettings;
  readonly #cache = new Map<string, GpHyperparameters>();

  constructor(settings: SurrogateSettings) {
    this.#settings = settings;
  }

  /** A GP on n rows of F features and their losses, around `priorMean` (default 0). */
  fit(
    x: Float64Array,
    n: number,
    F: number,
    losses: Float64Array,
    priorMean?: QuadraticPriorMean,
  ): GaussianProcess {
    const hyperparameters = this.#hyperparameters(x, n, F, losses, priorMean);
    return this.model(x, n, F, losses, hyperparameters, priorMean);
  }

  /**
   * A GP on n rows with hyperparameters `hyperparameters` (from `fixedHyperparameters`), the
   * targets (the modelled losses, with the warp fitted to `basis`, default these losses)
   * standardised by their own mean and deviation.
   */
  model(
    x: Float64Array,
    n: number,
    F: number,
    losses: Float64Array,
    hyperparameters: GpHyperparameters,
    priorMean?: QuadraticPriorMean,
    basis?: Float64Array,
  ): GaussianProcess {
    const y = this.modelled(losses.subarray(0, n), basis);
    return gaussianProcessOn(x, n, F, y, hyperparameters, this.#settings.alpha, priorMean);
  }

  /** The values the GP models for these losses: `warp` (fitted to `basis`) of them, or the losses themselves. */
  modelled(losses: Float64Array, basis: Float64Array = losses): Float64Array {
    const { warp } = this.#settings;
    return warp === undefined ? losses : losses.map(warp(basis));
  }

  /** The value the GP models for `loss` when the warp is fitted to `losses`. */
  modelledValue(loss: number, losses: Float64Array): number {
    const { warp } = this.#settings;
    return warp === undefined ? loss : warp(losses)(loss);
  }

  /** θ from one full fit on these n rows (cached by their content), no warm start: a pure function of the rows. */
  fixedHyperparameters(
    x: Float64Array,
    n: number,
    F: number,
    losses: Float64Array,
    priorMean?: QuadraticPriorMean,
    basis?: Float64Array,
  ): GpHyperparameters {
    const s = this.#settings;
    const warpKey = basis === undefined ? '' : hashFloats(basis, basis.length);
    const key = `fixed|${F}|${n}|${priorMean?.key ?? ''}|${hashFloats(x, n * F)}|${hashFloats(losses, n)}|${warpKey}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const hyperparameters = fitGpHyperparameters(this.#data(x, n, F, losses, priorMean, basis), {
      prior: defaultGpPrior(F, s.additive && F >= 2),
      ...this.#lateFit(),
    }).hyperparameters;
    this.#remember(key, hyperparameters);
    return hyperparameters;
  }

  /**
   * Budget and tolerances of a full fit on many observations: the posterior is peaked and each
   * evaluation costs O(n³), so more digits would move nothing.
   */
  #lateFit(): { maxIterations: number; absoluteTolerance: number; gradientTolerance: number } {
    return {
      maxIterations: this.#settings.fullIterations,
      absoluteTolerance: IMPROVEMENT_NATS,
      gradientTolerance: 1e-3,
    };
  }

  /** The fit's data: the standardised losses' departure from the prior mean. */
  #data(
    x: Float64Array,
    n: number,
    F: number,
    losses: Float64Array,
    priorMean: QuadraticPriorMean | undefined,
    basis?: Float64Array,
  ): { x: Float64Array; n: number; d: number; y: Float64Array; alpha: number } {
    const ys = this.modelled(losses.subarray(0, n), basis);
    const scaling = standardScaling(ys);
    return {
      x: x.subarray(0, n * F),
      n,
      d: F,
      y: ys.map((v, i) => (v - scaling.mean) / scaling.scale - (priorMean?.value(x, i * F) ?? 0)),
      alpha: this.#settings.alpha,
    };
  }

  #remember(key: string, hyperparameters: GpHyperparameters): void {
    if (this.#cache.size >= this.#settings.refitEvery + 4) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, hyperparameters);
  }

  #hyperparameters(
    x: Float64Array,
    n: number,
    F: number,
    losses: Float64Array,
    priorMean: QuadraticPriorMean | undefined,
  ): GpHyperparameters {
    const s = this.#settings;
    const key = `${F}|${n}|${priorMean?.key ?? ''}|${hashFloats(x, n * F)}|${hashFloats(losses, n)}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const data = this.#data(x, n, F, losses, priorMean);
    const prior = defaultGpPrior(F, s.additive && F >= 2);
    const full = n < s.fullFitBelow || s.refitEvery <= 1 || n % s.refitEvery === 0;
    let hyperparameters: GpHyperparameters;
    if (!full) {
      hyperparameters = fitGpHyperparameters(data, {
        prior,
        warmStart: this.#hyperparameters(x, n - 1, F, losses, priorMean),
        maxIterations: s.warmIterations,
        ...(n < PRIOR_MODE_ONLY_FROM
          ? { relativeTolerance: 1e-5 }
          : { absoluteTolerance: IMPROVEMENT_NATS }),
        gradientTolerance: 1e-3,
      }).hyperparameters;
    } else if (n < PRIOR_MODE_ONLY_FROM || n - s.refitEvery < s.fullFitBelow) {
      hyperparameters = fitGpHyperparameters(data, {
        prior,
        restarts: s.fitRestarts,
        random: new Random(deriveSeed(s.seed, n, 0x6f)),
        maxIterations: s.fullIterations,
      }).hyperparameters;
    } else {
      // The previous full fit's θ (a chain of full fits only, so at most n / refitEvery of
      // them for a fresh oracle), θ(n − 1) (a chain of at most refitEvery − 1 warm fits back to
      // that full fit: mostly the lowest start, so the refit costs about a warm fit) or the
      // prior's mode, whichever fits these data better.
      // Stop at the warm fits' tolerances: with many observations the posterior is peaked
      // and each evaluation costs O(n³); more digits would move nothing.
      hyperparameters = fitGpHyperparameters(data, {
        prior,
        warmStart: this.#hyperparameters(x, n - s.refitEvery, F, losses, priorMean),
        moreStarts: [this.#hyperparameters(x, n - 1, F, losses, priorMean)],
        descendFromBestStart: true,
        ...this.#lateFit(),
      }).hyperparameters;
    }
    this.#remember(key, hyperparameters);
    return hyperparameters;
  }
}

/** Two 32-bit FNV-1a-style hashes of the first `count` numbers' bits, as one string. */
function hashFloats(values: Float64Array, count: number): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, count * 2);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}
