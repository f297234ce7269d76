/**
 * Hyperparameters of a Gaussian process with a Matérn-5/2 ARD kernel, optionally plus an
 * additive part (see `matern52-kernel.ts`), their packed form
 * θ = [log ℓ_1..log ℓ_d, log σ_f², log σ_n²] (+ [log a_1..log a_d, log σ_a²] with the additive
 * part) — what the fit optimises — and their priors. Inputs live in [0, 1]^d and targets are
 * standardised, so one set of priors fits all problems: log-normal on length scales (median
 * 0.3·d^¼, one e-fold either way within 1 sd), on the signal variance (centred on 1), on the
 * noise (centred on a small value), on the additive length scales (median 0.25: one input's
 * own scale) and on the additive variance (centred on 0.1: a minor part until data say more).
 */

export interface GpHyperparameters {
  /** One length scale per input dimension. */
  readonly lengthScales: Float64Array;
  /** σ_f²: the kernel's variance (in standardised target units). */
  readonly signalVariance: number;
  /** σ_n²: fitted observation noise (in standardised target units). */
  readonly noiseVariance: number;
  /** The additive part σ_a² (1/d) Σ_k M(|x_k − x'_k| / a_k), when the kernel has one. */
  readonly additive?: AdditiveHyperparameters;
}

/** Length scales a_k and variance σ_a² of the kernel's additive part. */
export interface AdditiveHyperparameters {
  readonly lengthScales: Float64Array;
  readonly variance: number;
}

/** A normal prior on each packed (log) hyperparameter, and box bounds on them. */
export interface GpPrior {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Number of packed hyperparameters for d input dimensions (with or without an additive part). */
export function hyperparameterCount(d: number, additive = false): number {
  return additive ? 2 * d + 3 : d + 2;
}

/** Whether packed hyperparameters (or a prior over them) of length `length` include an additive part for d inputs. */
export function hasAdditivePart(length: number, d: number): boolean {
  return length === 2 * d + 3;
}

/** The priors used by default for d input dimensions, with an additive part when `additive`. */
export function defaultGpPrior(d: number, additive = false): GpPrior {
  const p = hyperparameterCount(d, additive);
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  // Median 0.3·d^¼ of the unit range, tuned on Branin / Hartmann-6 and a conditional mixed
  // space: 0.5·d^¼ explored too much early on Hartmann-6; a flat 0.3 made higher-dimensional
  // spaces look uncorrelated, so EI chased the corners. The wide sd lets data move it.
  const lengthMean = Math.log(0.3) + 0.25 * Math.log(Math.max(1, d));
  for (let k = 0; k < d; k++) {
    mean[k] = lengthMean;
    sd[k] = 1;
    lower[k] = Math.log(0.005);
    upper[k] = Math.log(50);
  }
  mean[d] = 0;
  sd[d] = 1;
  lower[d] = Math.log(0.01);
  upper[d] = Math.log(100);
  mean[d + 1] = Math.log(1e-4);
  sd[d + 1] = 3;
  lower[d + 1] = Math.log(1e-9);
  upper[d + 1] = Math.log(2);
  if (additive) {
    for (let k = 0; k < d; k++) {
      mean[d + 2 + k] = Math.log(0.25);
      sd[d + 2 + k] = 1;
      lower[d + 2 + k] = Math.log(0.005);
      upper[d + 2 + k] = Math.log(50);
    }
    mean[2 * d + 2] = Math.log(0.1);
    sd[2 * d + 2] = 1.5;
    lower[2 * d + 2] = Math.log(1e-6);
    upper[2 * d + 2] = Math.log(100);
  }
  return { mean, sd, lower, upper };
}

/** θ from hyperparameters. */
export function packHyperparameters(h: GpHyperparameters): Float64Array {
  const d = h.lengthScales.length;
  const theta = new Float64Array(hyperparameterCount(d, h.additive !== undefined));
  for (let k = 0; k < d; k++) theta[k] = Math.log(h.lengthScales[k] as number);
  theta[d] = Math.log(h.signalVariance);
  theta[d + 1] = Math.log(h.noiseVariance);
  if (h.additive !== undefined) {
    for (let k = 0; k < d; k++) theta[d + 2 + k] = Math.log(h.additive.lengthScales[k] as number);
    theta[2 * d + 2] = Math.log(h.additive.variance);
  }
  return theta;
}

/** Hyperparameters from θ (values outside the prior's bounds are clamped when `prior` is given); θ's length says whether there is an additive part. */
export function unpackHyperparameters(
  theta: Float64Array,
  d: number,
  prior?: GpPrior,
): GpHyperparameters {
  const at = (k: number): number => {
    const v = theta[k] as number;
    if (prior === undefined) return v;
    return Math.min(prior.upper[k] as number, Math.max(prior.lower[k] as number, v));
  };
  const lengthScales = new Float64Array(d);
  for (let k = 0; k < d; k++) lengthScales[k] = Math.exp(at(k));
  const base = {
    lengthScales,
    signalVariance: Math.exp(at(d)),
    noiseVariance: Math.exp(at(d + 1)),
  };
  if (!hasAdditivePart(theta.length, d)) return base;
  const additiveScales = new Float64Array(d);
  for (let k = 0; k < d; k++) additiveScales[k] = Math.exp(at(d + 2 + k));
  return { ...base, additive: { lengthScales: additiveScales, variance: Math.exp(at(2 * d + 2)) } };
}
