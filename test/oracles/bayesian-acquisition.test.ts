import { describe, expect, it } from 'vitest';
import {
  acquisitionWithGradient,
  scoreAcquisition,
} from '../../src/oracles/bayesian/acquisition.js';
import { normalCdf, normalPdf } from '../../src/math/normal.js';

describe('acquisition functions', () => {
  it('log-EI equals the log of the textbook EI where that is stable, and UCB is −(μ − βσ)', () => {
    const mean = Float64Array.from([0.5, 1, 2, 0.9]);
    const variance = Float64Array.from([0.04, 0.25, 1, 1e-4]);
    const out = new Float64Array(4);
    scoreAcquisition({ kind: 'ei', best: 1, beta: 0 }, mean, variance, 4, out);
    for (let i = 0; i < 4; i++) {
      const s = Math.sqrt(variance[i]!);
      const z = (1 - mean[i]!) / s;
      expect(out[i]).toBeCloseTo(Math.log(s * (z * normalCdf(z) + normalPdf(z))), 10);
    }
    scoreAcquisition({ kind: 'ucb', best: 1, beta: 2.6 }, mean, variance, 4, out);
    for (let i = 0; i < 4; i++)
      expect(out[i]).toBeCloseTo(-(mean[i]! - 2.6 * Math.sqrt(variance[i]!)), 12);
  });

  it('stays finite and ordered where EI underflows', () => {
    const mean = Float64Array.from([100, 200, 400]);
    const variance = Float64Array.from([1, 1, 1]);
    const out = new Float64Array(3);
    scoreAcquisition({ kind: 'ei', best: 0, beta: 0 }, mean, variance, 3, out);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(out[0]!).toBeGreaterThan(out[1]!);
    expect(out[1]!).toBeGreaterThan(out[2]!);
  });

  for (const kind of ['ei', 'ucb'] as const) {
    it(`${kind}: the gradient through (μ, σ²) matches finite differences`, () => {
      // a toy prediction: μ(x) = x0² − x1, σ²(x) = 0.1 + x0² x1²
      const predict = (p: number[]): [number, number, number[], number[]] => [
        p[0]! ** 2 - p[1]!,
        0.1 + p[0]! ** 2 * p[1]! ** 2,
        [2 * p[0]!, -1],
        [2 * p[0]! * p[1]! ** 2, 2 * p[0]! ** 2 * p[1]!],
      ];
      const settings = { kind, best: 0.2, beta: 2.6 };
      for (const p of [
        [0.3, 0.4],
        [1.5, -0.2],
        [3, 0.01],
      ]) {
        const [m, v, gm, gv] = predict(p);
        const g = new Float64Array(2);
        acquisitionWithGradient(settings, m, v, Float64Array.from(gm), Float64Array.from(gv), 2, g);
        for (let k = 0; k < 2; k++) {
          const h = 1e-6;
          const f = (q: number[]): number => {
            const [mq, vq] = predict(q);
            return acquisitionWithGradient(
              settings,
              mq,
              vq,
              new Float64Array(2),
              new Float64Array(2),
              2,
              new Float64Array(2),
            );
          };
          const plus = [...p];
          const minus = [...p];
          plus[k] = plus[k]! + h;
          minus[k] = minus[k]! - h;
          expect(g[k]).toBeCloseTo((f(plus) - f(minus)) / (2 * h), 4);
        }
      }
    });
  }
});
