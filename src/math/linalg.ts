/**
 * Dense linear algebra on row-major `Float64Array`s: Cholesky factorisation (with jitter
 * when a matrix is only numerically positive definite), triangular solves and the inverse
 * of a factorised matrix. An n×n matrix `a` has entry (i, j) at `a[i * n + j]`.
 * No function allocates except where it says so.
 */

/**
 * Factorises the symmetric matrix `a` as L Lᵀ, writing the lower factor L to `l` (upper
 * triangle zeroed). Reads only the lower triangle of `a`; `l` may be `a` itself.
 * Returns false (leaving `l` partly written) when a pivot is not positive.
 */
export function cholesky(a: Float64Array, n: number, l: Float64Array, diagonalShift = 0): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let pivot = (a[rowJ + j] as number) + diagonalShift;
    for (let k = 0; k < j; k++) {
      const v = l[rowJ + k] as number;
      pivot -= v * v;
    }
    if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
    const d = Math.sqrt(pivot);
    l[rowJ + j] = d;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let t = a[rowI + j] as number;
      for (let k = 0; k < j; k++) t -= (l[rowI + k] as number) * (l[rowJ + k] as number);
      l[rowI + j] = t / d;
      l[rowJ + i] = 0;
    }
  }
  return true;
}

export interface JitterOptions {
  /** First jitter tried, relative to the mean diagonal (default 1e-10). */
  readonly initialRelativeJitter?: number;
  /** Attempts after the first failure, each ten times the jitter before (default 8). */
  readonly maxAttempts?: number;
}

/**
 * Cholesky of `a` (not modified) into `l` (must not be `a`). When `a` is not numerically
 * positive definite, adds a growing multiple of the mean diagonal to the diagonal and retries.
 * Returns the jitter added (0 when none was needed), or -1 when every attempt failed.
 */
export function choleskyWithJitter(
  a: Float64Array,
  n: number,
  l: Float64Array,
  options: JitterOptions = {},
): number {
  if (cholesky(a, n, l)) return 0;
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += Math.abs(a[i * n + i] as number);
  meanDiagonal = n === 0 ? 1 : meanDiagonal / n || 1;
  let jitter = (options.initialRelativeJitter ?? 1e-10) * meanDiagonal;
  const attempts = options.maxAttempts ?? 8;
  for (let attempt = 0; attempt < attempts; attempt++, jitter *= 10) {
    if (cholesky(a, n, l, jitter)) return jitter;
  }
  return -1;
}

/** Solves L x = b (L lower triangular). `x` may be `b`. */
export function solveLower(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let t = b[i] as number;
    for (let k = 0; k < i; k++) t -= (l[row + k] as number) * (x[k] as number);
    x[i] = t / (l[row + i] as number);
  }
}

/** Solves Lᵀ x = b (L lower triangular). `x` may be `b`. */
export function solveLowerTranspose(
  l: Float64Array,
  n: number,
  b: Float64Array,
  x: Float64Array,
): void {
  for (let i = n - 1; i >= 0; i--) {
    let t = b[i] as number;
    for (let k = i + 1; k < n; k++) t -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = t / (l[i * n + i] as number);
  }
}

/** Solves (L Lᵀ) x = b given the Cholesky factor L. `x` may be `b`. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  solveLower(l, n, b, x);
  solveLowerTranspose(l, n, x, x);
}

/** log det(L Lᵀ) = 2 Σ log L_ii. */
export function logDeterminantFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i] as number);
  return 2 * s;
}

/**
 * (L Lᵀ)⁻¹ into `out` (full symmetric matrix), given the Cholesky factor L.
 * `scratch` needs n² entries; neither may be `l`.
 */
export function choleskyInverse(
  l: Float64Array,
  n: number,
  out: Float64Array,
  scratch: Float64Array,
): void {
  // scratch := L⁻¹ (lower triangular), column by column of the identity.
  scratch.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const lii = l[row + i] as number;
    scratch[row + i] = 1 / lii;
    for (let j = 0; j < i; j++) {
      let t = 0;
      for (let k = j; k < i; k++) t -= (l[row + k] as number) * (scratch[k * n + j] as number);
      scratch[row + j] = t / lii;
    }
  }
  // out := L⁻ᵀ L⁻¹, entry (i, j) = Σ_{k ≥ max(i, j)} L⁻¹[k, i] L⁻¹[k, j].
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = i; k < n; k++)
        t += (scratch[k * n + i] as number) * (scratch[k * n + j] as number);
      out[i * n + j] = t;
      out[j * n + i] = t;
    }
  }
}

/** Dot product of the first `n` entries of `a` (from `aOffset`) and `b` (from `bOffset`). */
export function dot(a: Float64Array, b: Float64Array, n: number, aOffset = 0, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return s;
}
