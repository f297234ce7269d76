import { describe, expect, it } from 'vitest';
import { Random } from '../../src/math/random.js';
import {
  ParzenEstimator,
  buildCategoricalKernels,
  buildNumericKernels,
  defaultGamma,
  defaultWeights,
  mixtureLogWeights,
} from '../../src/oracles/tpe/index.js';
import { normalCdf } from '../../src/math/normal.js';
import { logNormalMass, logUpperTail } from '../../src/oracles/tpe/normal.js';

const settings = { considerEndpoints: false, considerMagicClip: true } as const;

/** Composite Simpson's rule of f on [a, b] with n (even) intervals — independent of the code under test. */
function simpson(f: (x: number) => number, a: number, b: number, n = 2000): number {
  const h = (b - a) / n;
  let sum = f(a) + f(b);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}
const gaussian = (x: number, mu: number, sigma: number): number =>
  Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));

function estimator(observations: number[], cells = 0, weights?: Float64Array): ParzenEstimator {
  const kernels = buildNumericKernels(Float64Array.from(observations), { ...settings, cells });
  return new ParzenEstimator(mixtureLogWeights(weights ?? defaultWeights(observations.length), 1), [
    kernels,
  ]);
}

describe('normal helpers', () => {
  it('match reference values of Φ and the upper tail', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 9);
    // Q(10) = 7.619853024160527e-24: the log form stays accurate far in the tail
    expect(logUpperTail(10)).toBeCloseTo(Math.log(7.619853024160527e-24), 5);
    expect(logUpperTail(40)).toBeLessThan(-800);
    expect(Number.isFinite(logUpperTail(40))).toBe(true);
  });

  it('masses agree with integrated densities, and stay finite in the tails', () => {
    for (const [a, b] of [
      [-1, 0.5],
      [0.2, 2],
      [-3, -1],
      [1.5, 1.6],
    ] as const) {
      expect(Math.exp(logNormalMass(a, b))).toBeCloseTo(
        simpson((x) => gaussian(x, 0, 1), a, b),
        7,
      );
    }
    expect(Number.isFinite(logNormalMass(50, 51))).toBe(true);
    expect(Number.isFinite(logNormalMass(-51, -50))).toBe(true);
  });
});

describe('Parzen estimator', () => {
  it('a continuous estimator integrates to 1 over [0, 1]', () => {
    const random = new Random(11);
    for (const n of [0, 1, 3, 10, 40]) {
      const obs = Array.from({ length: n }, () => random.next());
      const e = estimator(obs);
      // kernels can be narrow (1/min(100, n + 2)): integrate finely
      expect(simpson((x) => Math.exp(e.logDensity([x])), 0, 1, 20000)).toBeCloseTo(1, 5);
    }
  });

  it('its density equals the mixture written out by hand', () => {
    const obs = [0.1, 0.15, 0.7];
    const e = estimator(obs);
    const kernels = buildNumericKernels(Float64Array.from(obs), { ...settings, cells: 0 });
    // hand computation: sorted with prior 0.5 and the ends: 0 | .1 .15 .5 .7 | 1
    // sigma(.1) = gap to right (endpoints not considered) = .05 → clipped to 1/min(100, 5) = .2
    // sigma(.15) = max(.05, .35) = .35; sigma(.7) = gap to left (last, endpoints not considered) = .2
    [0.2, 0.35, 0.2, 1].forEach((sigma, k) => expect(kernels.sigmas[k]).toBeCloseTo(sigma, 12));
    const mus = [0.1, 0.15, 0.7, 0.5];
    const sigmas = [0.2, 0.35, 0.2, 1];
    const weights = [0.25, 0.25, 0.25, 0.25];
    for (const x of [0, 0.05, 0.3, 0.69, 1]) {
      let p = 0;
      for (let k = 0; k < 4; k++) {
        const z = simpson((t) => gaussian(t, mus[k] as number, sigmas[k] as number), 0, 1);
        p += ((weights[k] as number) * gaussian(x, mus[k] as number, sigmas[k] as number)) / z;
      }
      expect(Math.exp(e.logDensity([x]))).toBeCloseTo(p, 6);
    }
  });

  it('a grid estimator puts masses summing to 1 on the cells', () => {
    const cells = 7;
    const e = estimator([0.5 / 7, 3.5 / 7, 3.5 / 7, 6.5 / 7], cells);
    let total = 0;
    for (let j = 0; j < cells; j++) total += Math.exp(e.logDensity([(j + 0.5) / cells]));
    expect(total).toBeCloseTo(1, 7);
  });

  it('a joint estimator integrates to 1 over the square', () => {
    const random = new Random(3);
    const n = 12;
    const xs = Float64Array.from({ length: n }, () => random.next());
    const ys = Float64Array.from({ length: n }, () => random.next());
    const joint = { ...settings, cells: 0, jointDimensions: 2 };
    const e = new ParzenEstimator(mixtureLogWeights(defaultWeights(n), 1), [
      buildNumericKernels(xs, joint),
      buildNumericKernels(ys, joint),
    ]);
    const m = 200;
    let sum = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) sum += Math.exp(e.logDensity([(i + 0.5) / m, (j + 0.5) / m]));
    expect(sum / (m * m)).toBeCloseTo(1, 3);
  });

  it('categorical kernels are probability vectors, smoothed by the prior', () => {
    const kernels = buildCategoricalKernels([0, 2, 2], 3, 1);
    const e = new ParzenEstimator(mixtureLogWeights(defaultWeights(3), 1), [kernels]);
    const p = [0, 1, 2].map((c) => Math.exp(e.logDensity([c])));
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 12);
    // by hand: smoothing 1/4 per value; kernel rows (1.25,.25,.25)/1.75 ... prior row uniform; each weight 1/4
    const row = (obs: number, c: number): number => ((c === obs ? 1 : 0) + 0.25) / 1.75;
    const expected = (c: number): number => 0.25 * (row(0, c) + row(2, c) + row(2, c) + 1 / 3);
    [0, 1, 2].forEach((c) => expect(p[c]).toBeCloseTo(expected(c), 12));
  });

  it('samples follow the density', () => {
    const e = estimator([0.2, 0.25, 0.8]);
    const random = new Random(5);
    const bins = new Float64Array(10);
    const draws = 40000;
    for (let i = 0; i < draws; i++) {
      const x = e.sample(random)[0] as number;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      bins[Math.min(9, Math.floor(x * 10))]! += 1;
    }
    for (let b = 0; b < 10; b++) {
      const mass = simpson((x) => Math.exp(e.logDensity([x])), b / 10, (b + 1) / 10, 400);
      expect(bins[b]! / draws).toBeCloseTo(mass, 2);
    }
  });
});

describe('defaults', () => {
  it('gamma is min(ceil(0.1 n), 25)', () => {
    expect([0, 1, 10, 11, 100, 240, 251, 1000].map(defaultGamma)).toEqual([
      0, 1, 1, 2, 10, 24, 25, 25,
    ]);
  });
  it('weights ramp old observations down beyond 25', () => {
    expect(Array.from(defaultWeights(3))).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w[2]).toBeCloseTo(1 / 30 + (1 - 1 / 30) / 2, 12);
    expect(Array.from(w.slice(5))).toEqual(new Array(25).fill(1));
  });
});
