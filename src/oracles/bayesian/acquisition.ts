/**
 * Acquisition functions, for a minimised target, as scores where higher is better:
 * - 'ei': log expected improvement over the best observed value, log(σ·h((best − μ)/σ)),
 *   computed stably so that it keeps ranking candidates where EI itself underflows;
 * - 'ucb': the negated lower confidence bound −(μ − β·σ) (Keras Tuner's upper confidence
 *   bound for a minimised objective), β = 2.6 by default as in Keras Tuner.
 */
import { logExpectedImprovementFactor, logNormalCdf } from '../../math/normal.js';

export const Acquisition = { ExpectedImprovement: 'ei', UpperConfidenceBound: 'ucb' } as const;
export type Acquisition = (typeof Acquisition)[keyof typeof Acquisition];
export const ACQUISITIONS: readonly Acquisition[] = Object.values(Acquisition);

export interface AcquisitionSettings {
  readonly kind: Acquisition;
  /** Best (lowest) loss so far: EI's incumbent. */
  readonly best: number;
  /** UCB's exploration weight. */
  readonly beta: number;
}

/** Scores `m` predictions (mean, variance) into `out`. */
export function scoreAcquisition(
  settings: AcquisitionSettings,
  mean: Float64Array,
  variance: Float64Array,
  m: number,
  out: Float64Array,
): void {
  const { kind, best, beta } = settings;
  for (let i = 0; i < m; i++) {
    const mu = mean[i] as number;
    const sigma = Math.sqrt(Math.max(variance[i] as number, 1e-300));
    switch (kind) {
      case 'ei':
        out[i] = Math.log(sigma) + logExpectedImprovementFactor((best - mu) / sigma);
        break;
      case 'ucb':
        out[i] = -(mu - beta * sigma);
        break;
    }
  }
}

/**
 * The score at one point from its prediction and the prediction's gradient (over `d`
 * inputs); writes the score's gradient into `out[0..d)`. For log-EI, with z = (best − μ)/σ:
 *   ∂ score = ∂σ/σ − (Φ(z)/h(z))·(∂μ + z ∂σ)/σ,   ∂σ = ∂σ²/(2σ).
 */
export function acquisitionWithGradient(
  settings: AcquisitionSettings,
  mean: number,
  variance: number,
  gradientMean: Float64Array,
  gradientVariance: Float64Array,
  d: number,
  out: Float64Array,
): number {
  const sigma = Math.sqrt(Math.max(variance, 1e-300));
  switch (settings.kind) {
    case 'ei': {
      const z = (settings.best - mean) / sigma;
      const logH = logExpectedImprovementFactor(z);
      const ratio = Math.exp(logNormalCdf(z) - logH);
      for (let k = 0; k < d; k++) {
        const dSigma = (gradientVariance[k] as number) / (2 * sigma);
        out[k] = dSigma / sigma - (ratio * ((gradientMean[k] as number) + z * dSigma)) / sigma;
      }
      return Math.log(sigma) + logH;
    }
    case 'ucb':
      for (let k = 0; k < d; k++) {
        out[k] =
          -(gradientMean[k] as number) +
          (settings.beta * (gradientVariance[k] as number)) / (2 * sigma);
      }
      return -(mean - settings.beta * sigma);
  }
}
