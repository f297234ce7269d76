/**
 * The standard normal distribution and the expected-improvement factor, accurate far into
 * the tails: `erfcx` (the scaled complementary error function) carries the work, so that
 * log-EI stays finite and monotone where EI itself underflows to 0.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const TWO_OVER_SQRT_PI = 2 / SQRT_PI;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
/** Below this argument erfcx uses a power series, above it a continued fraction. */
const SERIES_LIMIT = 2;

/** Density of the standard normal distribution. */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** exp(x²)·erfc(x), for x ≥ 0. */
function erfcxNonNegative(x: number): number {
  if (x < SERIES_LIMIT) {
    // e^{x²}·erf(x) = (2/√π) Σ_{n≥0} 2ⁿ x^{2n+1} / (2n+1)!!  (all terms positive)
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.exp(x2) - TWO_OVER_SQRT_PI * sum;
  }
  // Continued fraction erfcx(x) = (1/√π) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
  // evaluated with the modified Lentz method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** The scaled complementary error function exp(x²)·erfc(x), without overflow for large x. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return x === Infinity ? 0 : erfcxNonNegative(x);
  // erfc(-x) = 2 - erfc(x)
  return 2 * Math.exp(x * x) - erfcxNonNegative(-x);
}

/** The complementary error function (NaN for NaN). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return x > 27 ? 0 : Math.exp(-x * x) * erfcxNonNegative(x);
  return 2 - erfc(-x);
}

/** Cumulative distribution function of the standard normal distribution. */
export function normalCdf(z: number): number {
  if (z < 0) {
    const x = -z / Math.SQRT2;
    return x > 27 ? 0 : 0.5 * Math.exp(-x * x) * erfcxNonNegative(x);
  }
  return 1 - 0.5 * erfc(z / Math.SQRT2);
}

/** log Φ(z), finite for every finite z. */
export function logNormalCdf(z: number): number {
  if (z < -1) {
    const x = -z / Math.SQRT2;
    return Math.log(0.5) - x * x + Math.log(erfcxNonNegative(x));
  }
  return Math.log(normalCdf(z));
}

/**
 * The expected-improvement factor h(z) = z·Φ(z) + φ(z): EI = σ·h((best − μ)/σ) for a
 * minimised target. Underflows to 0 below z ≈ −38; use `logExpectedImprovementFactor` there.
 */
export function expectedImprovementFactor(z: number): number {
  return z * normalCdf(z) + normalPdf(z);
}

/**
 * log h(z) with h(z) = z·Φ(z) + φ(z), finite and increasing for every finite z.
 * For z ≤ −1, h(z) = φ(z)·(1 − |z|·R(|z|)) with Mills' ratio R(x) = Φ(−x)/φ(x) = √(π/2)·erfcx(x/√2);
 * for |z| > 50 the asymptotic 1 − xR(x) = x⁻² − 3x⁻⁴ + 15x⁻⁶ − 105x⁻⁸ + 945x⁻¹⁰ avoids cancellation.
 */
export function logExpectedImprovementFactor(z: number): number {
  if (z > -1) return Math.log(expectedImprovementFactor(z));
  const x = -z;
  const logPdf = -0.5 * x * x - LOG_SQRT_2PI;
  if (x > 50) {
    const u = 1 / (x * x);
    const tail = u * (1 - u * (3 - u * (15 - u * (105 - 945 * u))));
    return logPdf + Math.log(tail);
  }
  const mills = SQRT_HALF_PI * erfcxNonNegative(x / Math.SQRT2);
  return logPdf + Math.log1p(-x * mills);
}
