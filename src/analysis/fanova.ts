/**
 * fANOVA on a random forest (Hutter, Hoos & Leyton-Brown, 2014): each tree is a piecewise
 * constant function on [0, 1]^d; under the uniform measure its variance splits into the
 * variances of its marginals. A parameter's importance is the share of the variance its
 * one-dimensional marginal explains, averaged over trees. Computed exactly from the leaves'
 * boxes (a sweep along each dimension), no sampling.
 */
import type { RandomForest } from './random-forest.js';
import type { TreeLeaf } from './regression-tree.js';
import { treeLeaves } from './regression-tree.js';

export interface FanovaResult {
  /** Per dimension: the mean over trees of (variance of its marginal) / (total variance). */
  readonly firstOrder: Float64Array;
  /** The same, scaled to sum to 1 (all zero when the forest is constant). */
  readonly normalized: Float64Array;
}

/** The variance of each one-dimensional marginal of one tree, and its total variance. */
export function treeMarginalVariances(
  leaves: readonly TreeLeaf[],
  dimension: number,
): { readonly total: number; readonly perDimension: Float64Array } {
  let mean = 0;
  for (const leaf of leaves) mean += leaf.volume * leaf.value;
  let total = 0;
  for (const leaf of leaves) total += leaf.volume * (leaf.value - mean) ** 2;
  const perDimension = new Float64Array(dimension);
  if (!(total > 0)) return { total: 0, perDimension };
  for (let j = 0; j < dimension; j++) {
    // along dimension j the marginal is a step function: a leaf adds value * (volume / width)
    // over [lower_j, upper_j). Sweep over the boundaries.
    const events: { at: number; delta: number }[] = [];
    for (const leaf of leaves) {
      const lo = leaf.lower[j] as number;
      const hi = leaf.upper[j] as number;
      const width = hi - lo;
      if (width <= 0) continue;
      const contribution = (leaf.value * leaf.volume) / width;
      events.push({ at: lo, delta: contribution }, { at: hi, delta: -contribution });
    }
    events.sort((a, b) => a.at - b.at);
    let level = 0;
    let variance = 0;
    let k = 0;
    while (k < events.length) {
      const at = (events[k] as { at: number }).at;
      while (k < events.length && (events[k] as { at: number }).at === at)
        level += (events[k++] as { delta: number }).delta;
      const next = k < events.length ? (events[k] as { at: number }).at : at;
      if (next > at) variance += (next - at) * (level - mean) ** 2;
    }
    perDimension[j] = variance;
  }
  return { total, perDimension };
}

/** First-order fANOVA importances of each dimension of the forest's inputs. */
export function fanovaImportances(forest: RandomForest): FanovaResult {
  const d = forest.dimension;
  const firstOrder = new Float64Array(d);
  let used = 0;
  for (const tree of forest.trees) {
    const { total, perDimension } = treeMarginalVariances(treeLeaves(tree), d);
    if (!(total > 0)) continue;
    used++;
    for (let j = 0; j < d; j++)
      firstOrder[j] = (firstOrder[j] as number) + (perDimension[j] as number) / total;
  }
  if (used > 0) for (let j = 0; j < d; j++) firstOrder[j] = (firstOrder[j] as number) / used;
  let sum = 0;
  for (let j = 0; j < d; j++) sum += firstOrder[j] as number;
  const normalized = new Float64Array(d);
  if (sum > 0) for (let j = 0; j < d; j++) normalized[j] = (firstOrder[j] as number) / sum;
  return { firstOrder, normalized };
}

/**
 * The forest's two-dimensional marginal over dimensions `a` and `b` (other dimensions
 * averaged out), on a grid of cell centres, `size` cells along a and `sizeB` along b:
 * `grid[row * size + col]` is the value at (a = (col + 0.5) / size, b = (row + 0.5) / sizeB).
 */
export function pairMarginal(
  forest: RandomForest,
  a: number,
  b: number,
  size: number,
  sizeB: number = size,
): Float64Array {
  const grid = new Float64Array(size * sizeB);
  for (const tree of forest.trees) {
    for (const leaf of treeLeaves(tree)) {
      const wa = (leaf.upper[a] as number) - (leaf.lower[a] as number);
      const wb = (leaf.upper[b] as number) - (leaf.lower[b] as number);
      if (wa <= 0 || wb <= 0) continue;
      const contribution = (leaf.value * leaf.volume) / (wa * wb);
      const col0 = Math.max(0, Math.ceil((leaf.lower[a] as number) * size - 0.5));
      const col1 = Math.min(size - 1, Math.ceil((leaf.upper[a] as number) * size - 0.5) - 1);
      const row0 = Math.max(0, Math.ceil((leaf.lower[b] as number) * sizeB - 0.5));
      const row1 = Math.min(sizeB - 1, Math.ceil((leaf.upper[b] as number) * sizeB - 0.5) - 1);
      for (let row = row0; row <= row1; row++) {
        for (let col = col0; col <= col1; col++)
          grid[row * size + col] = (grid[row * size + col] as number) + contribution;
      }
    }
  }
  const trees = Math.max(1, forest.trees.length);
  for (let k = 0; k < grid.length; k++) grid[k] = (grid[k] as number) / trees;
  return grid;
}
