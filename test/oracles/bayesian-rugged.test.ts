import { describe, expect, it } from 'vitest';
import { ScrambledHalton } from '../../src/math/halton.js';
import { Random } from '../../src/math/random.js';
import { BayesianOptimizationOracle } from '../../src/oracles/bayesian/index.js';
import { searchCandidates } from '../../src/oracles/bayesian/candidate-search.js';
import {
  compressTail,
  tailCompressionOf,
  tailWarpOf,
} from '../../src/oracles/bayesian/loss-warping.js';
import type { Observation } from '../../src/oracles/bayesian/observations.js';
import { SpaceEncoding } from '../../src/oracles/bayesian/space-encoding.js';
import { SurrogateFitter } from '../../src/oracles/bayesian/surrogate.js';
import { fillRegion, trustRegionOf } from '../../src/oracles/bayesian/trust-region.js';
import { HyperParameters } from '../../src/space/index.js';
import type { Trial } from '../../src/trials/index.js';
import { hartmann6Function } from '../../bench/problems/hartmann6.js';
import {
  BRANIN_SPACE,
  branin,
  makeTrial,
  runSequential,
  surrogateSettings,
  view,
} from './bayesian-fixtures.js';

const warped = (losses: number[], k: number): number[] => losses.map(tailWarpOf(losses, k));

describe('upper-tail compression of the losses', () => {
  it('fits s = median - min, t = median + k s, and maps y > t to t + s ln(1 + (y - t)/s)', () => {
    const losses = [7, 1, 3, 100, 5]; // min 1, median 5: s = 4
    expect(tailCompressionOf(losses, 1)).toEqual({ threshold: 9, scale: 4 });
    expect(tailCompressionOf(losses, 2)).toEqual({ threshold: 13, scale: 4 });
    expect(tailCompressionOf([4, 1, 2, 3], 2)).toEqual({ threshold: 5.5, scale: 1.5 }); // median 2.5
    const k1 = warped(losses, 1);
    expect(k1.slice(0, 3)).toEqual([7, 1, 3]);
    expect(k1[3]).toBeCloseTo(9 + 4 * Math.log(1 + 91 / 4), 12); // 21.59
    expect(k1[4]).toBe(5);
    expect(warped(losses, 2)[3]).toBeCloseTo(13 + 4 * Math.log(1 + 87 / 4), 12); // 25.49
    // a loss a million times the spread lands about 13.4 spreads above t
    const far = warped([0, 1, 2, 1e6], 2); // median 1.5, s = 1.5, t = 4.5
    expect(far.slice(0, 3)).toEqual([0, 1, 2]);
    expect(far[3]).toBeCloseTo(4.5 + 1.5 * Math.log(1 + (1e6 - 4.5) / 1.5), 10);
    expect(far[3]).toBeCloseTo(24.615, 3);
  });

  it('is continuous with slope 1 at the threshold, increasing, and keeps the best loss', () => {
    const c = { threshold: 9, scale: 4 };
    const h = 1e-6;
    expect((compressTail(9 + h, c) - compressTail(9, c)) / h).toBeCloseTo(1, 5);
    expect(compressTail(9 + 1e-12, c)).toBeCloseTo(9, 10);
    // slope s / (s + y - t): 1/2 one spread above t
    expect((compressTail(13 + h, c) - compressTail(13 - h, c)) / (2 * h)).toBeCloseTo(0.5, 6);
    const random = new Random(7);
    const losses = Array.from({ length: 200 }, () => Math.exp(4 * random.normal()));
    const w = warped(losses, 2);
    const order = (a: readonly number[]): number[] =>
      a.map((_, i) => i).sort((i, j) => a[i]! - a[j]! || i - j);
    expect(order(w)).toEqual(order(losses));
    expect(Math.min(...w)).toBe(Math.min(...losses));
  });

  it('is the identity when nothing lies above the threshold (a bounded, left-skewed loss) or all tie', () => {
    const losses = [-3.3, -0.1, -0.2, 0, -0.05, -1.5]; // median -0.15, s = 3.15, t = 6.15
    expect(warped(losses, 2)).toEqual(losses);
    expect(warped([2, 2, 2], 2)).toEqual([2, 2, 2]);
    expect(warped([], 2)).toEqual([]);
  });

  it('is what the GP models: the fit on warped losses equals a plain fit on the warped numbers', () => {
    const settings = surrogateSettings(3, 1e-8);
    const random = new Random(11);
    const n = 10; // below fullFitBelow: one full fit, no warm start from the fit on n - 1
    const x = Float64Array.from({ length: 2 * n }, () => random.next());
    const losses = Float64Array.from({ length: n }, (_, i) =>
      branin({ x1: -5 + 15 * x[2 * i]!, x2: 15 * x[2 * i + 1]! }),
    );
    const mapped = Float64Array.from(losses, tailWarpOf(losses, 2));
    expect(mapped.some((v, i) => v < losses[i]!)).toBe(true); // Branin has a heavy tail
    const withWarp = new SurrogateFitter({
      ...settings,
      warp: (ys) => tailWarpOf(ys, 2),
    }).fit(x, n, 2, losses);
    const plain = new SurrogateFitter(settings).fit(x, n, 2, mapped);
    const points = Float64Array.from({ length: 20 }, () => random.next());
    const [m1, v1, m2, v2] = [0, 0, 0, 0].map(() => new Float64Array(10));
    withWarp.predict(points, 10, m1!, v1!);
    plain.predict(points, 10, m2!, v2!);
    for (let i = 0; i < 10; i++) {
      expect(m1![i]).toBeCloseTo(m2![i]!, 10);
      expect(v1![i]).toBeCloseTo(v2![i]!, 10);
    }
  });
});

describe('trust region as a stagnation detector', () => {
  const observe = (losses: number[]): Observation[] =>
    losses.map((loss, number) => ({
      number,
      loss,
      losses: [loss],
      params: { x: number / losses.length },
    }));
  const toCube = (params: Observation['params'], out: Float64Array): void => {
    out.fill(params['x'] as number);
  };
  const sideOf = (losses: number[], numInitial: number, d = 1, failures?: number): number =>
    trustRegionOf(observe(losses), numInitial, d, toCube, failures)!.side;

  it('starts at side 0.8 around the best trial, not stalled', () => {
    const region = trustRegionOf(observe([3, 1, 2]), 3, 1, toCube);
    expect(region?.side).toBe(0.8);
    expect(region?.stalled).toBe(false);
    expect(region?.center[0]).toBeCloseTo(1 / 3, 12);
    expect(trustRegionOf([], 3, 1, toCube)).toBeUndefined();
  });

  it('halves after max(4, d) failures in a row (stalled), doubles back after 3 successes', () => {
    expect(sideOf([1, 2, 2, 2], 1)).toBe(0.8);
    expect(sideOf([1, 2, 2, 2, 2], 1)).toBe(0.4);
    expect(trustRegionOf(observe([1, 2, 2, 2, 2]), 1, 1, toCube)?.stalled).toBe(true);
    // in 6 dimensions it takes 6 failures; a tolerance given explicitly overrides max(4, d)
    expect(sideOf([1, 2, 2, 2, 2, 2], 1, 6)).toBe(0.8);
    expect(sideOf([1, 2, 2, 2, 2, 2, 2], 1, 6)).toBe(0.4);
    expect(sideOf([1, 2, 2], 1, 6, 2)).toBe(0.4);
    // an improvement below 0.1% of the best is a failure
    expect(sideOf([1, 0.9999, 0.9998, 0.9997, 0.9996], 1)).toBe(0.4);
    // a success in between resets the count of failures
    expect(sideOf([1, 2, 2, 2, 0.5, 2, 2, 2], 1)).toBe(0.8);
    // 3 successes in a row double it, never past 0.8
    expect(sideOf([1, 2, 2, 2, 2, 0.5, 0.4, 0.3], 1)).toBe(0.8);
    expect(sideOf([1, 2, 2, 2, 2, 2, 2, 2, 2, 0.5, 0.4, 0.3], 1)).toBe(0.4);
    expect(sideOf([10, 9, 8, 7, 6, 5, 4], 1)).toBe(0.8);
    // the initial design only sets the best: 4 worse initial trials are no failures
    expect(sideOf([1, 2, 2, 2, 2], 5)).toBe(0.8);
  });

  it('starts over at 0.8 below 0.5^7, and replays the trials in number order', () => {
    const failing = (halvings: number): number[] => [1, ...Array<number>(4 * halvings).fill(2)];
    expect(sideOf(failing(6), 1)).toBeCloseTo(0.8 / 2 ** 6, 12); // 0.0125 >= 0.5^7 = 0.0078
    expect(sideOf(failing(7), 1)).toBe(0.8); // 0.00625 < 0.5^7
    const shuffled = observe([1, 2, 2, 2, 2]).reverse();
    expect(trustRegionOf(shuffled, 1, 1, toCube)?.side).toBe(0.4);
  });

  it('draws points uniformly in the box, clipped to the cube', () => {
    const region = { center: Float64Array.from([0.9, 0.5]), side: 0.4, stalled: true };
    const count = 4000;
    const cube = new Float64Array((count + 1) * 2).fill(-1);
    fillRegion(region, cube, 1, count, new Random(1));
    expect([cube[0], cube[1]]).toEqual([-1, -1]); // rows before `row` untouched
    let sum0 = 0;
    let sum1 = 0;
    for (let i = 1; i <= count; i++) {
      const u0 = cube[2 * i]!;
      const u1 = cube[2 * i + 1]!;
      expect(u0).toBeGreaterThanOrEqual(0.7);
      expect(u0).toBeLessThan(1);
      expect(u1).toBeGreaterThanOrEqual(0.3);
      expect(u1).toBeLessThanOrEqual(0.7);
      sum0 += u0;
      sum1 += u1;
    }
    // means of uniform [0.7, 1) and [0.3, 0.7); standard errors 0.0014 and 0.0018
    expect(sum0 / count).toBeCloseTo(0.85, 2);
    expect(sum1 / count).toBeCloseTo(0.5, 2);
  });

  it('puts half of the local candidates of the acquisition search in the box', () => {
    const encoding = new SpaceEncoding(BRANIN_SPACE);
    const region = { center: Float64Array.from([0.2, 0.6]), side: 0.1, stalled: true };
    const scored: Float64Array[] = [];
    const search = {
      encoding,
      score: (features: Float64Array, m: number, out: Float64Array) => {
        scored.push(features.slice(0, m * 2));
        out.fill(0, 0, m);
      },
      random: new Random(5),
      halton: new ScrambledHalton(2, 9),
      haltonStart: 0,
      numCandidates: 400,
      anchors: [Float64Array.from([0.9, 0.9])],
      numRefine: 0,
      isUsed: () => false,
    };
    const inBox = (features: Float64Array): number => {
      let count = 0;
      for (let i = 0; i < features.length / 2; i++) {
        const u = [features[2 * i]!, features[2 * i + 1]!];
        if (Math.abs(u[0]! - 0.2) <= 0.05 && Math.abs(u[1]! - 0.6) <= 0.05) count++;
      }
      return count;
    };
    searchCandidates({ ...search, region });
    // 200 global (Halton) candidates, 200 local: rows 200-299 in the box, 300-399 around the anchor
    const batch = scored[0]!;
    expect(batch.length).toBe(800);
    expect(inBox(batch.subarray(400, 600))).toBe(100);
    expect(inBox(batch.subarray(600, 800))).toBe(0);
    scored.length = 0;
    searchCandidates(search);
    expect(inBox(scored[0]!.subarray(400, 800))).toBe(0);
  });
});

describe('the oracle with a trust region and warped losses', () => {
  const stalledHistory = (): Trial[] => {
    // 3 initial trials (2 floats; the best is the second), then 9 failures in a row
    const points = [
      [0.1, 0.1],
      [0.5, 0.5],
      [0.9, 0.2],
      [0.3, 0.8],
      [0.7, 0.6],
      [0.2, 0.4],
      [0.8, 0.9],
      [0.4, 0.2],
      [0.6, 0.3],
      [0.15, 0.7],
      [0.95, 0.55],
      [0.35, 0.05],
    ];
    return points.map(([a, b], i) => {
      const params = { x1: -5 + 15 * a!, x2: 15 * b! };
      return makeTrial(i, params, 'COMPLETED', [i === 1 ? 0 : 10 + i]);
    });
  };

  it('searches as without the box until the search stalls, and differently once it has', () => {
    const off = runSequential(
      new BayesianOptimizationOracle({ seed: 2, trustRegion: 'off' }),
      BRANIN_SPACE,
      branin,
      16,
    );
    const encoding = new SpaceEncoding(BRANIN_SPACE);
    const observations = off.map((t) => ({
      number: t.number,
      loss: t.values![0]!,
      losses: t.values!,
      params: t.params,
    }));
    let unstalled = 0;
    for (let k = 3; k < 16; k++) {
      const region = trustRegionOf(observations.slice(0, k), 3, 2, (p, out) =>
        encoding.valuesToCube(p, out),
      );
      if (region!.stalled) continue;
      unstalled++;
      const fresh = new BayesianOptimizationOracle({ seed: 2 }).ask(
        view(BRANIN_SPACE, off.slice(0, k)),
      );
      expect(fresh).toEqual({ kind: 'trial', params: off[k]!.params });
    }
    expect(unstalled).toBeGreaterThanOrEqual(4);
    const trials = stalledHistory();
    const ask = (options: object) =>
      new BayesianOptimizationOracle({ seed: 2, ...options }).ask(view(BRANIN_SPACE, trials));
    // 9 failures in a row, 4 tolerated: halved twice, side 0.2
    expect(ask({ trustRegion: 'stalled' })).not.toEqual(ask({ trustRegion: 'off' }));
    // with 10 tolerated it has not shrunk: the same as without the box
    expect(ask({ trustRegionFailures: 10 })).toEqual(ask({ trustRegion: 'off' }));
  });

  it('models a loss without a heavy upper tail exactly as without warping (Hartmann-6)', () => {
    const oracle = (lossWarping: 'tail' | 'off') =>
      new BayesianOptimizationOracle({ seed: 1, lossWarping, trustRegion: 'off' });
    const hp = new HyperParameters();
    const names = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    for (const name of names) hp.Float(name, { min: 0, max: 1 });
    const space = hp.space;
    const f = (p: Record<string, unknown>) => hartmann6Function(names.map((n) => p[n] as number));
    const trials = runSequential(oracle('off'), space, f, 14);
    const losses = trials.map((t) => t.values![0]!);
    const { threshold } = tailCompressionOf(losses, 2);
    expect(Math.max(...losses)).toBeLessThanOrEqual(threshold);
    expect(oracle('tail').ask(view(space, trials))).toEqual(oracle('off').ask(view(space, trials)));
    // Branin's tail is compressed, so the same history gives another model and proposal
    const b = runSequential(oracle('off'), BRANIN_SPACE, branin, 14);
    const bLosses = b.map((t) => t.values![0]!);
    expect(Math.max(...bLosses)).toBeGreaterThan(tailCompressionOf(bLosses, 2).threshold);
    expect(oracle('tail').ask(view(BRANIN_SPACE, b))).not.toEqual(
      oracle('off').ask(view(BRANIN_SPACE, b)),
    );
  });
});
