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
 *
 * Crout order (column pair by column pair), with every dot product of rows computed for two
 * rows against two columns at once: four multiply-adds per four loads instead of per eight,
 * which is what bounds this loop in JavaScript (about 2x faster than one dot at a time).
 */
export function cholesky(a: Float64Array, n: number, l: Float64Array, diagonalShift = 0): boolean {
  for (let j = 0; j < n; j += 2) {
    const rowJ = j * n;
    const pivot = (a[rowJ + j] as number) + diagonalShift - rowDot(l, rowJ, l, rowJ, 0, j);
    if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
    const d0 = Math.sqrt(pivot);
    l[rowJ + j] = d0;
    if (j + 1 === n) break;
    // the 2×2 diagonal block of columns j, j + 1
    const rowJ1 = rowJ + n;
    const l10 = ((a[rowJ1 + j] as number) - rowDot(l, rowJ1, l, rowJ, 0, j)) / d0;
    const pivot1 =
      (a[rowJ1 + j + 1] as number) + diagonalShift - rowDot(l, rowJ1, l, rowJ1, 0, j) - l10 * l10;
    if (!(pivot1 > 0) || !Number.isFinite(pivot1)) return false;
    const d1 = Math.sqrt(pivot1);
    l[rowJ1 + j] = l10;
    l[rowJ1 + j + 1] = d1;
    l[rowJ + j + 1] = 0;
    // rows below, two at a time: L[i][j] first, then L[i][j+1] = (a − Σ_{k<j} − L[i][j]·l10) / d1
    let i = j + 2;
    for (; i + 1 < n; i += 2) {
      const rowI = i * n;
      const rowI1 = rowI + n;
      blockDot(l, rowI, rowI1, l, rowJ, rowJ1, 0, j);
      const x0 = ((a[rowI + j] as number) - (block[0] as number)) / d0;
      const x1 = ((a[rowI1 + j] as number) - (block[2] as number)) / d0;
      l[rowI + j] = x0;
      l[rowI1 + j] = x1;
      l[rowI + j + 1] = ((a[rowI + j + 1] as number) - (block[1] as number) - x0 * l10) / d1;
      l[rowI1 + j + 1] = ((a[rowI1 + j + 1] as number) - (block[3] as number) - x1 * l10) / d1;
    }
    if (i < n) {
      const rowI = i * n;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < j; k++) {
        const li = l[rowI + k] as number;
        s0 += li * (l[rowJ + k] as number);
        s1 += li * (l[rowJ1 + k] as number);
      }
      const x0 = ((a[rowI + j] as number) - s0) / d0;
      l[rowI + j] = x0;
      l[rowI + j + 1] = ((a[rowI + j + 1] as number) - s1 - x0 * l10) / d1;
    }
    for (let c = j + 2; c < n; c++) {
      l[rowJ + c] = 0;
      l[rowJ1 + c] = 0;
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

/**
 * Solves L x = b for four right-hand sides at once, each in place (`x0`..`x3` hold b on entry
 * and x on return): every entry of L is loaded once for four multiply-adds, which makes this
 * about twice as fast per right-hand side as `solveLower` (the GP's batched variances use it).
 */
export function solveLowerFour(
  l: Float64Array,
  n: number,
  x0: Float64Array,
  x1: Float64Array,
  x2: Float64Array,
  x3: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < i; k++) {
      const lik = l[row + k] as number;
      s0 += lik * (x0[k] as number);
      s1 += lik * (x1[k] as number);
      s2 += lik * (x2[k] as number);
      s3 += lik * (x3[k] as number);
    }
    const inverse = 1 / (l[row + i] as number);
    x0[i] = ((x0[i] as number) - s0) * inverse;
    x1[i] = ((x1[i] as number) - s1) * inverse;
    x2[i] = ((x2[i] as number) - s2) * inverse;
    x3[i] = ((x3[i] as number) - s3) * inverse;
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
 *
 * Two phases of dot products of contiguous rows, each computed as a 2×2 block (as in
 * `cholesky`): scratch := L⁻ᵀ (upper triangular; row j holds column j of L⁻¹),
 *   L⁻¹[i, j] = −(Σ_{j≤k<i} L[i, k] L⁻¹[k, j]) / L[i, i],
 * then out := L⁻ᵀ L⁻¹, entry (i, j) = Σ_{k ≥ max(i, j)} L⁻¹[k, i] L⁻¹[k, j].
 */
export function choleskyInverse(
  l: Float64Array,
  n: number,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const s = scratch;
  s.fill(0, 0, n * n);
  for (let i = 0; i < n; i += 2) {
    const rowI = i * n;
    const inverse0 = 1 / (l[rowI + i] as number);
    if (i + 1 === n) {
      for (let j = 0; j < i; j++) s[j * n + i] = -rowDot(l, rowI, s, j * n, j, i) * inverse0;
      s[rowI + i] = inverse0;
      break;
    }
    const rowI1 = rowI + n;
    const inverse1 = 1 / (l[rowI1 + i + 1] as number);
    const lii = l[rowI1 + i] as number; // L[i+1][i]
    // columns j, j + 1 (< i) of rows i, i + 1; s[j+1][j] = 0, so both sums may start at k = j
    for (let j = 0; j < i; j += 2) {
      const rowJ = j * n;
      const rowJ1 = rowJ + n;
      blockDot(l, rowI, rowI1, s, rowJ, rowJ1, j, i);
      const x0 = -(block[0] as number) * inverse0;
      const x1 = -(block[1] as number) * inverse0;
      s[rowJ + i] = x0;
      s[rowJ1 + i] = x1;
      s[rowJ + i + 1] = -((block[2] as number) + lii * x0) * inverse1;
      s[rowJ1 + i + 1] = -((block[3] as number) + lii * x1) * inverse1;
    }
    s[rowI + i] = inverse0;
    s[rowI + i + 1] = -lii * inverse0 * inverse1;
    s[rowI1 + i + 1] = inverse1;
  }
  for (let i = 0; i < n; i += 2) {
    const rowI = i * n;
    if (i + 1 === n) {
      for (let j = 0; j <= i; j++) {
        const t = rowDot(s, rowI, s, j * n, i, n);
        out[rowI + j] = t;
        out[j * n + i] = t;
      }
      break;
    }
    const rowI1 = rowI + n;
    // rows i, i + 1 against rows j, j + 1 (j + 1 ≤ i + 1); s[i+1][i] = 0, so all start at k = i
    for (let j = 0; j <= i; j += 2) {
      const rowJ = j * n;
      const rowJ1 = rowJ + n;
      blockDot(s, rowI, rowI1, s, rowJ, rowJ1, i, n);
      const s00 = block[0] as number;
      const s01 = block[1] as number;
      const s10 = block[2] as number;
      const s11 = block[3] as number;
      out[rowI + j] = s00;
      out[rowJ + i] = s00;
      out[rowI + j + 1] = s01;
      out[rowJ1 + i] = s01;
      out[rowI1 + j] = s10;
      out[rowJ + i + 1] = s10;
      out[rowI1 + j + 1] = s11;
      out[rowJ1 + i + 1] = s11;
    }
  }
}

/** The four sums of a 2×2 block of row dot products, written by `blockDot`. */
const block = new Float64Array(4);

/**
 * Σ_{from ≤ k < to} of a[p]·b[q] for the rows p ∈ {a0, a1} of `a` and q ∈ {b0, b1} of `b`
 * (offsets of row starts), into `block` as [a0·b0, a0·b1, a1·b0, a1·b1]: four multiply-adds
 * per four loads, the inner step of the blocked factorisation and inverse.
 */
function blockDot(
  a: Float64Array,
  a0: number,
  a1: number,
  b: Float64Array,
  b0: number,
  b1: number,
  from: number,
  to: number,
): void {
  let s00 = 0;
  let s01 = 0;
  let s10 = 0;
  let s11 = 0;
  for (let k = from; k < to; k++) {
    const x0 = a[a0 + k] as number;
    const x1 = a[a1 + k] as number;
    const y0 = b[b0 + k] as number;
    const y1 = b[b1 + k] as number;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s10 += x1 * y0;
    s11 += x1 * y1;
  }
  block[0] = s00;
  block[1] = s01;
  block[2] = s10;
  block[3] = s11;
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
