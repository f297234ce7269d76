import { describe, expect, it } from 'vitest';
import { GaussianProcess } from '../../src/math/gaussian-process.js';
import { QuadraticPriorMean } from '../../src/math/quadratic-prior-mean.js';
import { Random } from '../../src/math/random.js';

/** predictWithGradient at `point` agrees with predict there, and its gradients with central differences of predict. */
function expectGradientsOfPredict(model: GaussianProcess, point: Float64Array): void {
  const d = point.length;
  const mean = new Float64Array(1);
  const variance = new Float64Array(1);
  const gm = new Float64Array(d);
  const gv = new Float64Array(d);
  const [mu, v] = model.predictWithGradient(point, 0, gm, gv);
  model.predict(point, 1, mean, variance);
  expect(mu).toBeCloseTo(mean[0]!, 12);
  expect(v).toBeCloseTo(variance[0]!, 12);
  for (let k = 0; k < d; k++) {
    const h = 1e-6;
    const plus = Float64Array.from(point);
    const minus = Float64Array.from(point);
    plus[k] = plus[k]! + h;
    minus[k] = minus[k]! - h;
    const [mp, vp] = [new Float64Array(1), new Float64Array(1)];
    const [mm, vm] = [new Float64Array(1), new Float64Array(1)];
    model.predict(plus, 1, mp, vp);
    model.predict(minus, 1, mm, vm);
    expect(gm[k]).toBeCloseTo((mp[0]! - mm[0]!) / (2 * h), 5);
    expect(gv[k]).toBeCloseTo((vp[0]! - vm[0]!) / (2 * h), 5);
  }
}

describe('GaussianProcess.predictWithGradient', () => {
  const random = new Random(3);
  const n = 15;
  const d = 3;
  const x = Float64Array.from({ length: n * d }, () => random.next());
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * x[i * d]!) + x[i * d + 2]!);
  const gp = new GaussianProcess({
    x,
    n,
    d,
    y,
    hyperparameters: {
      lengthScales: Float64Array.from([0.3, 0.6, 0.4]),
      signalVariance: 1.2,
      noiseVariance: 1e-3,
    },
  });

  it('agrees with predict and with central finite differences of it', () => {
    for (let trial = 0; trial < 5; trial++)
      expectGradientsOfPredict(
        gp,
        Float64Array.from({ length: d }, () => random.next()),
      );
  });

  it('predicts a batch (four points at a time plus the rest) as it predicts each point alone', () => {
    for (const m of [1, 3, 4, 9]) {
      const points = Float64Array.from({ length: m * d }, () => random.next());
      const mean = new Float64Array(m);
      const variance = new Float64Array(m);
      gp.predict(points, m, mean, variance);
      for (let i = 0; i < m; i++) {
        const [mu, v] = gp.predictWithGradient(
          points,
          i * d,
          new Float64Array(d),
          new Float64Array(d),
        );
        expect(mean[i]).toBeCloseTo(mu, 12);
        expect(variance[i]).toBeCloseTo(v, 12);
      }
    }
  });

  it('with the additive part: agrees with predict and with central finite differences of it', () => {
    const additiveGp = new GaussianProcess({
      x,
      n,
      d,
      y,
      hyperparameters: {
        lengthScales: Float64Array.from([0.3, 0.6, 0.4]),
        signalVariance: 1.2,
        noiseVariance: 1e-3,
        additive: { lengthScales: Float64Array.from([0.2, 0.5, 0.3]), variance: 0.8 },
      },
    });
    for (let trial = 0; trial < 5; trial++)
      expectGradientsOfPredict(
        additiveGp,
        Float64Array.from({ length: d }, () => random.next()),
      );
    // its prior variance is σ_f² + σ_a², reached far from the data
    const far = new Float64Array(1);
    additiveGp.predict(Float64Array.from([40, 40, 40]), 1, new Float64Array(1), far);
    expect(far[0]! / additiveGp.scaling.scale ** 2).toBeCloseTo(2, 6);
  });

  describe('with a bowl-shaped prior mean', () => {
    const priorMean = new QuadraticPriorMean(2, Float64Array.from([1, 1, 1]));
    const bowlGp = new GaussianProcess({
      x,
      n,
      d,
      y,
      hyperparameters: {
        lengthScales: Float64Array.from([0.05, 0.05, 0.05]),
        signalVariance: 1,
        noiseVariance: 1e-8,
      },
      priorMean,
    });
    const { mean: shift, scale } = bowlGp.scaling;

    it('still interpolates its data, and reverts to the prior mean far from them', () => {
      const mean = new Float64Array(n);
      bowlGp.predict(x, n, mean, new Float64Array(n));
      for (let i = 0; i < n; i++) expect(mean[i]).toBeCloseTo(y[i]!, 3);
      // (2, 2, 2), outside the box, is at least 20 length scales of 0.05 from every data point
      const corner = Float64Array.from([2, 2, 2]);
      const far = new Float64Array(1);
      bowlGp.predict(corner, 1, far, new Float64Array(1));
      expect(far[0]).toBeCloseTo(shift + scale * priorMean.value(corner, 0), 6);
      expect(far[0]).toBeGreaterThan(shift + 10 * scale); // (4/3 · 6.75 − 1/3) · 2 = 17.3 sd up
    });

    it('has the gradient of finite differences of predict, the prior included', () => {
      const smooth = new GaussianProcess({
        x,
        n,
        d,
        y,
        hyperparameters: {
          lengthScales: Float64Array.from([0.3, 0.6, 0.4]),
          signalVariance: 1.2,
          noiseVariance: 1e-3,
        },
        priorMean,
      });
      expectGradientsOfPredict(smooth, Float64Array.from([0.15, 0.8, 0.55]));
    });
  });
});
