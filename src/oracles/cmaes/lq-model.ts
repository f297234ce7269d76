/**
 * The linear-quadratic regression model of lq-CMA-ES (Hansen, "A Global Surrogate Assisted
 * CMA-ES", GECCO 2019): f(x) ≈ c₀ + bᵀx (linear), + Σ a_i x_i² (diagonal), + Σ_{i<j} a_ij x_i x_j
 * (full), the most complex form that at least 1.1× its coefficients of data (after truncation
 * to the best 75%) can carry. It is fitted by least squares weighted by rank (the best point
 * weighs 20, the worst used one 1) on the most recent points, and ranks candidates: what is
 * compared is its order, checked by Kendall's τ against the true values.
 */
import { cholesky, choleskySolve } from '../../math/linalg.js';
import { symmetricEigen } from '../../math/symmetric-eigen.js';

/** A point of the archive and its loss (lower is better). */
export interface LqData {
  readonly x: Float64Array;
  readonly y: number;
}

export type LqModelKind = 'linear' | 'diagonal' | 'full';

const TRUNCATION = 0.75;
const MIN_RELATIVE_SIZE = 1.1;
const MAX_RELATIVE_SIZE = 2;
const MAX_WEIGHT = 20;

/** Coefficients of a model of kind `kind` in d dimensions. */
export function lqDegreesOfFreedom(kind: LqModelKind, d: number): number {
  if (kind === 'linear') return d + 1;
  if (kind === 'diagonal') return 2 * d + 1;
  return (d * (d + 3)) / 2 + 1;
}

/** How many of the most recent points the model keeps: twice the full model's coefficients, at least λ. */
export function lqArchiveSize(d: number, populationSize: number): number {
  return Math.max(MAX_RELATIVE_SIZE * lqDegreesOfFreedom('full', d), populationSize);
}

/** The most complex kind that `n` points carry (n·0.75 ≥ 1.1 × its coefficients). */
export function lqModelKind(n: number, d: number): LqModelKind {
  for (const kind of ['full', 'diagonal'] as const)
    if (n * TRUNCATION >= lqDegreesOfFreedom(kind, d) * MIN_RELATIVE_SIZE) return kind;
  return 'linear';
}

/** A fitted model; `predict` is defined everywhere. */
export class LqModel {
  constructor(
    readonly kind: LqModelKind,
    /** Coefficients on the features of (x − center) / scale: 1, z, z², z_i·z_j (i < j). */
    readonly coefficients: Float64Array,
    readonly center: Float64Array,
    readonly scale: Float64Array,
  ) {}

  /**
   * The model's stationary point −H⁺·b (H⁺ the pseudo-inverse of the Hessian); a linear model
   * has none, and gives `from` − 2·gradient instead (pycma's choice).
   */
  optimum(from: Float64Array): Float64Array {
    const d = this.center.length;
    const c = this.coefficients;
    const x = new Float64Array(d);
    if (this.kind === 'linear') {
      for (let i = 0; i < d; i++)
        x[i] = (from[i] as number) - (2 * (c[1 + i] as number)) / (this.scale[i] as number);
      return x;
    }
    const h = new Float64Array(d * d);
    for (let i = 0; i < d; i++) h[i * d + i] = 2 * (c[1 + d + i] as number);
    if (this.kind === 'full') {
      let k = 1 + 2 * d;
      for (let i = 0; i < d; i++)
        for (let j = i + 1; j < d; j++) h[i * d + j] = h[j * d + i] = c[k++] as number;
    }
    const { values, vectors } = symmetricEigen(h, d);
    const largest = Math.max(...values.map(Math.abs));
    const z = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const v = values[k] as number;
      if (!(Math.abs(v) > 1e-12 * largest)) continue;
      let projection = 0;
      for (let i = 0; i < d; i++)
        projection += (vectors[i * d + k] as number) * (c[1 + i] as number);
      for (let i = 0; i < d; i++)
        z[i] = (z[i] as number) - ((vectors[i * d + k] as number) * projection) / v;
    }
    for (let i = 0; i < d; i++)
      x[i] = (this.center[i] as number) + (this.scale[i] as number) * (z[i] as number);
    return x;
  }

  predict(x: Float64Array): number {
    const features = lqFeatures(this.kind, x, this.center, this.scale);
    let s = 0;
    for (let i = 0; i < features.length; i++)
      s += (features[i] as number) * (this.coefficients[i] as number);
    return s;
  }
}

function lqFeatures(
  kind: LqModelKind,
  x: Float64Array,
  center: Float64Array,
  scale: Float64Array,
): Float64Array {
  const d = x.length;
  const out = new Float64Array(lqDegreesOfFreedom(kind, d));
  out[0] = 1;
  for (let i = 0; i < d; i++)
    out[1 + i] = ((x[i] as number) - (center[i] as number)) / (scale[i] as number);
  if (kind === 'linear') return out;
  for (let i = 0; i < d; i++) out[1 + d + i] = (out[1 + i] as number) ** 2;
  if (kind === 'diagonal') return out;
  let k = 1 + 2 * d;
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) out[k++] = (out[1 + i] as number) * (out[1 + j] as number);
  return out;
}

/**
 * Fits the model to `data` (at least one point): the kind `data.length` carries, on its best
 * max(coefficients + 2, ⌊0.75·(n + 1)⌋) points, weighted linearly from 20 (best) to 1.
 * Coordinates are centred and scaled on the points used (the model is the same function; the
 * fit is better conditioned). With fewer points than coefficients the system is
 * underdetermined: a vanishing ridge picks the smallest coefficients (pycma uses the
 * pseudo-inverse, the same limit).
 */
export function fitLqModel(data: readonly LqData[]): LqModel {
  const n = data.length;
  if (n === 0) throw new RangeError('the lq model needs at least one point');
  const d = (data[0] as LqData).x.length;
  const kind = lqModelKind(n, d);
  const p = lqDegreesOfFreedom(kind, d);
  const used = Math.min(n, Math.max(p + 2, Math.floor(TRUNCATION * (n + 1))));
  const best = data
    .map((point, index) => ({ point, index }))
    .sort((a, b) => a.point.y - b.point.y || a.index - b.index)
    .slice(0, used)
    .map((e) => e.point);
  const center = new Float64Array(d);
  for (const { x } of best)
    for (let i = 0; i < d; i++) center[i] = (center[i] as number) + (x[i] as number) / used;
  const scale = new Float64Array(d).fill(0);
  for (const { x } of best)
    for (let i = 0; i < d; i++)
      scale[i] = Math.max(scale[i] as number, Math.abs((x[i] as number) - (center[i] as number)));
  for (let i = 0; i < d; i++) if (!((scale[i] as number) > 0)) scale[i] = 1;

  // weighted normal equations: Σ w²·z·zᵀ c = Σ w²·z·y
  const normal = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  best.forEach(({ x, y }, r) => {
    const w = used === 1 ? MAX_WEIGHT : MAX_WEIGHT - ((MAX_WEIGHT - 1) * r) / (used - 1);
    const z = lqFeatures(kind, x, center, scale);
    const w2 = w * w;
    for (let i = 0; i < p; i++) {
      const zi = w2 * (z[i] as number);
      rhs[i] = (rhs[i] as number) + zi * y;
      for (let j = 0; j <= i; j++)
        normal[i * p + j] = (normal[i * p + j] as number) + zi * (z[j] as number);
    }
  });
  let trace = 0;
  for (let i = 0; i < p; i++) trace += normal[i * p + i] as number;
  const l = new Float64Array(p * p);
  const coefficients = new Float64Array(p);
  for (let ridge = 1e-12; ; ridge *= 100) {
    if (cholesky(normal, p, l, (ridge * trace) / p)) break;
    if (ridge > 1) return new LqModel(kind, coefficients, center, scale); // not finite: a flat model
  }
  choleskySolve(l, p, rhs, coefficients);
  return new LqModel(kind, coefficients, center, scale);
}

/** Kendall's τ-b between two equally long lists (0 when either is constant or shorter than 2). */
export function kendallTau(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let concordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const da = Math.sign((a[i] as number) - (a[j] as number));
      const db = Math.sign((b[i] as number) - (b[j] as number));
      pairs++;
      if (da === 0) tiesA++;
      if (db === 0) tiesB++;
      concordant += da * db;
    }
  }
  const denominator = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denominator > 0 ? concordant / denominator : 0;
}
