/**
 * Fitting a Gaussian process's hyperparameters: maximum a posteriori (log marginal
 * likelihood plus log priors) by L-BFGS with analytic gradients, from a warm start and/or
 * the prior's mode and a few random restarts drawn from the prior (descending from each, or
 * only from the one that starts lowest).
 */
import type { GpHyperparameters, GpPrior } from './gp-hyperparameters.js';
import {
  defaultGpPrior,
  packHyperparameters,
  unpackHyperparameters,
} from './gp-hyperparameters.js';
import type { GpTrainingData } from './gp-likelihood.js';
import { GpNegativeLogPosterior } from './gp-likelihood.js';
import { minimizeLbfgs } from './lbfgs.js';
import type { Random } from './random.js';

export interface GpFitOptions {
  /** Priors and bounds (default `defaultGpPrior(d)`). */
  readonly prior?: GpPrior;
  /** Start from these hyperparameters (e.g. the previous fit) instead of the prior's mode. */
  readonly warmStart?: GpHyperparameters;
  /** Extra starts drawn from the prior (needs `random`; default 0). */
  readonly restarts?: number;
  readonly random?: Random;
  /** L-BFGS iterations per start (default 50). */
  readonly maxIterations?: number;
  /** Stop a start when an iteration improves the objective by less than this, relatively (default 1e-9). */
  readonly relativeTolerance?: number;
  /** Stop a start when an iteration improves the objective by less than this many nats (default 0). */
  readonly absoluteTolerance?: number;
  /** Stop a start when every |∂/∂θ_j| is below this (default 1e-5). */
  readonly gradientTolerance?: number;
  /**
   * Evaluate every start once and descend only from the lowest, instead of descending from
   * each (default false). With a warm start, the prior's mode is then a start too.
   */
  readonly descendFromBestStart?: boolean;
  /** More starts (e.g. the last fit on one fewer observation), evaluated with the others. */
  readonly moreStarts?: readonly GpHyperparameters[];
}

export interface GpFitResult {
  readonly hyperparameters: GpHyperparameters;
  /** The negative log posterior at the optimum. */
  readonly value: number;
  readonly evaluations: number;
}

/** MAP hyperparameters for `data` (targets already standardised). */
export function fitGpHyperparameters(
  data: GpTrainingData,
  options: GpFitOptions = {},
): GpFitResult {
  const { d } = data;
  const prior = options.prior ?? defaultGpPrior(d);
  const objective = new GpNegativeLogPosterior(data, prior);
  const evaluate = (theta: Float64Array, gradient: Float64Array): number =>
    objective.evaluate(theta, gradient);
  const starts: Float64Array[] = [
    options.warmStart === undefined
      ? Float64Array.from(prior.mean)
      : packHyperparameters(options.warmStart),
  ];
  const restarts = options.random === undefined ? 0 : (options.restarts ?? 0);
  for (let r = 0; r < restarts; r++) {
    const random = options.random as Random;
    const theta = new Float64Array(prior.mean.length);
    for (let j = 0; j < theta.length; j++) {
      const v = (prior.mean[j] as number) + (prior.sd[j] as number) * random.normal();
      theta[j] = Math.min(prior.upper[j] as number, Math.max(prior.lower[j] as number, v));
    }
    starts.push(theta);
  }
  for (const h of options.moreStarts ?? []) starts.push(packHyperparameters(h));
  const onlyBest = options.descendFromBestStart === true;
  if (options.warmStart !== undefined && (restarts > 0 || onlyBest))
    starts.push(Float64Array.from(prior.mean));
  let best: Float64Array = starts[0] as Float64Array;
  let bestValue = Infinity;
  let evaluations = 0;
  // with `descendFromBestStart`: the lowest start's value and gradient, not evaluated twice
  let evaluatedStart: { value: number; gradient: Float64Array } | undefined;
  if (onlyBest && starts.length > 1) {
    let lowest = Infinity;
    for (const start of starts) {
      const gradient = new Float64Array(prior.mean.length);
      const value = evaluate(start, gradient);
      evaluations++;
      if (value < lowest) {
        lowest = value;
        best = start;
        evaluatedStart = { value, gradient };
      }
    }
    starts.length = 0;
    starts.push(best);
  }
  const maxIterations = options.maxIterations ?? 50;
  const tolerances = {
    relativeTolerance: options.relativeTolerance ?? 1e-9,
    absoluteTolerance: options.absoluteTolerance ?? 0,
    gradientTolerance: options.gradientTolerance ?? 1e-5,
  };
  for (const start of starts) {
    const result = minimizeLbfgs(evaluate, start, {
      maxIterations,
      ...tolerances,
      ...(evaluatedStart === undefined ? {} : { start: evaluatedStart }),
    });
    evaluations += result.evaluations;
    if (result.value < bestValue) {
      bestValue = result.value;
      best = result.x;
    }
  }
  return { hyperparameters: unpackHyperparameters(best, d, prior), value: bestValue, evaluations };
}
