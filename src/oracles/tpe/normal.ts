/**
 * The standard normal distribution in log space for the Parzen estimators, which need
 * log-densities and log-masses of kernels many bandwidths away, where plain `Φ(b) − Φ(a)`
 * would underflow to 0. Built on `src/math/normal.ts` (erfcx-based, accurate in the tails).
 */
import { logNormalCdf } from '../../math/normal.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** `log Q(z)` where Q(z) = 1 − Φ(z) is the upper tail of the standard normal. */
export function logUpperTail(z: number): number {
  return logNormalCdf(-z);
}

/** `log(Φ(b) − Φ(a))` for a < b, stable in both tails. */
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
