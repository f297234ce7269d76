/**
 * A CART regression tree on points of the unit cube: splits chosen by the largest drop in
 * squared error, thresholds half-way between neighbouring values. Used by the random forest
 * behind the importances and the contour surfaces.
 */
import type { Random } from '../math/random.js';

export interface TreeOptions {
  /** Deepest level (root is 0). */
  readonly maxDepth: number;
  /** Smallest number of samples in a leaf. */
  readonly minSamplesLeaf: number;
  /** Features tried at each split (all when >= the dimension); drawn with `rng`. */
  readonly maxFeatures: number;
}

/**
 * The fitted tree as flat arrays. Node 0 is the root; `feature[k] === -1` marks a leaf, whose
 * prediction is `value[k]`. Inner nodes send x[feature] < threshold left, the rest right.
 */
export interface RegressionTree {
  readonly dimension: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

interface Split {
  readonly feature: number;
  readonly threshold: number;
  readonly leftCount: number;
}

/**
 * Fits a tree to `x` (n rows of `dimension` values, row-major) and `y`, using the samples
 * listed in `indices` (repeats allowed: a bootstrap sample).
 */
export function fitRegressionTree(
  x: Float64Array,
  y: Float64Array,
  dimension: number,
  indices: Int32Array,
  options: TreeOptions,
  rng: Random,
): RegressionTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const order = Int32Array.from(indices);
  const scratch = new Int32Array(order.length);
  const features = Array.from({ length: dimension }, (_, j) => j);

  const grow = (start: number, end: number, depth: number): number => {
    const node = feature.length;
    let sum = 0;
    for (let k = start; k < end; k++) sum += y[order[k] as number] as number;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(sum / (end - start));
    if (depth >= options.maxDepth || end - start < 2 * options.minSamplesLeaf) return node;
    const split = bestSplit(start, end);
    if (split === undefined) return node;
    // partition order[start, end) by the split, stably
    let l = start;
    let r = 0;
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      if ((x[i * dimension + split.feature] as number) < split.threshold) order[l++] = i;
      else scratch[r++] = i;
    }
    for (let k = 0; k < r; k++) order[l + k] = scratch[k] as number;
    feature[node] = split.feature;
    threshold[node] = split.threshold;
    left[node] = grow(start, start + split.leftCount, depth + 1);
    right[node] = grow(start + split.leftCount, end, depth + 1);
    return node;
  };

  const bestSplit = (start: number, end: number): Split | undefined => {
    const count = end - start;
    const candidates =
      options.maxFeatures >= dimension
        ? features
        : rng.shuffle([...features]).slice(0, Math.max(1, options.maxFeatures));
    let best: Split | undefined;
    let bestScore = 0;
    let total = 0;
    let totalSq = 0;
    for (let k = start; k < end; k++) {
      const v = y[order[k] as number] as number;
      total += v;
      totalSq += v * v;
    }
    const parentError = totalSq - (total * total) / count;
    if (parentError <= 1e-12 * Math.max(1, Math.abs(totalSq))) return undefined;
    const sorted = Array.from(order.subarray(start, end));
    for (const j of candidates) {
      sorted.sort((a, b) => (x[a * dimension + j] as number) - (x[b * dimension + j] as number));
      let leftSum = 0;
      let leftSq = 0;
      for (let k = 0; k < count - 1; k++) {
        const i = sorted[k] as number;
        const v = y[i] as number;
        leftSum += v;
        leftSq += v * v;
        const here = x[i * dimension + j] as number;
        const next = x[(sorted[k + 1] as number) * dimension + j] as number;
        const leftCount = k + 1;
        if (
          here === next ||
          leftCount < options.minSamplesLeaf ||
          count - leftCount < options.minSamplesLeaf
        )
          continue;
        const rightSum = total - leftSum;
        const rightSq = totalSq - leftSq;
        const error =
          leftSq -
          (leftSum * leftSum) / leftCount +
          rightSq -
          (rightSum * rightSum) / (count - leftCount);
        const score = parentError - error;
        if (score > bestScore + 1e-12) {
          bestScore = score;
          best = { feature: j, threshold: (here + next) / 2, leftCount };
        }
      }
    }
    return best;
  };

  grow(0, order.length, 0);
  return {
    dimension,
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}

/** The tree's prediction at `point`. */
export function predictTree(tree: RegressionTree, point: ArrayLike<number>): number {
  let node = 0;
  for (;;) {
    const f = tree.feature[node] as number;
    if (f < 0) return tree.value[node] as number;
    node =
      (point[f] as number) < (tree.threshold[node] as number)
        ? (tree.left[node] as number)
        : (tree.right[node] as number);
  }
}

/** A leaf as a box of the unit cube: lower and upper bounds per dimension. */
export interface TreeLeaf {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly value: number;
  /** The box's volume. */
  readonly volume: number;
}

/** The tree's leaves as boxes partitioning [0, 1]^d. */
export function treeLeaves(tree: RegressionTree): TreeLeaf[] {
  const leaves: TreeLeaf[] = [];
  const d = tree.dimension;
  const visit = (node: number, lower: Float64Array, upper: Float64Array): void => {
    const f = tree.feature[node] as number;
    if (f < 0) {
      let volume = 1;
      for (let j = 0; j < d; j++)
        volume *= Math.max(0, (upper[j] as number) - (lower[j] as number));
      if (volume > 0) leaves.push({ lower, upper, value: tree.value[node] as number, volume });
      return;
    }
    const t = Math.min(
      upper[f] as number,
      Math.max(lower[f] as number, tree.threshold[node] as number),
    );
    const leftUpper = Float64Array.from(upper);
    leftUpper[f] = t;
    const rightLower = Float64Array.from(lower);
    rightLower[f] = t;
    visit(tree.left[node] as number, lower, leftUpper);
    visit(tree.right[node] as number, rightLower, upper);
  };
  visit(0, new Float64Array(d), new Float64Array(d).fill(1));
  return leaves;
}
