/**
 * The statistics the verdict rests on: medians over seeds, a distribution-free confidence
 * interval for a median, and the sampling noise of an accuracy measured on n images.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

export interface MedianInterval {
  readonly low: number;
  readonly high: number;
  /** The exact probability that [low, high] covers the true median (>= the level asked). */
  readonly coverage: number;
}

/**
 * The narrowest order-statistic interval [x(k), x(n+1-k)] that covers the population median
 * with probability >= `level`, whatever the distribution (the sign test's interval); undefined
 * when n is too small for any such interval (fewer than 5 values at level 0.9).
 */
export function medianInterval(values: readonly number[], level = 0.9): MedianInterval | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let best: MedianInterval | undefined;
  for (let k = 1; 2 * k <= n; k++) {
    const coverage = 1 - 2 * binomialHalfCdf(n, k - 1);
    if (coverage < level) break;
    best = { low: sorted[k - 1] as number, high: sorted[n - k] as number, coverage };
  }
  return best;
}

/** Standard error of an accuracy p measured on n independent images. */
export function accuracyStandardError(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}
