/**
 * Kernel sets: one dimension of a Parzen estimator. A set holds one kernel per observation
 * (plus the prior kernel, last) over the dimension's internal representation:
 * - numeric parameters live in the unit interval of `encode` (log-warped for log sampling);
 *   their kernels are Gaussians truncated to [0, 1]. A grid parameter of G values owns G equal
 *   cells and its kernels are discretised: the mass of the cell a value falls in. A continuous
 *   set may score by shape (`byShape`): kernel k's density times σ_k, as Optuna 3.1 computes
 *   it (its truncated-normal log-density leaves out − log σ), which weighs each kernel by its
 *   bandwidth.
 * - categorical parameters live as a value index; each kernel is a probability vector.
 */
import type { Random } from '../../math/random.js';
import { logNormalMass, logNormalPdf } from './normal.js';

export interface KernelSet {
  /** The number of kernels. */
  readonly size: number;
  /** Adds `log p_k(x)` to `out[k]` for every kernel k. */
  addLogDensities(x: number, out: Float64Array): void;
  /** A draw from kernel `k`, in the internal representation. */
  sample(k: number, random: Random): number;
}

/** Truncated (and, on a grid, discretised) Gaussian kernels on [0, 1]. */
export class NumericKernels implements KernelSet {
  readonly size: number;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Number of grid cells, or 0 for a continuous dimension. */
  readonly cells: number;
  readonly #logNormalisers: Float64Array;
  /** log Z_k (+ log σ_k unless scored by shape): the constant part of a continuous kernel's log-density. */
  readonly #logScales: Float64Array;

  constructor(mus: Float64Array, sigmas: Float64Array, cells: number, byShape = false) {
    this.size = mus.length;
    this.mus = mus;
    this.sigmas = sigmas;
    this.cells = cells;
    this.#logNormalisers = new Float64Array(this.size);
    for (let k = 0; k < this.size; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      this.#logNormalisers[k] = logNormalMass(-mu / sigma, (1 - mu) / sigma);
    }
    this.#logScales = this.#logNormalisers.map(
      (logZ, k) => logZ + (byShape ? 0 : Math.log(sigmas[k] as number)),
    );
  }

  addLogDensities(x: number, out: Float64Array): void {
    const { mus, sigmas, cells } = this;
    const logZ = this.#logNormalisers;
    if (cells > 0) {
      const j = Math.min(cells - 1, Math.max(0, Math.floor(x * cells)));
      const lo = j / cells;
      const hi = (j + 1) / cells;
      for (let k = 0; k < this.size; k++) {
        const mu = mus[k] as number;
        const sigma = sigmas[k] as number;
        out[k] =
          (out[k] as number) +
          logNormalMass((lo - mu) / sigma, (hi - mu) / sigma) -
          (logZ[k] as number);
      }
      return;
    }
    const logScales = this.#logScales;
    for (let k = 0; k < this.size; k++) {
      const z = (x - (mus[k] as number)) / (sigmas[k] as number);
      out[k] = (out[k] as number) + logNormalPdf(z) - (logScales[k] as number);
    }
  }

  sample(k: number, random: Random): number {
    const mu = this.mus[k] as number;
    const sigma = this.sigmas[k] as number;
    // Rejection from the untruncated Gaussian: mu lies in [0, 1] and sigma <= 1, so at least
    // a third of the draws land in [0, 1].
    let x = NaN;
    for (let attempt = 0; attempt < 64; attempt++) {
      const draw = mu + sigma * random.normal();
      if (draw >= 0 && draw <= 1) {
        x = draw;
        break;
      }
    }
    if (Number.isNaN(x)) x = random.next();
    if (this.cells > 0)
      return (Math.min(this.cells - 1, Math.floor(x * this.cells)) + 0.5) / this.cells;
    return x;
  }
}

/** Categorical kernels: row k is kernel k's probabilities over the `choices` values. */
export class CategoricalKernels implements KernelSet {
  readonly size: number;
  readonly choices: number;
  /** Row-major `size × choices` log-probabilities. */
  readonly logProbabilities: Float64Array;
  readonly #probabilities: Float64Array;

  constructor(probabilities: Float64Array, choices: number) {
    this.choices = choices;
    this.size = probabilities.length / choices;
    this.#probabilities = probabilities;
    this.logProbabilities = probabilities.map(Math.log);
  }

  addLogDensities(x: number, out: Float64Array): void {
    const c = this.choices;
    for (let k = 0; k < this.size; k++)
      out[k] = (out[k] as number) + (this.logProbabilities[k * c + x] as number);
  }

  sample(k: number, random: Random): number {
    const c = this.choices;
    let u = random.next();
    for (let j = 0; j < c - 1; j++) {
      u -= this.#probabilities[k * c + j] as number;
      if (u < 0) return j;
    }
    return c - 1;
  }
}
