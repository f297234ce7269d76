import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianProcess, standardScaling } from '../../src/math/gaussian-process.js';
import { fitGpHyperparameters } from '../../src/math/gp-fit.js';
import { defaultGpPrior, packHyperparameters } from '../../src/math/gp-hyperparameters.js';
import { GpNegativeLogPosterior } from '../../src/math/gp-likelihood.js';
import {
  exponentialFactors,
  kernelRow,
  matern52,
  matern52RadialFactor,
} from '../../src/math/matern52-kernel.js';
import { Random } from '../../src/math/random.js';

/** Matérn-5/2 written out independently: σ²(1 + √5 r + 5r²/3)e^{−√5 r}. */
function kernelByHand(a: number[], b: number[], ls: number[], s2: number): number {
  const r = Math.sqrt(a.reduce((acc, ai, k) => acc + ((ai - b[k]!) / ls[k]!) ** 2, 0));
  return s2 * (1 + Math.sqrt(5) * r + (5 * r * r) / 3) * Math.exp(-Math.sqrt(5) * r);
}

/** The objective's analytic gradient at θ agrees with central differences (step 1e-5) to 1e-6 relative. */
function expectFiniteDifferenceGradient(
  objective: GpNegativeLogPosterior,
  theta: Float64Array,
): void {
  const gradient = new Float64Array(theta.length);
  objective.evaluate(theta, gradient);
  const scratch = new Float64Array(theta.length);
  for (let j = 0; j < theta.length; j++) {
    const h = 1e-5;
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[j] = plus[j]! + h;
    minus[j] = minus[j]! - h;
    const numeric =
      (objective.evaluate(plus, scratch) - objective.evaluate(minus, scratch)) / (2 * h);
    expect(Math.abs(gradient[j]! - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
  }
}

describe('Matérn-5/2 kernel', () => {
  it('is 1 at 0, decreasing, and its radial factor is −(1/r) dk/dr', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52(0.5)).toBeLessThan(matern52(0.4));
    for (const r of [0.1, 0.7, 2.3]) {
      const h = 1e-6;
      const derivative = (matern52(r + h) - matern52(r - h)) / (2 * h);
      expect(matern52RadialFactor(r)).toBeCloseTo(-derivative / r, 7);
    }
  });
});

describe('GaussianProcess posterior', () => {
  const hyper = {
    lengthScales: Float64Array.from([0.3, 0.7]),
    signalVariance: 1.3,
    noiseVariance: 0.01,
  };
  const X = [
    [0.1, 0.2],
    [0.6, 0.9],
  ];
  const Y = [1.5, -0.5];

  it('matches the two-point closed form (explicit 2×2 inverse)', () => {
    const gp = new GaussianProcess({
      x: Float64Array.from(X.flat()),
      n: 2,
      d: 2,
      y: Float64Array.from(Y),
      hyperparameters: hyper,
      scaling: { mean: 0, scale: 1 },
    });
    const ls = [0.3, 0.7];
    const a = 1.3 + 0.01;
    const b = kernelByHand(X[0]!, X[1]!, ls, 1.3);
    const det = a * a - b * b;
    const inverse = [
      [a / det, -b / det],
      [-b / det, a / det],
    ];
    const star = [0.4, 0.35];
    const k = [kernelByHand(star, X[0]!, ls, 1.3), kernelByHand(star, X[1]!, ls, 1.3)];
    const w = [
      inverse[0]![0]! * Y[0]! + inverse[0]![1]! * Y[1]!,
      inverse[1]![0]! * Y[0]! + inverse[1]![1]! * Y[1]!,
    ];
    const expectedMean = k[0]! * w[0]! + k[1]! * w[1]!;
    const quad =
      k[0]! * (inverse[0]![0]! * k[0]! + inverse[0]![1]! * k[1]!) +
      k[1]! * (inverse[1]![0]! * k[0]! + inverse[1]![1]! * k[1]!);
    const expectedVariance = 1.3 - quad;
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    gp.predict(Float64Array.from(star), 1, mean, variance);
    expect(mean[0]).toBeCloseTo(expectedMean, 12);
    expect(variance[0]).toBeCloseTo(expectedVariance, 12);
  });

  it('undoes the target standardisation in its predictions', () => {
    const x = Float64Array.from(X.flat());
    const scaled = new GaussianProcess({
      x,
      n: 2,
      d: 2,
      y: Float64Array.from(Y.map((v) => 10 + 4 * v)),
      hyperparameters: hyper,
      scaling: { mean: 10, scale: 4 },
    });
    const plain = new GaussianProcess({
      x,
      n: 2,
      d: 2,
      y: Float64Array.from(Y),
      hyperparameters: hyper,
      scaling: { mean: 0, scale: 1 },
    });
    const p = Float64Array.from([0.3, 0.3, 0.9, 0.1]);
    const [m1, v1, m2, v2] = [
      new Float64Array(2),
      new Float64Array(2),
      new Float64Array(2),
      new Float64Array(2),
    ];
    scaled.predict(p, 2, m1, v1);
    plain.predict(p, 2, m2, v2);
    for (let i = 0; i < 2; i++) {
      expect(m1[i]).toBeCloseTo(10 + 4 * m2[i]!, 10);
      expect(v1[i]).toBeCloseTo(16 * v2[i]!, 10);
    }
    expect(standardScaling(Float64Array.from([3, 3, 3]))).toEqual({ mean: 3, scale: 1 });
  });

  it('interpolates its data when the noise is small, with near-zero variance there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const random = new Random(seed);
        const n = 12;
        const d = 3;
        const x = Float64Array.from({ length: n * d }, () => random.next());
        const y = Float64Array.from(
          { length: n },
          (_, i) => Math.sin(5 * x[i * d]!) + x[i * d + 1]! ** 2 - x[i * d + 2]!,
        );
        const gp = new GaussianProcess({
          x,
          n,
          d,
          y,
          hyperparameters: {
            lengthScales: Float64Array.from([0.5, 0.5, 0.5]),
            signalVariance: 1,
            noiseVariance: 1e-10,
          },
        });
        const mean = new Float64Array(n);
        const variance = new Float64Array(n);
        gp.predict(x, n, mean, variance);
        const spread = gp.scaling.scale;
        for (let i = 0; i < n; i++) {
          expect(Math.abs(mean[i]! - y[i]!)).toBeLessThan(1e-4 * spread);
          expect(variance[i]!).toBeLessThan(1e-6 * spread * spread);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('adds fantasy observations with the same hyperparameters and scaling', () => {
    const x = Float64Array.from(X.flat());
    const gp = new GaussianProcess({
      x,
      n: 2,
      d: 2,
      y: Float64Array.from(Y),
      hyperparameters: { ...hyper, noiseVariance: 1e-9 },
    });
    const point = Float64Array.from([0.9, 0.1]);
    const more = gp.withObservations(point, 1, Float64Array.from([7]));
    expect(more.n).toBe(3);
    expect(more.scaling).toEqual(gp.scaling);
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    more.predict(point, 1, mean, variance);
    expect(mean[0]).toBeCloseTo(7, 5);
  });
});

describe('log marginal likelihood', () => {
  const random = new Random(11);
  const n = 9;
  const d = 3;
  const x = Float64Array.from({ length: n * d }, () => random.next());
  const y = Float64Array.from(
    { length: n },
    (_, i) => Math.cos(4 * x[i * d]!) - 2 * x[i * d + 1]! + 0.1 * random.normal(),
  );
  const { mean, scale } = standardScaling(y);
  const ys = y.map((v) => (v - mean) / scale);

  // two points (0.1, 0.2), (0.6, 0.9) with targets 0.8, −1.1: the 2×2 closed form of
  // ½ yᵀK⁻¹y + ½ log det K + log 2π for K = [[a, b], [b, a]]
  const twoPoints = Float64Array.from([0.1, 0.2, 0.6, 0.9]);
  const twoTargets = Float64Array.from([0.8, -1.1]);
  const twoPointObjective = (theta: Float64Array): number =>
    new GpNegativeLogPosterior(
      { x: twoPoints, n: 2, d: 2, y: twoTargets, alpha: 0.01 },
      undefined,
    ).evaluate(theta, new Float64Array(theta.length));
  const twoPointClosedForm = (a: number, b: number): number => {
    const det = a * a - b * b;
    const quad = (a * 0.8 * 0.8 - 2 * b * 0.8 * -1.1 + a * 1.1 * 1.1) / det;
    return 0.5 * quad + 0.5 * Math.log(det) + Math.log(2 * Math.PI);
  };

  it('equals the direct formula on two points', () => {
    const theta = packHyperparameters({
      lengthScales: Float64Array.from([0.4, 0.8]),
      signalVariance: 0.9,
      noiseVariance: 0.05,
    });
    const b = kernelByHand([0.1, 0.2], [0.6, 0.9], [0.4, 0.8], 0.9);
    expect(twoPointObjective(theta)).toBeCloseTo(twoPointClosedForm(0.9 + 0.05 + 0.01, b), 12);
  });

  it('gives the same value and gradient when squared differences are recomputed row by row', () => {
    const theta = Float64Array.from([Math.log(0.3), Math.log(0.8), Math.log(1.5), 0.1, -4]);
    const stored = new GpNegativeLogPosterior({ x, n, d, y: ys }, defaultGpPrior(d));
    const rowByRow = new GpNegativeLogPosterior({ x, n, d, y: ys }, defaultGpPrior(d), 0);
    const g1 = new Float64Array(d + 2);
    const g2 = new Float64Array(d + 2);
    expect(rowByRow.evaluate(theta, g2)).toBe(stored.evaluate(theta, g1));
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });

  for (const withPrior of [false, true]) {
    it(`has an analytic gradient that matches central finite differences (${withPrior ? 'with' : 'without'} priors)`, () => {
      const objective = new GpNegativeLogPosterior(
        { x, n, d, y: ys, alpha: 1e-4 },
        withPrior ? defaultGpPrior(d) : undefined,
      );
      for (const theta of [
        Float64Array.from([
          Math.log(0.3),
          Math.log(0.8),
          Math.log(1.5),
          Math.log(1.2),
          Math.log(0.01),
        ]),
        Float64Array.from([
          Math.log(0.1),
          Math.log(2),
          Math.log(0.05),
          Math.log(0.5),
          Math.log(0.3),
        ]),
      ]) {
        expectFiniteDifferenceGradient(objective, theta);
      }
    });
  }

  describe('with the additive part', () => {
    const additiveTheta = Float64Array.from([
      Math.log(0.3),
      Math.log(0.8),
      Math.log(1.5),
      Math.log(1.2),
      Math.log(0.01),
      Math.log(0.2),
      Math.log(0.6),
      Math.log(0.1),
      Math.log(0.4),
    ]);

    it('kernel rows by exponential factors equal the direct exponentials', () => {
      const r = new Random(4);
      const m = 12;
      const dims = 5;
      const xs = Float64Array.from({ length: m * dims }, () => r.next());
      const inverse = Float64Array.from([2, 10, 0.5, 40, 150]);
      const factors = exponentialFactors(xs, m, dims, inverse)!;
      const point = Float64Array.from([0.3, 0.99, 0, 0.5, 0.2]);
      const direct = new Float64Array(m);
      const factored = new Float64Array(m);
      const ls = Float64Array.from([3, 3, 3, 3, 3]);
      kernelRow(point, 0, xs, m, dims, ls, 1.1, direct, {
        inverseLengthScales: inverse,
        weight: 0.3,
      });
      kernelRow(point, 0, xs, m, dims, ls, 1.1, factored, {
        inverseLengthScales: inverse,
        weight: 0.3,
        ...factors,
      });
      for (let j = 0; j < m; j++) {
        expect(Math.abs(factored[j]! - direct[j]!)).toBeLessThan(1e-13 * direct[j]!);
        expect(direct[j]!).toBeCloseTo(
          kernelByHand(
            Array.from(point),
            Array.from(xs.subarray(j * dims, (j + 1) * dims)),
            [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3], // ls holds inverse length scales
            1.1,
          ) +
            0.3 *
              Array.from(inverse).reduce(
                (acc, c, k) => acc + kernelByHand([point[k]!], [xs[j * dims + k]!], [1 / c], 1),
                0,
              ),
          12,
        );
      }
      // past the safe range (a length scale of 1e-3 on inputs up to 1): no factors, direct path
      expect(
        exponentialFactors(xs, m, dims, Float64Array.from([1, 1, 1, 1, 1000])),
      ).toBeUndefined();
    });

    it('equals the direct formula on two points (ARD plus mean of one-input kernels)', () => {
      const theta = packHyperparameters({
        lengthScales: Float64Array.from([0.4, 0.8]),
        signalVariance: 0.9,
        noiseVariance: 0.05,
        additive: { lengthScales: Float64Array.from([0.3, 0.5]), variance: 0.7 },
      });
      expect(theta.length).toBe(7);
      const b =
        kernelByHand([0.1, 0.2], [0.6, 0.9], [0.4, 0.8], 0.9) +
        (0.7 / 2) * (kernelByHand([0.1], [0.6], [0.3], 1) + kernelByHand([0.2], [0.9], [0.5], 1));
      expect(twoPointObjective(theta)).toBeCloseTo(
        twoPointClosedForm(0.9 + 0.7 + 0.05 + 0.01, b),
        12,
      );
    });

    for (const rowByRow of [false, true]) {
      it(`has an analytic gradient that matches central finite differences (${rowByRow ? 'row by row' : 'stored differences'})`, () => {
        const objective = new GpNegativeLogPosterior(
          { x, n, d, y: ys, alpha: 1e-4 },
          defaultGpPrior(d, true),
          rowByRow ? 0 : undefined,
        );
        expectFiniteDifferenceGradient(objective, additiveTheta);
      });
    }

    it('fits a sum of one-input functions with a large additive variance, a product with a small one', () => {
      const big = new Random(8);
      const m = 40;
      const dims = 4;
      const xs = Float64Array.from({ length: m * dims }, () => big.next());
      const fitOn = (f: (row: number) => number): number => {
        const raw = Float64Array.from({ length: m }, (_, i) => f(i * dims));
        const s = standardScaling(raw);
        const data = {
          x: xs,
          n: m,
          d: dims,
          y: raw.map((v) => (v - s.mean) / s.scale),
          alpha: 1e-8,
        };
        const fit = fitGpHyperparameters(data, {
          prior: defaultGpPrior(dims, true),
          restarts: 2,
          random: new Random(2),
        });
        return fit.hyperparameters.additive!.variance / fit.hyperparameters.signalVariance;
      };
      const sum = fitOn((o) => [0, 1, 2, 3].reduce((acc, k) => acc + Math.sin(7 * xs[o + k]!), 0));
      const product = fitOn(
        (o) => 4 * [0, 1, 2, 3].reduce((acc, k) => acc * Math.sin(3 * xs[o + k]!), 1),
      );
      // (measured: 35 and 0.23, about the prior's ratio 0.1 / 1 for the product)
      expect(sum).toBeGreaterThan(5);
      expect(product).toBeLessThan(0.5);
    });
  });

  it('fitting lowers the objective below the prior mode and finds the irrelevant dimension', () => {
    const big = new Random(5);
    const m = 40;
    const xs = Float64Array.from({ length: m * 2 }, () => big.next());
    // depends on dimension 0 only
    const yRaw = Float64Array.from({ length: m }, (_, i) => Math.sin(6 * xs[i * 2]!));
    const s = standardScaling(yRaw);
    const data = { x: xs, n: m, d: 2, y: yRaw.map((v) => (v - s.mean) / s.scale), alpha: 1e-6 };
    const prior = defaultGpPrior(2);
    const objective = new GpNegativeLogPosterior(data, prior);
    const atMode = objective.evaluate(Float64Array.from(prior.mean), new Float64Array(4));
    const fit = fitGpHyperparameters(data, { restarts: 2, random: new Random(1) });
    expect(fit.value).toBeLessThan(atMode);
    expect(fit.hyperparameters.lengthScales[1]!).toBeGreaterThan(
      3 * fit.hyperparameters.lengthScales[0]!,
    );
    expect(fit.hyperparameters.noiseVariance).toBeLessThan(1e-3);
  });
});
