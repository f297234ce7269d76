/**
 * Bayesian optimisation with a Gaussian process (Matérn-5/2 ARD kernel plus an additive part,
 * MAP-fitted hyperparameters) and log expected improvement or a confidence bound, in the spirit of
 * Keras Tuner's `BayesianOptimizationOracle`.
 *
 * Each ask: (1) while fewer than `numInitialPoints` trials have finished with a value, a
 * space-filling design (the scrambled Halton sequence of the seed, point k for the k-th
 * trial); (2) otherwise fit the GP to the observed losses (around a bowl-shaped prior mean,
 * `interiorPrior`, unlike Keras Tuner's constant one), add the running trials as
 * fantasies (kriging believer: each pending point is believed to score the model's mean
 * there, so its neighbourhood loses its appeal and parallel workers get different points),
 * and maximise the acquisition — over every unused configuration when the space is small and
 * finite, else over a candidate set (scrambled Halton + perturbations of the best points)
 * whose best few are refined locally (L-BFGS with analytic gradients for continuous spaces,
 * a compass search otherwise). A configuration any trial already has is never proposed; when
 * the acquisition finds none, a random unused one is drawn; a used-up finite space answers
 * `exhausted`. The kernel's hyperparameters are refitted as described in `surrogate.ts`.
 * By default the GP sees the losses with their upper tail compressed (`loss-warping.ts`), and
 * once the search has stalled (a run of trials without improvement) half of the local
 * candidates come from a trust region around the best trial (`trust-region.ts`).
 * With constraints (trials carrying constraint values), one more GP per constraint weighs
 * the acquisition by the probability of feasibility (see `feasibility.ts`).
 */
import type { GaussianProcess } from '../../math/gaussian-process.js';
import { ScrambledHalton } from '../../math/halton.js';
import { QuadraticPriorMean } from '../../math/quadratic-prior-mean.js';
import { Random, deriveSeed } from '../../math/random.js';
import type { ParamValue } from '../../space/index.js';
import { HypertunerError, configurationKey, enumerateConfigurations } from '../../space/index.js';
import type { AskResult, Oracle, StudyView } from '../oracle.js';
import { withFixedParams } from '../oracle.js';
import type { Acquisition } from './acquisition.js';
import { ACQUISITIONS, acquisitionWithGradient, scoreAcquisition } from './acquisition.js';
import type { BatchScore, ScoreWithGradient } from './candidate-search.js';
import { bestOf, searchCandidates } from './candidate-search.js';
import { FeasibilityFitter, withFeasibility } from './feasibility.js';
import type { Observation } from './observations.js';
import { readHistory } from './observations.js';
import { encodeRows, modelSubset } from './model-rows.js';
import { ScalarisedFitter } from './scalarised-surrogate.js';
import { SpaceEncoding } from './space-encoding.js';
import { SurrogateFitter } from './surrogate.js';
import { tailWarpOf } from './loss-warping.js';
import type { TrustRegion } from './trust-region.js';
import { defaultFailureTolerance, trustRegionOf } from './trust-region.js';

/** The Bayesian oracle's trust-region modes (option `trustRegion`). */
export const TRUST_REGION_MODES = ['stalled', 'off'] as const;
export type TrustRegionMode = (typeof TRUST_REGION_MODES)[number];

/** The Bayesian oracle's warps of the observed losses (option `lossWarping`). */
export const LOSS_WARPINGS = ['tail', 'off'] as const;
export type LossWarping = (typeof LOSS_WARPINGS)[number];

export interface BayesianOptimizationOptions {
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /**
   * Trials from the space-filling design before the GP takes over (default clamp(d + 1, 3, 5),
   * d = searchable parameters; it was clamp(d + 1, 3, 10): with the kernel's priors and additive
   * part the GP steers well from 5 points, and on the rugged 8-D Styblinski-Tang regret @50 fell
   * from 56 to 34, on Michalewicz 5-D from 0.75 to 0.30).
   */
  readonly numInitialPoints?: number;
  /** 'ei' (log expected improvement, default) or 'ucb'. */
  readonly acquisition?: Acquisition;
  /**
   * Added to the GP's diagonal on top of the fitted noise, in standardised units (default
   * 1e-8). Keras Tuner's 1e-4 is a noise floor that blurs the last digits: near an optimum the
   * differences between trials fall below it and the model stops resolving where the minimum
   * is (Branin regret @50 2.5e-4 with it, 2.2e-6 without; noisy objectives still get the
   * fitted noise).
   */
  readonly alpha?: number;
  /** UCB's exploration weight (default 2.6, as Keras Tuner). */
  readonly beta?: number;
  /** Candidates scored per ask (default 500). */
  readonly numCandidates?: number;
  /** Best candidates refined locally: L-BFGS on the acquisition's gradient when every parameter is a continuous Float, else a compass search (default 3). */
  readonly numRefine?: number;
  /** Full hyperparameter fit (with restarts) every this many observations; short fits warm-started from the previous one between (default 20). */
  readonly refitEvery?: number;
  /** Random restarts of a full hyperparameter fit (default 2). */
  readonly fitRestarts?: number;
  /** Finite spaces with at most this many configurations are searched exhaustively (default 2000). */
  readonly enumerationLimit?: number;
  /** Random draws tried before a large space counts as used up (default 1000). */
  readonly maxDrawAttempts?: number;
  /**
   * How much worse the GP believes, before seeing data, the faces of the search box are than
   * its inside: the rise of its bowl-shaped prior mean from the centre of the box to a corner,
   * in standard deviations of the observed losses (default 1; 0 gives Keras Tuner's constant
   * prior mean). Numeric and ordered parameters only. It stops expected improvement from
   * piling trials onto the faces of the box, where a GP's extrapolated slopes send it; data
   * override it, so an optimum on a face is still found (see `src/math/quadratic-prior-mean.ts`).
   */
  readonly interiorPrior?: number;
  /**
   * Whether the GP's kernel adds to its Matérn-5/2 ARD part an additive one, a sum of
   * one-input Matérn terms with their own length scales and variance, fitted like the rest
   * (default true). A function that is (nearly) a sum of one-input effects, as many
   * objectives are in part, is then learnt input by input instead of region by region; when
   * the data show no such structure the fit shrinks its variance.
   */
  readonly additive?: boolean;
  /**
   * Most observations the GP is fitted and conditioned on (default 160). With more, it models
   * the best half of this many and an even spread (by trial number) of the others, with
   * hyperparameters fitted once every `refitEvery` asks: asks stay fast (about 30 ms with
   * 1,000 trials in 6 dimensions) where an exact GP would cost O(n³) per ask.
   */
  readonly maxModelPoints?: number;
  /**
   * A TuRBO-style trust region used as a stagnation detector (single objective, no
   * constraints, spaces too large to enumerate). 'stalled' (default): a box around the best
   * trial, side 0.8 of the search cube, halves after `trustRegionFailures` trials in a row
   * that do not improve the best by 0.1% and doubles (up to 0.8) after 3 that do; while it is
   * smaller than 0.8, half of the local candidates of the acquisition search are drawn
   * uniformly in it (see `trust-region.ts`). 'off': no box.
   */
  readonly trustRegion?: TrustRegionMode;
  /** Trials in a row without improvement that halve the trust region (default max(4, d), d = searchable parameters). */
  readonly trustRegionFailures?: number;
  /**
   * How the GP sees the observed losses (single objective). 'tail' (default): losses above
   * t = median + k·(median − best), k = `tailSpreads`, are compressed logarithmically, so a
   * heavy upper tail (a loss spanning orders of magnitude) does not dominate the model; the
   * best losses are unchanged (see `loss-warping.ts`). 'off': the losses themselves.
   */
  readonly lossWarping?: LossWarping;
  /** k of `lossWarping: 'tail'`: the compression starts k spreads (median − best) above the median (default 2). */
  readonly tailSpreads?: number;
}

type Settings = Required<
  Omit<BayesianOptimizationOptions, 'numInitialPoints' | 'trustRegionFailures'>
> & {
  readonly numInitialPoints: number | undefined;
  readonly trustRegionFailures: number | undefined;
};

function checkOptions(options: BayesianOptimizationOptions): Settings {
  const settings: Settings = {
    seed: options.seed ?? 0,
    numInitialPoints: options.numInitialPoints,
    acquisition: options.acquisition ?? 'ei',
    alpha: options.alpha ?? 1e-8,
    beta: options.beta ?? 2.6,
    numCandidates: options.numCandidates ?? 500,
    numRefine: options.numRefine ?? 3,
    refitEvery: options.refitEvery ?? 20,
    fitRestarts: options.fitRestarts ?? 2,
    enumerationLimit: options.enumerationLimit ?? 2000,
    maxDrawAttempts: options.maxDrawAttempts ?? 1000,
    interiorPrior: options.interiorPrior ?? 1,
    additive: options.additive ?? true,
    maxModelPoints: options.maxModelPoints ?? 160,
    trustRegion: options.trustRegion ?? 'stalled',
    trustRegionFailures: options.trustRegionFailures,
    lossWarping: options.lossWarping ?? 'tail',
    tailSpreads: options.tailSpreads ?? 2,
  };
  const integer = (field: keyof Settings, min: number): void => {
    const value = settings[field];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    ) {
      throw new HypertunerError(
        'ORACLE_INVALID_OPTION',
        `BayesianOptimizationOracle: option '${field}' must be an integer >= ${min}, got ${String(value)}.`,
        { field },
      );
    }
  };
  integer('seed', -(2 ** 53));
  integer('numInitialPoints', 1);
  integer('numCandidates', 1);
  integer('numRefine', 0);
  integer('refitEvery', 1);
  integer('fitRestarts', 0);
  integer('enumerationLimit', 0);
  integer('maxDrawAttempts', 0);
  integer('maxModelPoints', 10);
  integer('trustRegionFailures', 1);
  const oneOf = (field: keyof Settings, allowed: readonly unknown[]): void => {
    if (!allowed.includes(settings[field])) {
      throw new HypertunerError(
        'ORACLE_INVALID_OPTION',
        `BayesianOptimizationOracle: option '${field}' must be one of ${allowed.join(', ')}, got ${JSON.stringify(settings[field])}.`,
        { field },
      );
    }
  };
  oneOf('acquisition', ACQUISITIONS);
  oneOf('trustRegion', TRUST_REGION_MODES);
  oneOf('lossWarping', LOSS_WARPINGS);
  if (typeof settings.additive !== 'boolean') {
    throw new HypertunerError(
      'ORACLE_INVALID_OPTION',
      `BayesianOptimizationOracle: option 'additive' must be true or false, got ${JSON.stringify(settings.additive)}.`,
      { field: 'additive' },
    );
  }
  for (const field of ['alpha', 'beta', 'interiorPrior', 'tailSpreads'] as const) {
    const value = settings[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new HypertunerError(
        'ORACLE_INVALID_OPTION',
        `BayesianOptimizationOracle: option '${field}' must be a finite number >= 0, got ${String(value)}.`,
        { field },
      );
    }
  }
  return settings;
}

export class BayesianOptimizationOracle implements Oracle {
  readonly name = 'bayesian';
  readonly #settings: Settings;
  readonly #fitter: SurrogateFitter;
  readonly #feasibility: FeasibilityFitter;
  readonly #scalarised: ScalarisedFitter;
  #encoding: SpaceEncoding | undefined;
  readonly #haltons = new Map<string, ScrambledHalton>();

  constructor(options: BayesianOptimizationOptions = {}) {
    this.#settings = checkOptions(options);
    const surrogate = {
      seed: this.#settings.seed,
      alpha: this.#settings.alpha,
      refitEvery: this.#settings.refitEvery,
      fitRestarts: this.#settings.fitRestarts,
      fullFitBelow: 12,
      fullIterations: 40,
      warmIterations: 10,
      additive: this.#settings.additive,
    };
    const { lossWarping, tailSpreads } = this.#settings;
    this.#fitter = new SurrogateFitter(
      lossWarping === 'tail'
        ? { ...surrogate, warp: (losses) => tailWarpOf(losses, tailSpreads) }
        : surrogate,
    );
    this.#feasibility = new FeasibilityFitter(surrogate);
    this.#scalarised = new ScalarisedFitter(surrogate, this.#settings.maxModelPoints);
  }

  ask(view: StudyView): AskResult {
    view = withFixedParams(view);
    const s = this.#settings;
    const { space } = view;
    if (space.size === 0) return { kind: 'trial', params: {} };
    const encoding = this.#encodingOf(view);
    const random = new Random(deriveSeed(s.seed, view.trials.length, 0xb0));
    const history = readHistory(view.trials, view.objectives, random);
    const isUsed = (params: Record<string, ParamValue>): boolean =>
      history.seen.has(configurationKey(params));

    const finite = space.cardinality() <= s.enumerationLimit;
    let unused: Record<string, ParamValue>[] | undefined;
    if (finite) {
      unused = [...enumerateConfigurations(space)].filter((c) => !isUsed(c));
      if (unused.length === 0) {
        return {
          kind: 'exhausted',
          reason: `all ${history.seen.size} configurations of the search space have been tried`,
        };
      }
    }

    const numInitial = s.numInitialPoints ?? Math.min(5, Math.max(3, encoding.cubeDimension + 1));
    let params: Record<string, ParamValue> | undefined;
    if (history.observations.length < numInitial || history.observations.length < 2) {
      params = this.#initialDesign(encoding, view.trials.length, isUsed);
    } else {
      const feasibility = this.#feasibility.fit(view.trials, history.observations, encoding);
      const acquisition = this.#acquisition(
        encoding,
        history.observations,
        history.pending,
        feasibility?.incumbent,
      );
      const { score, scoreWithGradient } =
        feasibility === undefined
          ? acquisition
          : withFeasibility(acquisition, feasibility, encoding.featureDimension);
      const region =
        unused === undefined && feasibility === undefined && view.objectives.length === 1
          ? this.#stalledRegion(encoding, history.observations, numInitial)
          : undefined;
      params =
        unused !== undefined
          ? bestOf(encoding, score, unused)
          : searchCandidates({
              encoding,
              score,
              scoreWithGradient,
              random,
              halton: this.#halton(encoding.cubeDimension, 0xca),
              haltonStart: view.trials.length * s.numCandidates,
              numCandidates: s.numCandidates,
              anchors: this.#anchors(encoding, feasibility?.anchors ?? history.observations),
              numRefine: s.numRefine,
              isUsed,
              ...(region === undefined ? {} : { region }),
            });
    }
    if (params !== undefined) return { kind: 'trial', params };
    if (unused !== undefined)
      return {
        kind: 'trial',
        params: unused[random.int(unused.length)] as Record<string, ParamValue>,
      };
    for (let attempt = 0; attempt < s.maxDrawAttempts; attempt++) {
      const draw = space.complete({}, random.uniform);
      if (!isUsed(draw)) return { kind: 'trial', params: draw };
    }
    return {
      kind: 'exhausted',
      reason: `no untried configuration found in ${s.maxDrawAttempts} random draws (${history.seen.size} tried)`,
    };
  }

  /** The oracle's scrambled Halton sequence of a dimension and purpose (cached: it is a pure function of the seed). */
  #halton(dimension: number, purpose: number): ScrambledHalton {
    const key = `${dimension}:${purpose}`;
    let halton = this.#haltons.get(key);
    if (halton === undefined) {
      halton = new ScrambledHalton(dimension, deriveSeed(this.#settings.seed, purpose));
      this.#haltons.set(key, halton);
    }
    return halton;
  }

  #encodingOf(view: StudyView): SpaceEncoding {
    if (this.#encoding === undefined || this.#encoding.space !== view.space)
      this.#encoding = new SpaceEncoding(view.space);
    return this.#encoding;
  }

  /** Point k of the seed's Halton sequence for the k-th trial, skipping used configurations. */
  #initialDesign(
    encoding: SpaceEncoding,
    trialCount: number,
    isUsed: (p: Record<string, ParamValue>) => boolean,
  ): Record<string, ParamValue> | undefined {
    const halton = this.#halton(encoding.cubeDimension, 0x1d);
    const point = new Float64Array(encoding.cubeDimension);
    for (let k = trialCount; k < trialCount + 64; k++) {
      halton.point(k, point);
      const params = encoding.decodeCube(point);
      if (!isUsed(params)) return params;
    }
    return undefined;
  }

  /** The GP on the observations (plus fantasies for pending trials), as acquisition scores. */
  #acquisition(
    encoding: SpaceEncoding,
    observations: readonly Observation[],
    pending: readonly Record<string, ParamValue>[],
    incumbent?: number,
  ): { score: BatchScore; scoreWithGradient: ScoreWithGradient } {
    const s = this.#settings;
    const F = encoding.featureDimension;
    let best = Infinity;
    for (const o of observations) best = Math.min(best, o.loss);
    const priorMean =
      s.interiorPrior > 0
        ? new QuadraticPriorMean(s.interiorPrior, encoding.ordinalFeatures)
        : undefined;
    const objectives = observations[0]?.losses.length ?? 1;
    let gp: GaussianProcess;
    if (objectives > 1) {
      gp = this.#scalarised.fit(encoding, observations, objectives, priorMean);
      if (incumbent !== undefined) best = incumbent;
    } else if (observations.length <= s.maxModelPoints) {
      const { x, losses } = encodeRows(encoding, observations);
      gp = this.#fitter.fit(x, observations.length, F, losses, priorMean);
      // the best feasible loss on the modelled scale (the warp leaves the best loss as it is)
      if (incumbent !== undefined) best = this.#fitter.modelledValue(incumbent, losses);
    } else {
      const n = observations.length;
      const atRefit = modelSubset(observations.slice(0, n - (n % s.refitEvery)), s.maxModelPoints);
      const fitted = encodeRows(encoding, atRefit);
      const lossesOf = (os: readonly Observation[]) => Float64Array.from(os, (o) => o.loss);
      const hyperparameters = this.#fitter.fixedHyperparameters(
        fitted.x,
        atRefit.length,
        F,
        fitted.losses,
        priorMean,
        lossesOf(observations.slice(0, n - (n % s.refitEvery))),
      );
      const rows = modelSubset(observations, s.maxModelPoints);
      const { x, losses } = encodeRows(encoding, rows);
      const all = lossesOf(observations);
      gp = this.#fitter.model(x, rows.length, F, losses, hyperparameters, priorMean, all);
      if (incumbent !== undefined) best = this.#fitter.modelledValue(incumbent, all);
    }
    if (pending.length > 0) {
      const p = pending.length;
      const points = new Float64Array(p * F);
      pending.forEach((params, i) => encoding.encodeValues(params, points, i * F));
      const believed = new Float64Array(p);
      gp.predict(points, p, believed, new Float64Array(p));
      for (let i = 0; i < p; i++) best = Math.min(best, believed[i] as number);
      gp = gp.withObservations(points, p, believed);
    }
    const model = gp;
    let mean = new Float64Array(0);
    let variance = new Float64Array(0);
    const settings = { kind: s.acquisition, best, beta: s.beta };
    const score: BatchScore = (features, m, out) => {
      if (mean.length < m) {
        mean = new Float64Array(m);
        variance = new Float64Array(m);
      }
      model.predict(features, m, mean, variance);
      scoreAcquisition(settings, mean, variance, m, out);
    };
    const gradientMean = new Float64Array(F);
    const gradientVariance = new Float64Array(F);
    const scoreWithGradient: ScoreWithGradient = (features, gradient) => {
      const [mu, v] = model.predictWithGradient(features, 0, gradientMean, gradientVariance);
      return acquisitionWithGradient(settings, mu, v, gradientMean, gradientVariance, F, gradient);
    };
    return { score, scoreWithGradient };
  }

  /** The trust region when it is on and has shrunk (the search has stalled), else undefined. */
  #stalledRegion(
    encoding: SpaceEncoding,
    observations: readonly Observation[],
    numInitial: number,
  ): TrustRegion | undefined {
    const s = this.#settings;
    if (s.trustRegion === 'off') return undefined;
    const D = encoding.cubeDimension;
    const region = trustRegionOf(
      observations,
      numInitial,
      D,
      (params, out) => encoding.valuesToCube(params, out),
      s.trustRegionFailures ?? defaultFailureTolerance(D),
    );
    return region?.stalled === true ? region : undefined;
  }

  /** Cube points of the best few observations. */
  #anchors(encoding: SpaceEncoding, observations: readonly Observation[]): Float64Array[] {
    return [...observations]
      .sort((a, b) => a.loss - b.loss || a.number - b.number)
      .slice(0, 5)
      .map((o) => {
        const u = new Float64Array(encoding.cubeDimension);
        encoding.valuesToCube(o.params, u);
        return u;
      });
  }
}
