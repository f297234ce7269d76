/**
 * The Matérn-5/2 kernel with automatic relevance determination (one length scale per input
 * dimension): k(x, x') = σ² (1 + √5 r + 5r²/3) exp(−√5 r), r² = Σ_d (x_d − x'_d)² / ℓ_d².
 * Points are rows of a row-major `Float64Array` (n points × d dimensions).
 */

export const SQRT5 = Math.sqrt(5);

/** The Matérn-5/2 correlation at scaled distance r ≥ 0 (1 at r = 0). */
export function matern52(r: number): number {
  const s = SQRT5 * r;
  return (1 + s + (s * s) / 3) * Math.exp(-s);
}

/**
 * −(1/r)·d(matern52)/dr = (5/3)(1 + √5 r) exp(−√5 r). The derivative of the kernel with
 * respect to log ℓ_d is σ²·this·(x_d − x'_d)²/ℓ_d².
 */
export function matern52RadialFactor(r: number): number {
  const s = SQRT5 * r;
  return (5 / 3) * (1 + s) * Math.exp(-s);
}

/** Squared scaled distance between row `i` of `a` and row `j` of `b`. */
export function scaledSquaredDistance(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  d: number,
  inverseLengthScales: Float64Array,
): number {
  const ai = i * d;
  const bj = j * d;
  let r2 = 0;
  for (let k = 0; k < d; k++) {
    const diff =
      ((a[ai + k] as number) - (b[bj + k] as number)) * (inverseLengthScales[k] as number);
    r2 += diff * diff;
  }
  return r2;
}

/** The n×n kernel matrix of the rows of `x` (no noise term), into `out`. */
export function kernelMatrix(
  x: Float64Array,
  n: number,
  d: number,
  inverseLengthScales: Float64Array,
  signalVariance: number,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    out[i * n + i] = signalVariance;
    for (let j = 0; j < i; j++) {
      const k =
        signalVariance *
        matern52(Math.sqrt(scaledSquaredDistance(x, i, x, j, d, inverseLengthScales)));
      out[i * n + j] = k;
      out[j * n + i] = k;
    }
  }
}

/** Kernel values between row `i` of `points` and each of the n rows of `x`, into `out[0..n)`. */
export function kernelRow(
  points: Float64Array,
  i: number,
  x: Float64Array,
  n: number,
  d: number,
  inverseLengthScales: Float64Array,
  signalVariance: number,
  out: Float64Array,
): void {
  const pi = i * d;
  // `scaledSquaredDistance` written out rather than called: this is the innermost loop of
  // every GP prediction (candidates × observations × dimensions).
  for (let j = 0; j < n; j++) {
    const xj = j * d;
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const diff =
        ((points[pi + k] as number) - (x[xj + k] as number)) * (inverseLengthScales[k] as number);
      r2 += diff * diff;
    }
    const s = SQRT5 * Math.sqrt(r2);
    out[j] = signalVariance * (1 + s + (s * s) / 3) * Math.exp(-s);
  }
}
