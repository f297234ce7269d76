/**
 * A random forest of regression trees on the unit cube: bootstrap samples, a seeded
 * generator, predictions averaged over trees.
 */
import { Random } from '../math/random.js';
import type { RegressionTree } from './regression-tree.js';
import { fitRegressionTree, predictTree } from './regression-tree.js';

export interface ForestOptions {
  readonly trees?: number;
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  /** Fraction of the features tried at each split (1: all, as scikit-learn's regressor). */
  readonly maxFeaturesFraction?: number;
  readonly seed?: number;
}

export interface RandomForest {
  readonly dimension: number;
  readonly trees: readonly RegressionTree[];
}

/** Fits a forest to n rows of `dimension` features in [0, 1] (row-major `x`) and targets `y`. */
export function fitRandomForest(
  x: Float64Array,
  y: Float64Array,
  dimension: number,
  options: ForestOptions = {},
): RandomForest {
  const n = y.length;
  const rng = new Random(options.seed ?? 0);
  const count = options.trees ?? 32;
  const treeOptions = {
    maxDepth: options.maxDepth ?? 32,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    maxFeatures: Math.max(1, Math.round((options.maxFeaturesFraction ?? 1) * dimension)),
  };
  const trees: RegressionTree[] = [];
  for (let t = 0; t < count && n > 0; t++) {
    const sample = new Int32Array(n);
    for (let k = 0; k < n; k++) sample[k] = rng.int(n);
    trees.push(fitRegressionTree(x, y, dimension, sample, treeOptions, rng));
  }
  return { dimension, trees };
}

/** The forest's prediction at `point` (mean over trees). */
export function predictForest(forest: RandomForest, point: ArrayLike<number>): number {
  let sum = 0;
  for (const tree of forest.trees) sum += predictTree(tree, point);
  return sum / Math.max(1, forest.trees.length);
}
