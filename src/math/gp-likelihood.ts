/**
 * The negative log posterior of a Matérn-5/2 ARD Gaussian process's hyperparameters
 * (negative log marginal likelihood plus negative log prior) and its analytic gradient with
 * respect to θ = [log ℓ_1..d, log σ_f², log σ_n²]:
 *   −log p(y | θ) = ½ yᵀK⁻¹y + ½ log det K + (n/2) log 2π,   K = σ_f² R + (σ_n² + alpha) I,
 *   ∂/∂θ_j = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j),   α = K⁻¹y.
 * Outside the prior's bounds a steep quadratic wall keeps the optimiser in range.
 */
import type { GpPrior } from './gp-hyperparameters.js';
import { hyperparameterCount } from './gp-hyperparameters.js';
import { choleskyInverse, choleskySolve, choleskyWithJitter } from './linalg.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const WALL = 100;
/** √5, local so that the hot loop reads a constant rather than an imported binding. */
const ROOT5 = Math.sqrt(5);

export interface GpTrainingData {
  /** n rows of d inputs, row-major. */
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  /** n targets (standardised by the caller). */
  readonly y: Float64Array;
  /** Fixed value added to the diagonal on top of the fitted noise (default 0). */
  readonly alpha?: number;
}

/** Evaluates the objective many times on one data set, reusing its buffers. */
export class GpNegativeLogPosterior {
  readonly #data: GpTrainingData;
  readonly #prior: GpPrior | undefined;
  readonly #alpha: number;
  readonly #k: Float64Array;
  readonly #radial: Float64Array;
  readonly #l: Float64Array;
  readonly #inverse: Float64Array;
  readonly #scratch: Float64Array;
  readonly #a: Float64Array;
  readonly #inverseLengthScales: Float64Array;
  readonly #bounded: Float64Array;

  /** `prior` undefined gives the plain negative log marginal likelihood. */
  constructor(data: GpTrainingData, prior: GpPrior | undefined) {
    const { n, d } = data;
    this.#data = data;
    this.#prior = prior;
    this.#alpha = data.alpha ?? 0;
    this.#k = new Float64Array(n * n);
    this.#radial = new Float64Array(n * n);
    this.#l = new Float64Array(n * n);
    this.#inverse = new Float64Array(n * n);
    this.#scratch = new Float64Array(n * n);
    this.#a = new Float64Array(n);
    this.#inverseLengthScales = new Float64Array(d);
    this.#bounded = new Float64Array(hyperparameterCount(d));
  }

  /** The objective at θ; writes its gradient into `gradient`. +Infinity when K cannot be factorised. */
  evaluate(theta: Float64Array, gradient: Float64Array): number {
    const { x, n, d, y } = this.#data;
    const prior = this.#prior;
    const t = this.#bounded;
    let penalty = 0;
    gradient.fill(0);
    for (let j = 0; j < t.length; j++) {
      let v = theta[j] as number;
      if (prior !== undefined) {
        const lo = prior.lower[j] as number;
        const hi = prior.upper[j] as number;
        if (v < lo) {
          penalty += 0.5 * WALL * (v - lo) ** 2;
          gradient[j] = WALL * (v - lo);
          v = lo;
        } else if (v > hi) {
          penalty += 0.5 * WALL * (v - hi) ** 2;
          gradient[j] = WALL * (v - hi);
          v = hi;
        }
        const z = (v - (prior.mean[j] as number)) / (prior.sd[j] as number);
        penalty += 0.5 * z * z;
        gradient[j] = (gradient[j] as number) + z / (prior.sd[j] as number);
      }
      t[j] = v;
    }
    const inv = this.#inverseLengthScales;
    for (let k = 0; k < d; k++) inv[k] = Math.exp(-(t[k] as number));
    const signal = Math.exp(t[d] as number);
    const noise = Math.exp(t[d + 1] as number);
    const K = this.#k;
    const radial = this.#radial;
    for (let i = 0; i < n; i++) {
      K[i * n + i] = signal + noise + this.#alpha;
      for (let j = 0; j < i; j++) {
        let r2 = 0;
        for (let k = 0; k < d; k++) {
          const diff = ((x[i * d + k] as number) - (x[j * d + k] as number)) * (inv[k] as number);
          r2 += diff * diff;
        }
        // one exponential for both the kernel and its radial derivative factor
        const sr = ROOT5 * Math.sqrt(r2);
        const e = signal * Math.exp(-sr);
        K[i * n + j] = (1 + sr + (sr * sr) / 3) * e;
        radial[i * n + j] = (5 / 3) * (1 + sr) * e;
      }
    }
    const L = this.#l;
    if (choleskyWithJitter(K, n, L) < 0) return Infinity;
    const a = this.#a;
    choleskySolve(L, n, y, a);
    let value = HALF_LOG_2PI * n;
    for (let i = 0; i < n; i++)
      value += 0.5 * (y[i] as number) * (a[i] as number) + Math.log(L[i * n + i] as number);
    if (!Number.isFinite(value)) return Infinity;

    const W = this.#inverse;
    choleskyInverse(L, n, W, this.#scratch);
    // W := K⁻¹ − ααᵀ, so that ∂(−log p)/∂θ_j = ½ tr(W ∂K/∂θ_j).
    let traceW = 0;
    let signalTerm = 0;
    for (let i = 0; i < n; i++) {
      const ai = a[i] as number;
      const wii = (W[i * n + i] as number) - ai * ai;
      traceW += wii;
      signalTerm += 0.5 * wii * signal;
      for (let j = 0; j < i; j++) {
        const wij = (W[i * n + j] as number) - ai * (a[j] as number);
        signalTerm += wij * (K[i * n + j] as number);
        const common = wij * (radial[i * n + j] as number);
        for (let k = 0; k < d; k++) {
          const diff = ((x[i * d + k] as number) - (x[j * d + k] as number)) * (inv[k] as number);
          gradient[k] = (gradient[k] as number) + common * diff * diff;
        }
      }
    }
    // Off-diagonal pairs were summed once for a symmetric sum counted twice, times ½: factor 1.
    gradient[d] = (gradient[d] as number) + signalTerm;
    gradient[d + 1] = (gradient[d + 1] as number) + 0.5 * traceW * noise;
    return value + penalty;
  }
}
