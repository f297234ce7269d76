/**
 * Hyperparameter importances: a random forest fitted to the encoded parameters and the
 * objective, then fANOVA's first-order variance shares, scaled to sum to 1 (as Optuna's
 * FanovaImportanceEvaluator). Seeded, so the same trials give the same numbers. Conditional
 * parameters are included (Optuna leaves out every parameter some trial lacks): the trials
 * that did not use one sit on their own segment of its axis, so its importance counts whether
 * it was used as well as its value (see feature-matrix.ts).
 */
import type { Parameter } from '../space/index.js';
import type { Trial } from '../trials/index.js';
import { fanovaImportances } from './fanova.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { buildFeatureMatrix } from './feature-matrix.js';
import type { RandomForest } from './random-forest.js';
import { fitRandomForest } from './random-forest.js';

export interface ParameterImportance {
  readonly name: string;
  /** Share of the explained variance, in [0, 1]; all shares sum to 1 (or are all 0). */
  readonly importance: number;
  /** The raw first-order variance fraction (before scaling). */
  readonly firstOrder: number;
}

export interface ImportanceOptions {
  readonly objectiveIndex?: number;
  readonly trees?: number;
  /** Trials used at most (a seeded random subset of larger studies). */
  readonly maxTrials?: number;
  readonly seed?: number;
}

export interface ImportanceResult {
  readonly importances: readonly ParameterImportance[];
  /** How many trials the forest was fitted on. */
  readonly trialsUsed: number;
  readonly forest: RandomForest;
  readonly matrix: FeatureMatrix;
}

/** Fits the forest on the study's COMPLETED trials and returns importances, most important first. */
export function computeImportances(
  parameters: readonly Parameter[],
  trials: readonly Trial[],
  options: ImportanceOptions = {},
): ImportanceResult {
  const matrix = buildFeatureMatrix(parameters, trials, {
    objectiveIndex: options.objectiveIndex ?? 0,
    maxRows: options.maxTrials ?? 1000,
    seed: options.seed ?? 0,
    conditional: true,
  });
  const d = matrix.parameters.length;
  const forest = fitRandomForest(matrix.x, matrix.y, d, {
    trees: options.trees ?? 32,
    seed: options.seed ?? 0,
    minSamplesLeaf: 1,
  });
  const { firstOrder, normalized } = fanovaImportances(forest);
  const importances = matrix.parameters
    .map((p, j) => ({
      name: p.name,
      importance: normalized[j] as number,
      firstOrder: firstOrder[j] as number,
    }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
  return { importances, trialsUsed: matrix.y.length, forest, matrix };
}
