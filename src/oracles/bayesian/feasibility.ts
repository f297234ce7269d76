/**
 * Constrained Bayesian optimisation (Gardner et al. 2014, as Optuna's GPSampler does it): one
 * Gaussian process per constraint, fitted to the constraint values the trials carry (see
 * src/trials/constraints.ts), gives the probability that a point is feasible, P(c_k ≤ 0) =
 * Φ(−μ_k/σ_k); the acquisition becomes log-EI over the best *feasible* loss plus the sum of
 * the log probabilities. While no trial is feasible the acquisition is the log probability of
 * feasibility alone: the search first looks for the feasible region. Local candidates are
 * drawn around the best feasible trials (or, while there are none, the least violating ones).
 */
import type { GaussianProcess } from '../../math/gaussian-process.js';
import { logNormalCdf } from '../../math/normal.js';
import type { Trial } from '../../trials/index.js';
import { constraintValues, violationOf } from '../../trials/index.js';
import type { BatchScore, ScoreWithGradient } from './candidate-search.js';
import type { Observation } from './observations.js';
import type { SpaceEncoding } from './space-encoding.js';
import type { SurrogateSettings } from './surrogate.js';
import { SurrogateFitter } from './surrogate.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** The constraint models of one ask. */
export interface Feasibility {
  /** The best loss among feasible observations; undefined while none is feasible. */
  readonly incumbent: number | undefined;
  /** Observations to centre local candidates on: the feasible ones, else the least violating, best first. */
  readonly anchors: readonly Observation[];
  /** One GP per constraint. */
  readonly models: readonly GaussianProcess[];
}

/** The constraint GPs of an oracle, refitted as its objective GP is (see surrogate.ts). */
export class FeasibilityFitter {
  readonly #settings: SurrogateSettings;
  readonly #fitters: SurrogateFitter[] = [];

  constructor(settings: SurrogateSettings) {
    this.#settings = settings;
  }

  /** The constraint models for this history; undefined when no trial carries constraint values. */
  fit(
    trials: readonly Trial[],
    observations: readonly Observation[],
    encoding: SpaceEncoding,
  ): Feasibility | undefined {
    const rows: { params: Trial['params']; values: readonly number[] }[] = [];
    const byNumber = new Map<number, readonly number[]>();
    let count = 0;
    for (const trial of trials) {
      if (trial.status !== 'COMPLETED' && trial.status !== 'PRUNED') continue;
      const values = constraintValues(trial);
      if (values === undefined) continue;
      rows.push({ params: trial.params, values });
      byNumber.set(trial.number, values);
      count = Math.max(count, values.length);
    }
    if (rows.length === 0) return undefined;
    const F = encoding.featureDimension;
    const n = rows.length;
    const x = new Float64Array(n * F);
    rows.forEach((row, i) => encoding.encodeValues(row.params, x, i * F));
    const models: GaussianProcess[] = [];
    for (let k = 0; k < count; k++) {
      const y = new Float64Array(n);
      // a trial that gave fewer values than others counts as violating the missing ones
      rows.forEach((row, i) => (y[i] = row.values[k] ?? 1));
      const fitter = (this.#fitters[k] ??= new SurrogateFitter({
        ...this.#settings,
        seed: this.#settings.seed + 7919 * (k + 1),
      }));
      models.push(fitter.fit(x, n, F, y));
    }
    const violation = (o: Observation): number => {
      const values = byNumber.get(o.number);
      return values === undefined ? Infinity : violationOf(values) + (count - values.length);
    };
    const ranked = observations
      .map((o) => ({ o, v: violation(o) }))
      .sort((a, b) => a.v - b.v || a.o.loss - b.o.loss || a.o.number - b.o.number);
    const feasible = ranked.filter((r) => r.v === 0).map((r) => r.o);
    const incumbent = feasible.length > 0 ? Math.min(...feasible.map((o) => o.loss)) : undefined;
    return {
      incumbent,
      anchors: feasible.length > 0 ? feasible : ranked.slice(0, 5).map((r) => r.o),
      models,
    };
  }
}

/**
 * The acquisition made constrained: the objective's score plus the log probability of
 * feasibility (the score alone is dropped while no trial is feasible).
 */
export function withFeasibility(
  acquisition: { readonly score: BatchScore; readonly scoreWithGradient: ScoreWithGradient },
  feasibility: Feasibility,
  featureDimension: number,
): { score: BatchScore; scoreWithGradient: ScoreWithGradient } {
  const useObjective = feasibility.incumbent !== undefined;
  let mean = new Float64Array(0);
  let variance = new Float64Array(0);
  const score: BatchScore = (features, m, out) => {
    if (useObjective) acquisition.score(features, m, out);
    else out.fill(0, 0, m);
    if (mean.length < m) {
      mean = new Float64Array(m);
      variance = new Float64Array(m);
    }
    for (const model of feasibility.models) {
      model.predict(features, m, mean, variance);
      for (let i = 0; i < m; i++) {
        const sigma = Math.sqrt(Math.max(variance[i] as number, 1e-300));
        out[i] = (out[i] as number) + logNormalCdf(-(mean[i] as number) / sigma);
      }
    }
  };
  const F = featureDimension;
  const gradientMean = new Float64Array(F);
  const gradientVariance = new Float64Array(F);
  const scoreWithGradient: ScoreWithGradient = (features, gradient) => {
    let value = 0;
    if (useObjective) value = acquisition.scoreWithGradient(features, gradient);
    else gradient.fill(0, 0, F);
    for (const model of feasibility.models) {
      const [mu, v] = model.predictWithGradient(features, 0, gradientMean, gradientVariance);
      const sigma = Math.sqrt(Math.max(v, 1e-300));
      const z = -mu / sigma;
      const logPhi = logNormalCdf(z);
      // d log Φ(z) = (φ(z)/Φ(z)) dz,  dz = −∂μ/σ + μ ∂σ/σ²,  ∂σ = ∂σ²/(2σ)
      const ratio = Math.exp(-0.5 * z * z - LOG_SQRT_2PI - logPhi);
      for (let k = 0; k < F; k++) {
        const dSigma = (gradientVariance[k] as number) / (2 * sigma);
        const dz = -(gradientMean[k] as number) / sigma + (mu * dSigma) / (sigma * sigma);
        gradient[k] = (gradient[k] as number) + ratio * dz;
      }
      value += logPhi;
    }
    return value;
  };
  return { score, scoreWithGradient };
}
