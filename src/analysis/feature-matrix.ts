/**
 * Trials as a matrix for the analyses: the COMPLETED trials with a finite value of the chosen
 * objective, each parameter encoded to [0, 1] as the oracles see it (log scales, grids and
 * choice indices included). Parameters are those every such trial has (as Optuna's
 * intersection search space); constants are left out.
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
}

export interface FeatureMatrixOptions {
  readonly objectiveIndex: number;
  /** Rows kept at most; a seeded random subset beyond that. */
  readonly maxRows?: number;
  readonly seed?: number;
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
  const used = parameters.filter(
    (p) =>
      p.kind !== 'fixed' && rows.length > 0 && rows.every((t) => t.params[p.name] !== undefined),
  );
  const d = used.length;
  const x = new Float64Array(rows.length * d);
  const y = new Float64Array(rows.length);
  rows.forEach((trial, i) => {
    used.forEach((p, j) => {
      x[i * d + j] = encode(p, trial.params[p.name] as never);
    });
    y[i] = objectiveValue(trial, options.objectiveIndex) as number;
  });
  return { parameters: used, x, y, trials: rows };
}
