/**
 * The negative log posterior of a Matérn-5/2 ARD Gaussian process's hyperparameters
 * (negative log marginal likelihood plus negative log prior) and its analytic gradient with
 * respect to θ = [log ℓ_1..d, log σ_f², log σ_n²] (+ [log a_1..d, log σ_a²] when θ has the
 * kernel's additive part, `matern52-kernel.ts`):
 *   −log p(y | θ) = ½ yᵀK⁻¹y + ½ log det K + (n/2) log 2π,
 *   K = σ_f² R + σ_a² A + (σ_n² + alpha) I,   A_ij = (1/d) Σ_k M(|x_ik − x_jk| / a_k),
 *   ∂/∂θ_j = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j),   α = K⁻¹y.
 * Outside the prior's bounds a steep quadratic wall keeps the optimiser in range.
 */
import type { GpPrior } from './gp-hyperparameters.js';
import { hasAdditivePart } from './gp-hyperparameters.js';
import { exponentialFactors } from './matern52-kernel.js';
import { choleskyInverse, choleskySolve, choleskyWithJitter } from './linalg.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const WALL = 100;
/** Pairs × dimensions up to which all squared differences are kept (32 MB); beyond, one row's at a time. */
const MAX_STORED_DIFFERENCES = 2 ** 22;
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
  readonly #inverseSquaredLengthScales: Float64Array;
  readonly #bounded: Float64Array;
  /**
   * (x_ik − x_jk)² for the pairs j < i, pair (i, j) at ((i(i−1)/2 + j)·d): the data do not
   * change between evaluations, so only the length scales are applied each time. When that
   * is too large, it holds just the current row i (pairs (i, j) at j·d) and is refilled.
   */
  readonly #squaredDifferences: Float64Array;
  readonly #allPairsStored: boolean;
  readonly #gradientSums: Float64Array;
  /** With an additive part: its kernel values (pairs j < i at i·n + j), its radial factors per pair and input (laid out as the squared differences), 1/a_k², its gradient sums. */
  #additiveK: Float64Array | undefined;
  #additiveRadial: Float64Array | undefined;
  readonly #inverseAdditive: Float64Array;
  readonly #inverseSquaredAdditive: Float64Array;
  readonly #additiveSums: Float64Array;
  /** e^{±√5 x_ik / a_k} of the current evaluation, when safe (`exponentialFactors`). */
  #factors: { expPlus: Float64Array; expMinus: Float64Array } | undefined;

  /**
   * `prior` undefined gives the plain negative log marginal likelihood. `maxStoredDifferences`
   * (pairs × dimensions, default 2²² = 32 MB) bounds the squared differences kept between
   * evaluations; larger data sets recompute one row's at a time.
   */
  constructor(
    data: GpTrainingData,
    prior: GpPrior | undefined,
    maxStoredDifferences = MAX_STORED_DIFFERENCES,
  ) {
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
    this.#inverseSquaredLengthScales = new Float64Array(d);
    this.#bounded = new Float64Array(2 * d + 3);
    this.#gradientSums = new Float64Array(d);
    this.#inverseAdditive = new Float64Array(d);
    this.#inverseSquaredAdditive = new Float64Array(d);
    this.#additiveSums = new Float64Array(d);
    const pairs = (n * (n - 1)) / 2;
    this.#allPairsStored = pairs * d <= maxStoredDifferences;
    this.#squaredDifferences = new Float64Array(this.#allPairsStored ? pairs * d : n * d);
    if (this.#allPairsStored)
      for (let i = 1; i < n; i++) this.#squaredDifferencesOfRow(i, ((i * (i - 1)) / 2) * d);
  }

  /** Writes (x_ik − x_jk)² for j < i into the differences buffer from `offset`. */
  #squaredDifferencesOfRow(i: number, offset: number): void {
    const { x, d } = this.#data;
    const out = this.#squaredDifferences;
    for (let j = 0; j < i; j++)
      for (let k = 0; k < d; k++) {
        const diff = (x[i * d + k] as number) - (x[j * d + k] as number);
        out[offset + j * d + k] = diff * diff;
      }
  }

  /** Where row i's squared differences start in the buffer (filling it first when rows are not all stored). */
  #rowOffset(i: number): number {
    if (this.#allPairsStored) return ((i * (i - 1)) / 2) * this.#data.d;
    this.#squaredDifferencesOfRow(i, 0);
    return 0;
  }

  /**
   * The objective at θ (of length d + 2, or 2d + 3 with the additive part); writes its
   * gradient into `gradient`. +Infinity when K cannot be factorised.
   */
  evaluate(theta: Float64Array, gradient: Float64Array): number {
    const { n, d, y } = this.#data;
    const prior = this.#prior;
    const additive = hasAdditivePart(theta.length, d);
    const t = this.#bounded;
    let penalty = 0;
    gradient.fill(0);
    for (let j = 0; j < theta.length; j++) {
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
    const inv2 = this.#inverseSquaredLengthScales;
    for (let k = 0; k < d; k++) inv2[k] = Math.exp(-2 * (t[k] as number));
    const signal = Math.exp(t[d] as number);
    const noise = Math.exp(t[d + 1] as number);
    const additiveVariance = additive ? Math.exp(t[2 * d + 2] as number) : 0;
    if (additive) {
      for (let k = 0; k < d; k++) {
        const inverse = Math.exp(-(t[d + 2 + k] as number));
        this.#inverseAdditive[k] = inverse;
        this.#inverseSquaredAdditive[k] = inverse * inverse;
      }
      this.#factors = exponentialFactors(this.#data.x, n, d, this.#inverseAdditive);
      if (this.#additiveK === undefined) {
        this.#additiveK = new Float64Array(n * n);
        this.#additiveRadial = new Float64Array(this.#squaredDifferences.length);
      }
    }
    const K = this.#k;
    const radial = this.#radial;
    const sq = this.#squaredDifferences;
    for (let i = 0; i < n; i++) {
      K[i * n + i] = signal + additiveVariance + noise + this.#alpha;
      const row = this.#rowOffset(i);
      for (let j = 0; j < i; j++) {
        const o = row + j * d;
        let r2 = 0;
        for (let k = 0; k < d; k++) r2 += (sq[o + k] as number) * (inv2[k] as number);
        // one exponential for both the kernel and its radial derivative factor
        const sr = ROOT5 * Math.sqrt(r2);
        const e = signal * Math.exp(-sr);
        K[i * n + j] = (1 + sr + (sr * sr) / 3) * e;
        radial[i * n + j] = (5 / 3) * (1 + sr) * e;
      }
      if (additive) this.#additiveRow(i, row, additiveVariance / d, K);
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
    // ∂K_ij/∂log ℓ_k = radial_ij · (x_ik − x_jk)²/ℓ_k²: sum radial·W·(difference²) per k, scale by 1/ℓ_k² once.
    const sums = this.#gradientSums;
    sums.fill(0);
    let traceW = 0;
    let signalTerm = 0;
    for (let i = 0; i < n; i++) {
      const ai = a[i] as number;
      const wii = (W[i * n + i] as number) - ai * ai;
      traceW += wii;
      signalTerm += 0.5 * wii * signal;
      const row = this.#rowOffset(i);
      for (let j = 0; j < i; j++) {
        const wij = (W[i * n + j] as number) - ai * (a[j] as number);
        const common = wij * (radial[i * n + j] as number);
        // (radial = −(1/r)∂k/∂r of the ARD part, which is K_ij's ARD part times a factor)
        signalTerm +=
          wij *
          ((K[i * n + j] as number) -
            (additive ? (this.#additiveK as Float64Array)[i * n + j]! : 0));
        const o = row + j * d;
        for (let k = 0; k < d; k++) sums[k] = (sums[k] as number) + common * (sq[o + k] as number);
      }
    }
    for (let k = 0; k < d; k++)
      gradient[k] = (gradient[k] as number) + (sums[k] as number) * (inv2[k] as number);
    // Off-diagonal pairs were summed once for a symmetric sum counted twice, times ½: factor 1.
    gradient[d] = (gradient[d] as number) + signalTerm;
    gradient[d + 1] = (gradient[d + 1] as number) + 0.5 * traceW * noise;
    if (additive) this.#additiveGradient(W, a, additiveVariance, gradient);
    return value + penalty;
  }

  /**
   * Adds the additive part of row i (pairs j < i, squared differences from `row`) to K, keeping
   * its kernel values and radial factors for the gradient.
   */
  #additiveRow(i: number, row: number, weight: number, K: Float64Array): void {
    const { n, d } = this.#data;
    const sq = this.#squaredDifferences;
    const inverse = this.#inverseAdditive;
    const kept = this.#additiveK as Float64Array;
    const radial = this.#additiveRadial as Float64Array;
    const factors = this.#factors;
    const x = this.#data.x;
    for (let j = 0; j < i; j++) {
      const o = row + j * d;
      let sum = 0;
      if (factors !== undefined) {
        // e^{−c|x_i − x_j|} as a product of the rows' factors (see `AdditivePart`)
        const { expPlus, expMinus } = factors;
        for (let k = 0; k < d; k++) {
          const diff = (x[i * d + k] as number) - (x[j * d + k] as number);
          const s = ROOT5 * (diff < 0 ? -diff : diff) * (inverse[k] as number);
          const e =
            weight *
            (diff >= 0
              ? (expMinus[i * d + k] as number) * (expPlus[j * d + k] as number)
              : (expPlus[i * d + k] as number) * (expMinus[j * d + k] as number));
          sum += (1 + s + (s * s) / 3) * e;
          radial[o + k] = (5 / 3) * (1 + s) * e;
        }
      } else {
        for (let k = 0; k < d; k++) {
          const s = ROOT5 * Math.sqrt(sq[o + k] as number) * (inverse[k] as number);
          const e = weight * Math.exp(-s);
          sum += (1 + s + (s * s) / 3) * e;
          radial[o + k] = (5 / 3) * (1 + s) * e;
        }
      }
      kept[i * n + j] = sum;
      K[i * n + j] = (K[i * n + j] as number) + sum;
    }
  }

  /**
   * The additive part's gradient (W = K⁻¹ with ααᵀ still to subtract, as in `evaluate`):
   *   ∂K_ij/∂log a_k = (σ_a²/d) radial_k (x_ik − x_jk)² / a_k²,  ∂K_ij/∂log σ_a² = σ_a² A_ij.
   */
  #additiveGradient(
    W: Float64Array,
    a: Float64Array,
    variance: number,
    gradient: Float64Array,
  ): void {
    const { n, d } = this.#data;
    const sq = this.#squaredDifferences;
    const kept = this.#additiveK as Float64Array;
    const radial = this.#additiveRadial as Float64Array;
    const sums = this.#additiveSums;
    sums.fill(0);
    let variancePart = 0;
    for (let i = 0; i < n; i++) {
      const ai = a[i] as number;
      variancePart += 0.5 * ((W[i * n + i] as number) - ai * ai) * variance;
      let row: number;
      if (this.#allPairsStored) row = ((i * (i - 1)) / 2) * d;
      else {
        // recompute row i's squared differences and radial factors
        row = this.#rowOffset(i);
        this.#additiveRow(i, row, variance / d, this.#scratch);
      }
      for (let j = 0; j < i; j++) {
        const wij = (W[i * n + j] as number) - ai * (a[j] as number);
        variancePart += wij * (kept[i * n + j] as number);
        const o = row + j * d;
        for (let k = 0; k < d; k++)
          sums[k] = (sums[k] as number) + wij * (radial[o + k] as number) * (sq[o + k] as number);
      }
    }
    for (let k = 0; k < d; k++)
      gradient[d + 2 + k] =
        (gradient[d + 2 + k] as number) +
        (sums[k] as number) * (this.#inverseSquaredAdditive[k] as number);
    gradient[2 * d + 2] = (gradient[2 * d + 2] as number) + variancePart;
  }
}
