/**
 * Fitting a Parzen estimator to a group of trials over some dimensions: only trials where
 * every dimension's parameter has a (valid) value contribute, so a conditional parameter is
 * modelled from the trials where it was active.
 */
import { HypertunerError } from '../../space/index.js';
import type { Trial } from '../../trials/index.js';
import { buildCategoricalKernels, buildNumericKernels, mixtureLogWeights } from './bandwidths.js';
import type { Dimension } from './dimension.js';
import { toInternal } from './dimension.js';
import type { KernelSet } from './kernels.js';
import { ParzenEstimator } from './parzen-estimator.js';

export interface EstimatorSettings {
  readonly weights: (n: number) => Float64Array;
  readonly priorWeight: number;
  readonly considerEndpoints: boolean;
  readonly considerMagicClip: boolean;
  readonly bandwidthWeightedScore: boolean;
  readonly minBandwidthFactor?: number;
  readonly magicClipExponent?: number;
  readonly jointBandwidth?: 'scott' | 'neighbours';
}

/**
 * Internal observations of `trials` (in their order), one row per usable trial, with the
 * indices (into `trials`) of the trials used.
 */
function observe(
  trials: readonly Trial[],
  dimensions: readonly Dimension[],
): { rows: number[][]; used: number[] } {
  const rows: number[][] = [];
  const used: number[] = [];
  for (const [index, trial] of trials.entries()) {
    const row: number[] = [];
    for (const dimension of dimensions) {
      const value = trial.params[dimension.parameter.name];
      const x = value === undefined ? undefined : toInternal(dimension, value);
      if (x === undefined) break;
      row.push(x);
    }
    if (row.length === dimensions.length) {
      rows.push(row);
      used.push(index);
    }
  }
  return { rows, used };
}

/**
 * The estimator of `trials` (sorted oldest first) over `dimensions`; joint when there are several.
 * `trialWeights` (one per trial, > 0), when given, replace `settings.weights`, and the prior
 * then weighs `priorWeight` times their mean over the trials used.
 */
export function fitEstimator(
  trials: readonly Trial[],
  dimensions: readonly Dimension[],
  settings: EstimatorSettings,
  trialWeights?: Float64Array,
): ParzenEstimator {
  const { rows, used } = observe(trials, dimensions);
  const weights =
    trialWeights === undefined
      ? settings.weights(rows.length)
      : Float64Array.from(used, (i) => trialWeights[i] as number);
  if (weights.length !== rows.length || weights.some((w) => !(w >= 0) || !Number.isFinite(w))) {
    throw new HypertunerError(
      'TPE_INVALID_OPTION',
      `TpeOracle option 'weights' must return ${rows.length} finite weights >= 0 for n = ${rows.length}.`,
      { field: 'weights' },
    );
  }
  const joint = dimensions.length > 1 ? dimensions.length : undefined;
  const kernels: KernelSet[] = dimensions.map((dimension, d) => {
    const column = rows.map((row) => row[d] as number);
    if (dimension.kind === 'categorical')
      return buildCategoricalKernels(column, dimension.values.length, settings.priorWeight);
    return buildNumericKernels(Float64Array.from(column), {
      cells: dimension.cells,
      considerEndpoints: settings.considerEndpoints,
      considerMagicClip: settings.considerMagicClip,
      byShape: settings.bandwidthWeightedScore,
      minBandwidthFactor: settings.minBandwidthFactor,
      magicClipExponent: settings.magicClipExponent,
      jointBandwidth: settings.jointBandwidth,
      ...(joint === undefined ? {} : { jointDimensions: joint }),
    });
  });
  let priorWeight = settings.priorWeight;
  if (trialWeights !== undefined && weights.length > 0) {
    priorWeight *= weights.reduce((sum, w) => sum + w, 0) / weights.length;
  }
  return new ParzenEstimator(mixtureLogWeights(weights, priorWeight), kernels);
}
