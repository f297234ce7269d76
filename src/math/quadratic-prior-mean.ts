/**
 * A bowl-shaped prior mean for a Gaussian process on features in [0, 1]:
 *   m(x) = c · ((4 / W) Σ_k w_k (x_k − ½)² − ⅓),   W = Σ_k w_k,
 * in standardised target units. It is −c/3 at the centre of the box, +2c/3 at a corner (a
 * rise of c from centre to corner) and averages 0 over the box. For a minimised target it
 * says "a priori, the faces of the box are a little worse than its inside": without it a GP
 * extrapolates any slope straight into the faces, and expected improvement then spends trial
 * after trial on points with a coordinate at exactly 0 or 1 (boundary over-exploration,
 * Siivola et al. 2018). Data override it wherever there are observations. Features with
 * weight 0 (e.g. one-hot or boolean indicators, which are 0 or 1 by construction) do not take
 * part; with no weighted feature the mean is 0.
 */
export class QuadraticPriorMean {
  /** c: rise from the centre of the box to a corner, in standard deviations of the targets. */
  readonly curvature: number;
  /** A string that tells apart prior means with different curvatures or weights. */
  readonly key: string;
  readonly #weights: Float64Array;
  /** c · 4 / W (0 when W = 0). */
  readonly #factor: number;
  readonly #offset: number;

  /** `weights[k]` ≥ 0 for each of the d features. */
  constructor(curvature: number, weights: Float64Array) {
    let total = 0;
    for (let k = 0; k < weights.length; k++) total += weights[k] as number;
    this.curvature = curvature;
    this.key = `${curvature}:${Array.from(weights).join(',')}`;
    this.#weights = Float64Array.from(weights);
    this.#factor = total > 0 ? (4 * curvature) / total : 0;
    this.#offset = total > 0 ? curvature / 3 : 0;
  }

  /** m at the d features of `x` from `offset`. */
  value(x: Float64Array, offset: number): number {
    const w = this.#weights;
    let q = 0;
    for (let k = 0; k < w.length; k++) {
      const u = (x[offset + k] as number) - 0.5;
      q += (w[k] as number) * u * u;
    }
    return this.#factor * q - this.#offset;
  }

  /** Adds `scale` · ∂m/∂x_k to `out[k]` for each feature k. */
  addGradient(x: Float64Array, offset: number, scale: number, out: Float64Array): void {
    const w = this.#weights;
    for (let k = 0; k < w.length; k++) {
      const u = (x[offset + k] as number) - 0.5;
      out[k] = (out[k] as number) + scale * 2 * this.#factor * (w[k] as number) * u;
    }
  }
}
