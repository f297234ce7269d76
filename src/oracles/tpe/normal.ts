/**
 * The standard normal distribution in log space, accurate in the far tails: the Parzen
 * estimators need log-densities and log-masses of kernels many bandwidths away, where plain
 * `Φ(b) - Φ(a)` would underflow to 0.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_HALF = Math.SQRT1_2;

/**
 * `log(erfc(x))` for x >= 0, from a Chebyshev-fitted rational form (Numerical Recipes' erfcc
 * shape, relative error below 1.2e-7 for every x >= 0), kept in log space so that it never
 * underflows.
 */
function logErfcNonNegative(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

/** `log Q(z)` where Q(z) = 1 - Φ(z) is the upper tail of the standard normal. */
export function logUpperTail(z: number): number {
  const x = z * SQRT_HALF;
  if (x >= 0) return logErfcNonNegative(x) - Math.LN2;
  // erfc(x) = 2 - erfc(-x) for x < 0
  return Math.log1p(-0.5 * Math.exp(logErfcNonNegative(-x)));
}

/** Φ(z), the standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return z >= 0 ? -Math.expm1(logUpperTail(z)) : Math.exp(logUpperTail(-z));
}

/** `log(Φ(b) - Φ(a))` for a < b, stable in both tails. */
export function logNormalMass(a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  if (a >= 0) {
    const la = logUpperTail(a);
    return la + Math.log1p(-Math.exp(logUpperTail(b) - la));
  }
  if (b <= 0) {
    const lb = logUpperTail(-b);
    return lb + Math.log1p(-Math.exp(logUpperTail(-a) - lb));
  }
  return Math.log1p(-(Math.exp(logUpperTail(-a)) + Math.exp(logUpperTail(b))));
}

/** log φ(z), the standard normal log-density. */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}
