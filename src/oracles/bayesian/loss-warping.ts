/**
 * Warping the observed losses before the GP sees them (option `lossWarping: 'tail'`): the
 * upper tail is compressed logarithmically, the rest is left as it is. A GP with a stationary
 * kernel fitted to a loss spread over orders of magnitude (Rosenbrock's valley: 1 near the
 * optimum, 10⁴ on the walls) spends its variance on the walls, and its predictions near the
 * best trials, where the search happens, are blurred by it.
 *
 * With s = median − best (the spread of the better half of the losses) and t = median + k·s
 * (k = `tailSpreads`), each loss y > t becomes t + s·ln(1 + (y − t)/s): continuous, with slope 1
 * at t, increasing, so the order of the trials is kept. Losses up to t, the best one included,
 * are unchanged: expected improvement's incumbent is the same number, and losses without a
 * heavy upper tail (nothing above t, as on many bounded objectives) are modelled exactly as
 * before. Unlike a Box-Cox or rank transform of all losses, the region near the optimum keeps
 * its scale, so smooth problems still converge closely.
 */

/** The compression of one set of losses: losses above `threshold` are compressed at `scale`. */
export interface TailCompression {
  readonly threshold: number;
  readonly scale: number;
}

/**
 * The compression fitted to `losses` (finite numbers): s = median − min, t = median + k·s with
 * k = `spreads` (≥ 0). An empty set gives t = s = 0 (nothing to compress).
 */
export function tailCompressionOf(losses: ArrayLike<number>, spreads: number): TailCompression {
  const sorted = Float64Array.from(losses).sort();
  const n = sorted.length;
  if (n === 0) return { threshold: 0, scale: 0 };
  const low = sorted[0] as number;
  const median = 0.5 * ((sorted[(n - 1) >> 1] as number) + (sorted[n >> 1] as number));
  const scale = median - low;
  return { threshold: median + spreads * scale, scale };
}

/** One loss under `compression`: t + s·ln(1 + (y − t)/s) above t, else y itself. */
export function compressTail(loss: number, compression: TailCompression): number {
  const { threshold, scale } = compression;
  if (!(loss > threshold) || !(scale > 0)) return loss;
  return threshold + scale * Math.log1p((loss - threshold) / scale);
}

/** The map of losses fitted to `losses` (see `tailCompressionOf`). */
export function tailWarpOf(losses: ArrayLike<number>, spreads: number): (loss: number) => number {
  const compression = tailCompressionOf(losses, spreads);
  return (loss) => compressTail(loss, compression);
}
