/**
 * Limited-memory BFGS for smooth unconstrained minimisation, with a backtracking
 * (Armijo, quadratic interpolation) line search. Non-finite objective values count as
 * "too far" and shrink the step, so an objective may answer +Infinity where it is undefined.
 */

/** Returns f(x) and writes ∇f(x) into `gradient`. Must not keep `x` or `gradient`. */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Iterations (line searches) at most (default 100). */
  readonly maxIterations?: number;
  /** Pairs kept for the inverse-Hessian estimate (default 8). */
  readonly memory?: number;
  /** Stop when max |∂f/∂x_i| falls below this (default 1e-6). */
  readonly gradientTolerance?: number;
  /** Stop when an iteration improves f by less than this times max(1, |f|) (default 1e-10). */
  readonly relativeTolerance?: number;
  /** Stop when an iteration improves f by less than this, in f's own units (default 0). */
  readonly absoluteTolerance?: number;
  /** f(x0) and ∇f(x0) when the caller already has them (saves the first evaluation). */
  readonly start?: { readonly value: number; readonly gradient: Float64Array };
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** Whether a tolerance was met (rather than the iteration limit or a failed line search). */
  readonly converged: boolean;
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Minimises `objective` from `x0` (not modified). */
export function minimizeLbfgs(
  objective: ObjectiveWithGradient,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 100;
  const m = Math.max(1, options.memory ?? 8);
  const gtol = options.gradientTolerance ?? 1e-6;
  const rtol = options.relativeTolerance ?? 1e-10;
  const atol = options.absoluteTolerance ?? 0;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f: number;
  let evaluations = 0;
  if (options.start === undefined) {
    f = objective(x, g);
    evaluations = 1;
  } else {
    f = options.start.value;
    g.set(options.start.gradient);
  }
  if (!Number.isFinite(f)) return { x, value: f, iterations: 0, evaluations, converged: false };

  const s = Array.from({ length: m }, () => new Float64Array(n));
  const y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alphaBuffer = new Float64Array(m);
  let stored = 0;
  let head = 0; // index of the next slot to write
  const direction = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    if (maxAbs(g) < gtol) {
      converged = true;
      break;
    }
    // Two-loop recursion: direction = −H·g.
    for (let i = 0; i < n; i++) direction[i] = -(g[i] as number);
    for (let k = 0; k < stored; k++) {
      const slot = (head - 1 - k + m) % m;
      const a = (rho[slot] as number) * dotProduct(s[slot] as Float64Array, direction);
      alphaBuffer[slot] = a;
      const ys = y[slot] as Float64Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (ys[i] as number);
    }
    if (stored > 0) {
      const last = (head - 1 + m) % m;
      const yl = y[last] as Float64Array;
      const gamma = 1 / ((rho[last] as number) * dotProduct(yl, yl));
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * gamma;
    } else {
      const norm = Math.sqrt(dotProduct(g, g));
      const scale = norm > 1 ? 1 / norm : 1;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * scale;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const slot = (head - 1 - k + m) % m;
      const b = (rho[slot] as number) * dotProduct(y[slot] as Float64Array, direction);
      const ss = s[slot] as Float64Array;
      const coefficient = (alphaBuffer[slot] as number) - b;
      for (let i = 0; i < n; i++)
        direction[i] = (direction[i] as number) + coefficient * (ss[i] as number);
    }
    let slope = dotProduct(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction: forget the curvature pairs and follow the gradient.
      stored = 0;
      const norm = Math.sqrt(dotProduct(g, g));
      for (let i = 0; i < n; i++) direction[i] = -(g[i] as number) / Math.max(1, norm);
      slope = dotProduct(g, direction);
    }

    // Backtracking line search.
    let step = 1;
    let fNew = Infinity;
    let accepted = false;
    for (let trial = 0; trial < 40; trial++) {
      for (let i = 0; i < n; i++) xNew[i] = (x[i] as number) + step * (direction[i] as number);
      fNew = objective(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      const quadratic = Number.isFinite(fNew)
        ? (-slope * step * step) / (2 * (fNew - f - slope * step))
        : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, quadratic));
    }
    iterations++;
    if (!accepted) break;

    const slot = head;
    const sk = s[slot] as Float64Array;
    const yk = y[slot] as Float64Array;
    for (let i = 0; i < n; i++) {
      sk[i] = (xNew[i] as number) - (x[i] as number);
      yk[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dotProduct(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dotProduct(yk, yk) * dotProduct(sk, sk))) {
      rho[slot] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(m, stored + 1);
    }
    const improvement = f - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if (improvement <= Math.max(atol, rtol * Math.max(1, Math.abs(f)))) {
      converged = true;
      break;
    }
  }
  return { x, value: f, iterations, evaluations, converged };
}
