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
    const pivot = (a[rowJ + j] as number) + diagonalShift - rowDot(l, rowJ, l, rowJ, 0, j);
    if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
    const d = Math.sqrt(pivot);
    l[rowJ + j] = d;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      l[rowI + j] = ((a[rowI + j] as number) - rowDot(l, rowI, l, rowJ, 0, j)) / d;
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
    x[i] = ((b[i] as number) - rowDot(l, row, x, 0, 0, i)) / (l[row + i] as number);
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

/**
 * Solves U x = b for an upper triangular U (e.g. Lᵀ stored row-major, so that the solve reads
 * rows contiguously, unlike `solveLowerTranspose`). `x` may be `b`.
 */
export function solveUpper(u: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    x[i] = ((b[i] as number) - rowDot(u, row, x, 0, i + 1, n)) / (u[row + i] as number);
  }
}

/** Lᵀ of an n×n lower triangular L, row-major, into `out` (must not be `l`). */
export function transposeInto(l: Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = l[i * n + j] as number;
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
  // scratch := L⁻ᵀ (upper triangular; row j holds column j of L⁻¹), so that both phases are
  // dot products of contiguous rows: L⁻¹[i, j] = −(Σ_{j≤k<i} L[i, k] L⁻¹[k, j]) / L[i, i].
  scratch.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const inverseDiagonal = 1 / (l[row + i] as number);
    for (let j = 0; j < i; j++)
      scratch[j * n + i] = -rowDot(l, row, scratch, j * n, j, i) * inverseDiagonal;
    scratch[row + i] = inverseDiagonal;
  }
  // out := L⁻ᵀ L⁻¹, entry (i, j) = Σ_{k ≥ max(i, j)} L⁻¹[k, i] L⁻¹[k, j].
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const t = rowDot(scratch, i * n, scratch, j * n, i, n);
      out[i * n + j] = t;
      out[j * n + i] = t;
    }
  }
}

/** Σ_{from ≤ k < to} a[aRow + k]·b[bRow + k], with four accumulators (unrolled). */
function rowDot(
  a: Float64Array,
  aRow: number,
  b: Float64Array,
  bRow: number,
  from: number,
  to: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = from;
  const a0 = aRow;
  const b0 = bRow;
  for (; k + 3 < to; k += 4) {
    s0 += (a[a0 + k] as number) * (b[b0 + k] as number);
    s1 += (a[a0 + k + 1] as number) * (b[b0 + k + 1] as number);
    s2 += (a[a0 + k + 2] as number) * (b[b0 + k + 2] as number);
    s3 += (a[a0 + k + 3] as number) * (b[b0 + k + 3] as number);
  }
  for (; k < to; k++) s0 += (a[a0 + k] as number) * (b[b0 + k] as number);
  return s0 + s1 + (s2 + s3);
}

/** Dot product of the first `n` entries of `a` (from `aOffset`) and `b` (from `bOffset`). */
export function dot(a: Float64Array, b: Float64Array, n: number, aOffset = 0, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return s;
}
