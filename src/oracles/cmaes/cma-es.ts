/**
 * The CMA-ES update (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016): a Gaussian
 * N(m, σ²C) that moves towards the better half of each generation, with cumulative step-size
 * adaptation, rank-one and rank-μ covariance updates and negative weights for the worse half
 * (active CMA), bounded by a box. The defaults are the tutorial's (and the `cmaes` package's,
 * which Optuna uses): population 4 + ⌊3 ln d⌋, μ = λ/2, and its learning rates.
 *
 * It is plain state: `sample` draws with a generator it is given, `tell` updates from a
 * generation's points and losses. The oracle rebuilds it from a study's history.
 */
import type { Random } from '../../math/random.js';
import { symmetricEigen } from '../../math/symmetric-eigen.js';

const EPS = 1e-8;
const SIGMA_MAX = 1e32;

/** Where a CMA-ES run starts. */
export interface CmaEsStart {
  readonly mean: Float64Array;
  readonly sigma: number;
  /** Initial covariance (row-major d×d), the identity when absent. */
  readonly cov?: Float64Array;
  /** Population size λ (default 4 + ⌊3 ln d⌋). */
  readonly populationSize?: number;
  /** Box bounds per dimension (default [0, 1]). */
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
}

/** The default population size of a d-dimensional problem: 4 + ⌊3 ln d⌋. */
export function defaultPopulationSize(d: number): number {
  return 4 + Math.floor(3 * Math.log(d));
}

export class CmaEs {
  readonly dim: number;
  readonly populationSize: number;
  readonly mu: number;
  readonly weights: Float64Array;
  readonly muEff: number;
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly chiN: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;

  mean: Float64Array;
  sigma: number;
  /** Row-major covariance. */
  cov: Float64Array;
  pSigma: Float64Array;
  pc: Float64Array;
  generation = 0;
  readonly #start: CmaEsStart;
  readonly #tolX: number;
  readonly #funHistTerm: number;
  #funHist: number[] = [];
  #B: Float64Array | undefined;
  #D: Float64Array | undefined;

  constructor(start: CmaEsStart) {
    const d = start.mean.length;
    if (d < 1) throw new RangeError('CMA-ES needs at least one dimension');
    const lambda = start.populationSize ?? defaultPopulationSize(d);
    this.#start = start;
    this.dim = d;
    this.populationSize = lambda;
    this.mu = Math.floor(lambda / 2);
    const raw = Array.from(
      { length: lambda },
      (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1),
    );
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const positive = raw.slice(0, this.mu);
    const negative = raw.slice(this.mu);
    this.muEff = sum(positive) ** 2 / sum(positive.map((w) => w * w));
    const muEffMinus =
      negative.length === 0 ? 0 : sum(negative) ** 2 / sum(negative.map((w) => w * w));
    const alphaCov = 2;
    this.c1 = alphaCov / ((d + 1.3) ** 2 + this.muEff);
    this.cmu = Math.min(
      1 - this.c1 - 1e-8,
      (alphaCov * (this.muEff - 2 + 1 / this.muEff)) / ((d + 2) ** 2 + (alphaCov * this.muEff) / 2),
    );
    const minAlpha = Math.min(
      1 + this.c1 / this.cmu,
      1 + (2 * muEffMinus) / (this.muEff + 2),
      (1 - this.c1 - this.cmu) / (d * this.cmu),
    );
    const positiveSum = sum(raw.filter((w) => w > 0));
    const negativeSum = sum(raw.filter((w) => w < 0).map(Math.abs));
    this.weights = Float64Array.from(raw, (w) =>
      w >= 0 ? w / positiveSum : (minAlpha / negativeSum) * w,
    );
    this.cSigma = (this.muEff + 2) / (d + this.muEff + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((this.muEff - 1) / (d + 1)) - 1) + this.cSigma;
    this.cc = (4 + this.muEff / d) / (d + 4 + (2 * this.muEff) / d);
    this.chiN = Math.sqrt(d) * (1 - 1 / (4 * d) + 1 / (21 * d * d));

    this.mean = Float64Array.from(start.mean);
    this.sigma = start.sigma;
    this.cov = new Float64Array(d * d);
    if (start.cov === undefined) for (let i = 0; i < d; i++) this.cov[i * d + i] = 1;
    else this.cov.set(start.cov);
    this.pSigma = new Float64Array(d);
    this.pc = new Float64Array(d);
    this.lower = start.lower ?? new Float64Array(d);
    this.upper = start.upper ?? new Float64Array(d).fill(1);
    this.#tolX = 1e-12 * start.sigma;
    this.#funHistTerm = 10 + Math.ceil((30 * d) / lambda);
  }

  /** An independent copy of this state. */
  clone(): CmaEs {
    const copy = new CmaEs(this.#start);
    copy.mean = Float64Array.from(this.mean);
    copy.sigma = this.sigma;
    copy.cov = Float64Array.from(this.cov);
    copy.pSigma = Float64Array.from(this.pSigma);
    copy.pc = Float64Array.from(this.pc);
    copy.generation = this.generation;
    copy.#funHist = [...this.#funHist];
    copy.#B = this.#B;
    copy.#D = this.#D;
    return copy;
  }

  /** B (eigenvectors, columns) and D (square roots of the eigenvalues) of C, cached until `tell`. */
  #eigen(): { B: Float64Array; D: Float64Array } {
    if (this.#B !== undefined && this.#D !== undefined) return { B: this.#B, D: this.#D };
    const d = this.dim;
    const { values, vectors } = symmetricEigen(this.cov, d);
    const D = Float64Array.from(values, (v) => Math.sqrt(v < 0 ? EPS : v));
    // C rebuilt from its (repaired) decomposition, exactly symmetric
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let c = 0;
        for (let k = 0; k < d; k++)
          c +=
            (vectors[i * d + k] as number) * (D[k] as number) ** 2 * (vectors[j * d + k] as number);
        this.cov[i * d + j] = c;
      }
    }
    this.#B = vectors;
    this.#D = D;
    return { B: vectors, D };
  }

  /** One unbounded draw m + σ·B·D·z, z ~ N(0, I). */
  #draw(random: Random): Float64Array {
    const { B, D } = this.#eigen();
    const d = this.dim;
    const z = Float64Array.from({ length: d }, (_, k) => (D[k] as number) * random.normal());
    const x = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let y = 0;
      for (let k = 0; k < d; k++) y += (B[i * d + k] as number) * (z[k] as number);
      x[i] = (this.mean[i] as number) + this.sigma * y;
    }
    return x;
  }

  #inBounds(x: Float64Array): boolean {
    for (let i = 0; i < this.dim; i++)
      if (
        (x[i] as number) < (this.lower[i] as number) ||
        (x[i] as number) > (this.upper[i] as number)
      )
        return false;
    return true;
  }

  /** A draw inside the box: up to `maxResampling` tries, then the last one clipped (as `cmaes`). */
  sample(random: Random, maxResampling = 10 * this.dim): Float64Array {
    for (let attempt = 0; attempt < maxResampling; attempt++) {
      const x = this.#draw(random);
      if (this.#inBounds(x)) return x;
    }
    const x = this.#draw(random);
    for (let i = 0; i < this.dim; i++)
      x[i] = Math.min(this.upper[i] as number, Math.max(this.lower[i] as number, x[i] as number));
    return x;
  }

  /** ‖C^(−1/2)·dx‖ / σ: how many standard deviations of the sampling distribution `dx` is long. */
  mahalanobisNorm(dx: Float64Array): number {
    const { B, D } = this.#eigen();
    const d = this.dim;
    let n2 = 0;
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (B[i * d + k] as number) * (dx[i] as number);
      n2 += (s / (D[k] as number)) ** 2;
    }
    return Math.sqrt(n2) / this.sigma;
  }

  /**
   * Updates from one generation: `populationSize` points and their losses (lower is better).
   * Points whose index is in `injected` (not drawn from the distribution) get no negative
   * weight in the covariance update, as pycma's injected solutions.
   */
  tell(
    points: readonly Float64Array[],
    losses: readonly number[],
    injected: ReadonlySet<number> = new Set(),
  ): void {
    const d = this.dim;
    const lambda = this.populationSize;
    if (points.length !== lambda || losses.length !== lambda)
      throw new RangeError(`CMA-ES tell needs ${lambda} solutions, got ${points.length}`);
    this.generation++;
    const order = Array.from({ length: lambda }, (_, i) => i).sort(
      (a, b) => (losses[a] as number) - (losses[b] as number) || a - b,
    );
    this.#funHist.push(
      losses[order[0] as number] as number,
      losses[order[lambda - 1] as number] as number,
    );
    if (this.#funHist.length > 2 * this.#funHistTerm) this.#funHist.splice(0, 2);

    const { B, D } = this.#eigen();
    this.#B = undefined;
    this.#D = undefined;
    const y = order.map((i) => {
      const p = points[i] as Float64Array;
      return Float64Array.from(
        { length: d },
        (_, k) => ((p[k] as number) - (this.mean[k] as number)) / this.sigma,
      );
    });
    const yw = new Float64Array(d);
    for (let r = 0; r < this.mu; r++) {
      const w = this.weights[r] as number;
      const yr = y[r] as Float64Array;
      for (let k = 0; k < d; k++) yw[k] = (yw[k] as number) + w * (yr[k] as number);
    }
    for (let k = 0; k < d; k++)
      this.mean[k] = (this.mean[k] as number) + this.sigma * (yw[k] as number);

    // C^(-1/2)·v = B·D⁻¹·Bᵀ·v
    const invSqrtC = (v: Float64Array): Float64Array => {
      const t = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += (B[i * d + k] as number) * (v[i] as number);
        t[k] = s / (D[k] as number);
      }
      const out = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (B[i * d + k] as number) * (t[k] as number);
        out[i] = s;
      }
      return out;
    };
    const cs = this.cSigma;
    const step = invSqrtC(yw);
    const scale = Math.sqrt(cs * (2 - cs) * this.muEff);
    let norm2 = 0;
    for (let k = 0; k < d; k++) {
      this.pSigma[k] = (1 - cs) * (this.pSigma[k] as number) + scale * (step[k] as number);
      norm2 += (this.pSigma[k] as number) ** 2;
    }
    const normPSigma = Math.sqrt(norm2);
    this.sigma = Math.min(
      SIGMA_MAX,
      this.sigma * Math.exp((cs / this.dSigma) * (normPSigma / this.chiN - 1)),
    );
    const hSigma =
      normPSigma / Math.sqrt(1 - (1 - cs) ** (2 * (this.generation + 1))) <
      (1.4 + 2 / (d + 1)) * this.chiN
        ? 1
        : 0;
    const ccScale = hSigma * Math.sqrt(this.cc * (2 - this.cc) * this.muEff);
    for (let k = 0; k < d; k++)
      this.pc[k] = (1 - this.cc) * (this.pc[k] as number) + ccScale * (yw[k] as number);

    // negative weights act on directions rescaled to the length of a typical step
    const wio = y.map((yr, r) => {
      const w = this.weights[r] as number;
      if (w >= 0) return w;
      if (injected.has(order[r] as number)) return 0;
      const v = invSqrtC(yr);
      let n2 = 0;
      for (let k = 0; k < d; k++) n2 += (v[k] as number) ** 2;
      return (w * d) / (n2 + EPS);
    });
    let weightSum = 0;
    for (const w of this.weights) weightSum += w;
    const deltaH = (1 - hSigma) * this.cc * (2 - this.cc);
    const keep = 1 + this.c1 * deltaH - this.c1 - this.cmu * weightSum;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let rankMu = 0;
        for (let r = 0; r < lambda; r++) {
          const yr = y[r] as Float64Array;
          rankMu += (wio[r] as number) * (yr[i] as number) * (yr[j] as number);
        }
        this.cov[i * d + j] =
          keep * (this.cov[i * d + j] as number) +
          this.c1 * (this.pc[i] as number) * (this.pc[j] as number) +
          this.cmu * rankMu;
      }
    }
  }

  /** The `cmaes` package's termination criteria (tolfun, tolx, tolxup, no effect, conditioning). */
  shouldStop(): boolean {
    const { B, D } = this.#eigen();
    const d = this.dim;
    const diag = Float64Array.from({ length: d }, (_, i) => this.cov[i * d + i] as number);
    if (this.generation > this.#funHistTerm) {
      const range = Math.max(...this.#funHist) - Math.min(...this.#funHist);
      if (range < 1e-12) return true;
    }
    let small = true;
    for (let i = 0; i < d; i++) {
      if (
        this.sigma * (diag[i] as number) >= this.#tolX ||
        this.sigma * (this.pc[i] as number) >= this.#tolX
      )
        small = false;
    }
    if (small) return true;
    const maxD = Math.max(...D);
    if (this.sigma * maxD > 1e4) return true;
    for (let i = 0; i < d; i++) {
      const m = this.mean[i] as number;
      if (m === m + 0.2 * this.sigma * Math.sqrt(diag[i] as number)) return true;
    }
    const axis = this.generation % d;
    let noEffect = true;
    for (let i = 0; i < d; i++) {
      const m = this.mean[i] as number;
      if (m !== m + 0.1 * this.sigma * (D[axis] as number) * (B[i * d + axis] as number))
        noEffect = false;
    }
    if (noEffect) return true;
    return maxD / Math.min(...D) > 1e14;
  }
}
