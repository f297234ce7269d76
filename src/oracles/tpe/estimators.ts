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
}

/** Internal observations of `trials` (in their order), one row per usable trial. */
function observe(trials: readonly Trial[], dimensions: readonly Dimension[]): number[][] {
  const rows: number[][] = [];
  for (const trial of trials) {
    const row: number[] = [];
    for (const dimension of dimensions) {
      const value = trial.params[dimension.parameter.name];
      const x = value === undefined ? undefined : toInternal(dimension, value);
      if (x === undefined) break;
      row.push(x);
    }
    if (row.length === dimensions.length) rows.push(row);
  }
  return rows;
}

/** The estimator of `trials` (sorted oldest first) over `dimensions`; joint when there are several. */
export function fitEstimator(
  trials: readonly Trial[],
  dimensions: readonly Dimension[],
  settings: EstimatorSettings,
): ParzenEstimator {
  const rows = observe(trials, dimensions);
  const weights = settings.weights(rows.length);
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
      ...(joint === undefined ? {} : { jointDimensions: joint }),
    });
  });
  return new ParzenEstimator(mixtureLogWeights(weights, settings.priorWeight), kernels);
}
