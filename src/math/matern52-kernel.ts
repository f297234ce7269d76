/**
 * The Matérn-5/2 kernel with automatic relevance determination (one length scale per input
 * dimension): k(x, x') = σ² (1 + √5 r + 5r²/3) exp(−√5 r), r² = Σ_d (x_d − x'_d)² / ℓ_d²,
 * optionally plus an additive part σ_a² (1/d) Σ_k M(|x_k − x'_k| / a_k), M the same Matérn
 * correlation in one dimension: a sum of one-input functions, which a product kernel cannot
 * generalise from in many dimensions (what one input's good value is, wherever the others are).
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

/** The additive part of a kernel: 1 / a_k per input, and the weight σ_a² / d of each input's term. */
export interface AdditivePart {
  readonly inverseLengthScales: Float64Array;
  readonly weight: number;
  /**
   * Optional, for the rows of the `x` it is used with (n × d): e^{c_k x_jk} and e^{−c_k x_jk},
   * c_k = √5 / a_k (`exponentialFactors`). Then e^{−c|u − x|} is e^{−cu}·e^{cx} (u ≥ x) or
   * e^{cu}·e^{−cx}: two multiplications instead of an exponential per term.
   */
  readonly expPlus?: Float64Array;
  readonly expMinus?: Float64Array;
}

/** Largest c_k·|value| for which the exponential factors stay far from overflow (inputs in [0, 1]). */
const MAX_FACTOR_EXPONENT = 300;

/**
 * e^{±c_k x_jk} for n rows of d inputs, c_k = √5 · inverse[k], or undefined when an input
 * would put the exponentials near overflow (a tiny length scale or inputs far outside [0, 1]).
 */
export function exponentialFactors(
  x: Float64Array,
  n: number,
  d: number,
  inverse: Float64Array,
): { expPlus: Float64Array; expMinus: Float64Array } | undefined {
  const expPlus = new Float64Array(n * d);
  const expMinus = new Float64Array(n * d);
  for (let j = 0; j < n; j++)
    for (let k = 0; k < d; k++) {
      const e = SQRT5 * (inverse[k] as number) * (x[j * d + k] as number);
      if (!(Math.abs(e) <= MAX_FACTOR_EXPONENT)) return undefined;
      expPlus[j * d + k] = Math.exp(e);
      expMinus[j * d + k] = Math.exp(-e);
    }
  return { expPlus, expMinus };
}

/** Σ_k weight · M(|a_k − b_k| / ℓ_k) between row `i` of `a` and row `j` of `b`. */
export function additiveKernel(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  d: number,
  additive: AdditivePart,
): number {
  const inverse = additive.inverseLengthScales;
  let sum = 0;
  for (let k = 0; k < d; k++) {
    const s =
      SQRT5 *
      Math.abs((a[i * d + k] as number) - (b[j * d + k] as number)) *
      (inverse[k] as number);
    sum += (1 + s + (s * s) / 3) * Math.exp(-s);
  }
  return additive.weight * sum;
}

/** The n×n kernel matrix of the rows of `x` (no noise term), into `out`. */
export function kernelMatrix(
  x: Float64Array,
  n: number,
  d: number,
  inverseLengthScales: Float64Array,
  signalVariance: number,
  out: Float64Array,
  additive?: AdditivePart,
): void {
  const diagonal = signalVariance + (additive === undefined ? 0 : additive.weight * d);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = diagonal;
    for (let j = 0; j < i; j++) {
      let k =
        signalVariance *
        matern52(Math.sqrt(scaledSquaredDistance(x, i, x, j, d, inverseLengthScales)));
      if (additive !== undefined) k += additiveKernel(x, i, x, j, d, additive);
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
  additive?: AdditivePart,
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
  if (additive !== undefined) addAdditive(points, pi, x, n, d, additive, out);
}

const pointPlus = new Float64Array(64);
const pointMinus = new Float64Array(64);

/**
 * Adds the additive part at the point `points[pi..]` to `out[0..n)`: the innermost loop of
 * prediction. With the training rows' exponential factors (see `AdditivePart`) and the point's
 * own in range, e^{−c|u − x|} is a product of two factors; otherwise an exponential.
 */
function addAdditive(
  points: Float64Array,
  pi: number,
  x: Float64Array,
  n: number,
  d: number,
  additive: AdditivePart,
  out: Float64Array,
): void {
  const inverse = additive.inverseLengthScales;
  const { expPlus, expMinus, weight } = additive;
  const plus = d <= pointPlus.length ? pointPlus : new Float64Array(d);
  const minus = d <= pointMinus.length ? pointMinus : new Float64Array(d);
  let factored = expPlus !== undefined && expMinus !== undefined;
  for (let k = 0; k < d && factored; k++) {
    const e = SQRT5 * (inverse[k] as number) * (points[pi + k] as number);
    factored = Math.abs(e) <= MAX_FACTOR_EXPONENT;
    plus[k] = Math.exp(e);
    minus[k] = Math.exp(-e);
  }
  for (let j = 0; j < n; j++) {
    const xj = j * d;
    let sum = 0;
    for (let k = 0; k < d; k++) {
      const diff = (points[pi + k] as number) - (x[xj + k] as number);
      const t = SQRT5 * (diff < 0 ? -diff : diff) * (inverse[k] as number);
      const e = !factored
        ? Math.exp(-t)
        : diff >= 0
          ? (minus[k] as number) * ((expPlus as Float64Array)[xj + k] as number)
          : (plus[k] as number) * ((expMinus as Float64Array)[xj + k] as number);
      sum += (1 + t + (t * t) / 3) * e;
    }
    out[j] = (out[j] as number) + weight * sum;
  }
}
