/**
 * Trials as a matrix for the analyses: the COMPLETED trials with a finite value of the chosen
 * objective, each parameter encoded to [0, 1] as the oracles see it (log scales, grids and
 * choice indices included). By default the parameters are those every such trial has (as
 * Optuna's intersection search space); with `conditional`, also those only some trials used
 * (`units_2` of a network that may have two layers): a parameter that a share q of the rows
 * did not use gets [0, q) of its axis for them (at q / 2) and [q, 1] for its values, so that
 * under the uniform measure of fANOVA each side weighs what it weighs in the trials.
 * Constants are left out.
 */
import { Random } from '../math/random.js';
import type { Parameter } from '../space/index.js';
import { encode } from '../space/index.js';
import type { Trial } from '../trials/index.js';

export interface FeatureMatrix {
  readonly parameters: readonly Parameter[];
  /** Row-major, `trials.length` rows of `parameters.length` values. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** The trials of the rows. */
  readonly trials: readonly Trial[];
  /** Per parameter, the share of rows that did not use it (0 for a parameter all rows have). */
  readonly inactiveShare: Float64Array;
}

export interface FeatureMatrixOptions {
  readonly objectiveIndex: number;
  /** Rows kept at most; a seeded random subset beyond that. */
  readonly maxRows?: number;
  readonly seed?: number;
  /** Include parameters that only some rows used (see above). Default false. */
  readonly conditional?: boolean;
}

/** The objective value of a trial, when it is a finite number. */
export function objectiveValue(trial: Trial, index: number): number | undefined {
  const v = trial.values?.[index];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

export function buildFeatureMatrix(
  parameters: readonly Parameter[],
  trials: readonly Trial[],
  options: FeatureMatrixOptions,
): FeatureMatrix {
  let rows = trials.filter(
    (t) => t.status === 'COMPLETED' && objectiveValue(t, options.objectiveIndex) !== undefined,
  );
  const maxRows = options.maxRows ?? Infinity;
  if (rows.length > maxRows) {
    rows = new Random(options.seed ?? 0)
      .shuffle([...rows])
      .slice(0, maxRows)
      .sort((a, b) => a.number - b.number);
  }
  const activeIn = (p: Parameter): number =>
    rows.filter((t) => t.params[p.name] !== undefined).length;
  const used = parameters.filter((p) => {
    if (p.kind === 'fixed' || rows.length === 0) return false;
    const active = activeIn(p);
    return options.conditional === true ? active > 0 : active === rows.length;
  });
  const d = used.length;
  const inactiveShare = Float64Array.from(used, (p) => 1 - activeIn(p) / rows.length);
  const x = new Float64Array(rows.length * d);
  const y = new Float64Array(rows.length);
  rows.forEach((trial, i) => {
    used.forEach((p, j) => {
      const q = inactiveShare[j] as number;
      const value = trial.params[p.name];
      x[i * d + j] = value === undefined ? q / 2 : q + (1 - q) * encode(p, value as never);
    });
    y[i] = objectiveValue(trial, options.objectiveIndex) as number;
  });
  return { parameters: used, x, y, trials: rows, inactiveShare };
}
