/**
 * A Gaussian-process regression model with a Matérn-5/2 ARD kernel (plus its additive part
 * when the hyperparameters have one) and given hyperparameters: posterior mean and variance, batched over many points. Targets are
 * standardised (zero mean, unit variance) internally unless told otherwise; predictions are
 * in the targets' own units.
 */
import type { GpHyperparameters } from './gp-hyperparameters.js';
import {
  choleskySolve,
  choleskyWithJitter,
  solveLower,
  solveLowerFour,
  solveUpper,
  transposeInto,
} from './linalg.js';
import type { AdditivePart } from './matern52-kernel.js';
import { exponentialFactors, kernelMatrix, kernelRow } from './matern52-kernel.js';
import type { QuadraticPriorMean } from './quadratic-prior-mean.js';

/** √5, local so that hot loops read a constant rather than an imported binding. */
const ROOT5 = Math.sqrt(5);

/** Affine map of the targets: standardised = (y − mean) / scale. */
export interface TargetScaling {
  readonly mean: number;
  readonly scale: number;
}

export interface GaussianProcessOptions {
  /** n training inputs of dimension d, row-major. */
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  /** n training targets. */
  readonly y: Float64Array;
  readonly hyperparameters: GpHyperparameters;
  /** Added to the diagonal on top of the fitted noise (default 0). */
  readonly alpha?: number;
  /** How targets are standardised; default: by their own mean and standard deviation. */
  readonly scaling?: TargetScaling;
  /** Prior mean in standardised units (default 0): the GP models the targets' departure from it. */
  readonly priorMean?: QuadraticPriorMean;
}

/** Mean and standard deviation of `y` (scale 1 when all values are equal). */
export function standardScaling(y: Float64Array): TargetScaling {
  const n = y.length;
  if (n === 0) return { mean: 0, scale: 1 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] as number;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((y[i] as number) - mean) ** 2;
  const sd = Math.sqrt(v / n);
  return { mean, scale: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1 };
}

export class GaussianProcess {
  readonly n: number;
  readonly d: number;
  readonly x: Float64Array;
  readonly hyperparameters: GpHyperparameters;
  readonly scaling: TargetScaling;
  readonly priorMean: QuadraticPriorMean | undefined;
  /** Jitter that had to be added to factorise the kernel matrix (0 normally). */
  readonly jitter: number;
  readonly #l: Float64Array;
  readonly #weights: Float64Array;
  readonly #inverseLengthScales: Float64Array;
  readonly #additive: AdditivePart | undefined;
  /** The additive part's radial factors at the last gradient prediction's point (n × d). */
  #additiveRadial = new Float64Array(0);
  /** k(x, x): σ_f² plus σ_a² with an additive part. */
  readonly #priorVariance: number;
  readonly #row: Float64Array;
  /** Four kernel rows, for predictions four points at a time. */
  readonly #rows: readonly [Float64Array, Float64Array, Float64Array, Float64Array];
  readonly #alpha: number;
  readonly #y: Float64Array;
  readonly #radial: Float64Array;
  readonly #q: Float64Array;
  /** Lᵀ row-major, built on the first gradient prediction (the solve with it reads rows). */
  #upper: Float64Array | undefined;

  constructor(options: GaussianProcessOptions) {
    const { x, n, d, hyperparameters } = options;
    this.n = n;
    this.d = d;
    this.x = x;
    this.hyperparameters = hyperparameters;
    this.#alpha = options.alpha ?? 0;
    this.scaling = options.scaling ?? standardScaling(options.y.subarray(0, n));
    this.priorMean = options.priorMean;
    this.#inverseLengthScales = new Float64Array(d);
    for (let k = 0; k < d; k++)
      this.#inverseLengthScales[k] = 1 / (hyperparameters.lengthScales[k] as number);
    const additive = hyperparameters.additive;
    this.#additive =
      additive === undefined
        ? undefined
        : withFactors(
            x,
            n,
            d,
            additive.lengthScales.map((a) => 1 / a),
            additive.variance / d,
          );
    this.#priorVariance = hyperparameters.signalVariance + (additive?.variance ?? 0);
    const K = new Float64Array(n * n);
    kernelMatrix(
      x,
      n,
      d,
      this.#inverseLengthScales,
      hyperparameters.signalVariance,
      K,
      this.#additive,
    );
    const diagonal = hyperparameters.noiseVariance + this.#alpha;
    for (let i = 0; i < n; i++) K[i * n + i] = (K[i * n + i] as number) + diagonal;
    this.#l = new Float64Array(n * n);
    let jitter = choleskyWithJitter(K, n, this.#l, { maxAttempts: 14 });
    if (jitter < 0) {
      // Hopeless conditioning (should not happen with a positive diagonal): fall back to a
      // diagonal model rather than failing the caller.
      this.#l.fill(0);
      for (let i = 0; i < n; i++) this.#l[i * n + i] = Math.sqrt(this.#priorVariance + diagonal);
      jitter = Infinity;
    }
    this.jitter = jitter;
    this.#y = Float64Array.from(options.y.subarray(0, n));
    this.#weights = new Float64Array(n);
    const { mean, scale } = this.scaling;
    for (let i = 0; i < n; i++) {
      const prior = this.priorMean?.value(x, i * d) ?? 0;
      this.#weights[i] = ((options.y[i] as number) - mean) / scale - prior;
    }
    choleskySolve(this.#l, n, this.#weights, this.#weights);
    this.#row = new Float64Array(n);
    this.#rows = [
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n),
    ];
    this.#radial = new Float64Array(n);
    this.#q = new Float64Array(n);
  }

  /**
   * Posterior mean and variance of the latent function (noise excluded) at the m rows of
   * `points` (m × d, row-major), into `mean[0..m)` and `variance[0..m)`.
   */
  predict(points: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void {
    const { n, d } = this;
    const rows = this.#rows;
    const signal = this.hyperparameters.signalVariance;
    const priorVariance = this.#priorVariance;
    const { mean: shift, scale } = this.scaling;
    const scale2 = scale * scale;
    const weights = this.#weights;
    // four points at a time share each pass over L (`solveLowerFour`); the rest one by one
    for (let start = 0; start < m; start += 4) {
      const count = Math.min(4, m - start);
      for (let t = 0; t < count; t++) {
        const row = rows[t] as Float64Array;
        kernelRow(
          points,
          start + t,
          this.x,
          n,
          d,
          this.#inverseLengthScales,
          signal,
          row,
          this.#additive,
        );
        let mu = this.priorMean?.value(points, (start + t) * d) ?? 0;
        for (let j = 0; j < n; j++) mu += (row[j] as number) * (weights[j] as number);
        mean[start + t] = shift + scale * mu;
      }
      if (count === 4) solveLowerFour(this.#l, n, rows[0], rows[1], rows[2], rows[3]);
      else
        for (let t = 0; t < count; t++)
          solveLower(this.#l, n, rows[t] as Float64Array, rows[t] as Float64Array);
      for (let t = 0; t < count; t++) {
        const row = rows[t] as Float64Array;
        let explained = 0;
        for (let j = 0; j < n; j++) explained += (row[j] as number) * (row[j] as number);
        variance[start + t] = Math.max(priorVariance - explained, 1e-12 * priorVariance) * scale2;
      }
    }
  }

  /**
   * Posterior mean and variance at one point (d inputs from `point[offset..]`) with their
   * gradients with respect to the point, written into `gradientMean[0..d)` and
   * `gradientVariance[0..d)`. Returns [mean, variance] (same units as `predict`).
   *   ∂k_j/∂x_k = −σ_f² (5/3)(1 + √5 r_j) e^{−√5 r_j} (x_k − X_jk)/ℓ_k²,
   *   ∂μ/∂x = Σ_j w_j ∂k_j/∂x,   ∂σ²/∂x = −2 Σ_j q_j ∂k_j/∂x,  q = K⁻¹k;
   * the additive part adds −(σ_a²/d)(5/3)(1 + √5 s_jk) e^{−√5 s_jk} (x_k − X_jk)/a_k² to
   * ∂k_j/∂x_k, s_jk = |x_k − X_jk| / a_k.
   */
  predictWithGradient(
    point: Float64Array,
    offset: number,
    gradientMean: Float64Array,
    gradientVariance: Float64Array,
  ): [number, number] {
    const { n, d, x } = this;
    const row = this.#row;
    const radial = this.#radial;
    const q = this.#q;
    const inv = this.#inverseLengthScales;
    const signal = this.hyperparameters.signalVariance;
    let mu = this.priorMean?.value(point, offset) ?? 0;
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const diff =
          ((point[offset + k] as number) - (x[j * d + k] as number)) * (inv[k] as number);
        r2 += diff * diff;
      }
      const sr = ROOT5 * Math.sqrt(r2);
      const e = signal * Math.exp(-sr);
      row[j] = (1 + sr + (sr * sr) / 3) * e;
      radial[j] = (5 / 3) * (1 + sr) * e;
    }
    const additive = this.#additive;
    if (additive !== undefined) this.#addAdditiveRow(point, offset, row);
    for (let j = 0; j < n; j++) mu += (row[j] as number) * (this.#weights[j] as number);
    solveLower(this.#l, n, row, q);
    let explained = 0;
    for (let j = 0; j < n; j++) explained += (q[j] as number) * (q[j] as number);
    if (this.#upper === undefined) {
      this.#upper = new Float64Array(n * n);
      transposeInto(this.#l, n, this.#upper);
    }
    solveUpper(this.#upper, n, q, q);
    gradientMean.fill(0, 0, d);
    gradientVariance.fill(0, 0, d);
    this.priorMean?.addGradient(point, offset, 1, gradientMean);
    for (let j = 0; j < n; j++) {
      const wj = this.#weights[j] as number;
      const qj = q[j] as number;
      const rj = radial[j] as number;
      for (let k = 0; k < d; k++) {
        const ik = inv[k] as number;
        const c = -rj * ((point[offset + k] as number) - (x[j * d + k] as number)) * ik * ik;
        gradientMean[k] = (gradientMean[k] as number) + c * wj;
        gradientVariance[k] = (gradientVariance[k] as number) - 2 * c * qj;
      }
    }
    if (additive !== undefined)
      this.#addAdditiveGradient(point, offset, q, gradientMean, gradientVariance);
    const { mean: shift, scale } = this.scaling;
    const variance = this.#priorVariance - explained;
    const floor = 1e-12 * this.#priorVariance;
    for (let k = 0; k < d; k++) {
      gradientMean[k] = (gradientMean[k] as number) * scale;
      gradientVariance[k] = variance > floor ? (gradientVariance[k] as number) * scale * scale : 0;
    }
    return [shift + scale * mu, Math.max(variance, floor) * scale * scale];
  }

  /**
   * Adds the additive part's kernel values at one point to `row` (the ARD part's), keeping
   * each term's weight·(5/3)(1 + √5 s)e^{−√5 s} for the gradient.
   */
  #addAdditiveRow(point: Float64Array, offset: number, row: Float64Array): void {
    const { n, d, x } = this;
    const { inverseLengthScales: inverse, weight } = this.#additive as AdditivePart;
    if (this.#additiveRadial.length < n * d) this.#additiveRadial = new Float64Array(n * d);
    const radial = this.#additiveRadial;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) {
        const diff = (point[offset + k] as number) - (x[j * d + k] as number);
        const s = ROOT5 * (diff < 0 ? -diff : diff) * (inverse[k] as number);
        const e = Math.exp(-s);
        sum += (1 + s + (s * s) / 3) * e;
        radial[j * d + k] = weight * (5 / 3) * (1 + s) * e;
      }
      row[j] = (row[j] as number) + weight * sum;
    }
  }

  /** Adds the additive part's terms to ∂μ/∂x and ∂σ²/∂x (q = K⁻¹k), from the factors `#addAdditiveRow` kept at this point. */
  #addAdditiveGradient(
    point: Float64Array,
    offset: number,
    q: Float64Array,
    gradientMean: Float64Array,
    gradientVariance: Float64Array,
  ): void {
    const { n, d, x } = this;
    const inverse = (this.#additive as AdditivePart).inverseLengthScales;
    const radial = this.#additiveRadial;
    for (let j = 0; j < n; j++) {
      const wj = this.#weights[j] as number;
      const qj = q[j] as number;
      for (let k = 0; k < d; k++) {
        const ik = inverse[k] as number;
        const diff = (point[offset + k] as number) - (x[j * d + k] as number);
        const c = -(radial[j * d + k] as number) * diff * ik * ik;
        gradientMean[k] = (gradientMean[k] as number) + c * wj;
        gradientVariance[k] = (gradientVariance[k] as number) - 2 * c * qj;
      }
    }
  }

  /** The same model with extra observations (e.g. fantasies for running trials), same hyperparameters and scaling. */
  withObservations(points: Float64Array, m: number, values: Float64Array): GaussianProcess {
    const x = new Float64Array((this.n + m) * this.d);
    x.set(this.x.subarray(0, this.n * this.d));
    x.set(points.subarray(0, m * this.d), this.n * this.d);
    const y = new Float64Array(this.n + m);
    y.set(this.#y);
    y.set(values.subarray(0, m), this.n);
    return new GaussianProcess({
      x,
      n: this.n + m,
      d: this.d,
      y,
      hyperparameters: this.hyperparameters,
      alpha: this.#alpha,
      scaling: this.scaling,
      ...(this.priorMean === undefined ? {} : { priorMean: this.priorMean }),
    });
  }
}

/** The additive part, with the exponential factors of the training rows when they are safe. */
function withFactors(
  x: Float64Array,
  n: number,
  d: number,
  inverseLengthScales: Float64Array,
  weight: number,
): AdditivePart {
  const factors = exponentialFactors(x, n, d, inverseLengthScales);
  return factors === undefined
    ? { inverseLengthScales, weight }
    : { inverseLengthScales, weight, ...factors };
}
