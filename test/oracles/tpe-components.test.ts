/**
 * The TPE components beyond Optuna 3.1 (Watanabe 2023, "Tree-Structured Parzen Estimator:
 * Understanding Its Algorithm Components and Their Roles for Better Empirical Performance"):
 * the magic clip's floor and exponent, neighbour bandwidths in the joint density, and the good
 * trials weighted by their improvement. Each is checked against numbers worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/math/random.js';
import { TpeOracle, defaultGamma, defaultWeights, tunedGamma } from '../../src/oracles/index.js';
import { buildNumericKernels, magicClip } from '../../src/oracles/tpe/bandwidths.js';
import { dimensionOf } from '../../src/oracles/tpe/dimension.js';
import { fitEstimator } from '../../src/oracles/tpe/estimators.js';
import { improvementWeights, splitTrials } from '../../src/oracles/tpe/split.js';
import { HyperParameters } from '../../src/space/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import { MINIMIZE, makeTrial } from './tpe-helpers.js';

const MAXIMIZE: readonly Objective[] = [{ name: 'score', direction: 'maximize' }];

describe('magic clip', () => {
  it("defaults (0.01, 1) give Optuna's 1 / min(100, kernels + 1) for every kernel count", () => {
    for (let kernels = 1; kernels <= 300; kernels++) {
      expect(magicClip(kernels, 0.01, 1)).toBe(1 / Math.min(100, kernels + 1));
    }
  });

  it('a floor of 0.03 and exponent 2 clip at max(0.03, (kernels + 1)^-2)', () => {
    expect(magicClip(1, 0.03, 2)).toBeCloseTo(1 / 4, 15);
    expect(magicClip(3, 0.03, 2)).toBeCloseTo(1 / 16, 15);
    expect(magicClip(5, 0.03, 2)).toBe(0.03); // 1 / 36 < 0.03
    expect(magicClip(50, 0.03, 2)).toBe(0.03);
  });

  it('bounds the bandwidths of clustered observations', () => {
    // 4 observations 0.001 apart around the prior mean 0.5: neighbour distances 0.001
    const xs = Float64Array.from([0.498, 0.499, 0.501, 0.502]);
    const base = { cells: 0, considerEndpoints: false, considerMagicClip: true } as const;
    const optuna = buildNumericKernels(xs, base);
    const tuned = buildNumericKernels(xs, {
      ...base,
      minBandwidthFactor: 0.03,
      magicClipExponent: 2,
    });
    // 5 kernels with the prior: Optuna 1 / 6; tuned max(0.03, 1 / 36) = 0.03
    for (let k = 0; k < 4; k++) {
      expect(optuna.sigmas[k]).toBeCloseTo(1 / 6, 15);
      expect(tuned.sigmas[k]).toBeCloseTo(0.03, 15);
    }
    expect(optuna.sigmas[4]).toBe(1);
    expect(tuned.sigmas[4]).toBe(1);
  });
});

describe('joint bandwidths', () => {
  const xs = Float64Array.from([0.1, 0.15, 0.7, 0.9]);
  const base = { cells: 0, considerEndpoints: true, considerMagicClip: false } as const;

  it("'scott' shares 0.2 · n^(-1/(d+4)) across the kernels, as Optuna's multivariate TPE", () => {
    const joint = buildNumericKernels(xs, { ...base, jointDimensions: 3 });
    const expected = 0.2 * Math.pow(4, -1 / 7);
    for (let k = 0; k < 4; k++) expect(joint.sigmas[k]).toBeCloseTo(expected, 15);
  });

  it("'neighbours' gives each kernel its distance to its farther neighbour (prior mean too)", () => {
    const joint = buildNumericKernels(xs, {
      ...base,
      jointDimensions: 3,
      jointBandwidth: 'neighbours',
    });
    // sorted with the prior mean 0.5 and the ends: 0 | 0.1 0.15 0.5 0.7 0.9 | 1
    // 0.1: max(0.1, 0.05); 0.15: max(0.05, 0.35); 0.7: max(0.2, 0.2); 0.9: max(0.2, 0.1)
    [0.1, 0.35, 0.2, 0.2].forEach((v, k) => expect(joint.sigmas[k]).toBeCloseTo(v, 12));
    expect(Array.from(joint.sigmas)).toEqual(Array.from(buildNumericKernels(xs, base).sigmas));
  });
});

describe('improvement weights', () => {
  const trialsOf = (values: number[]): Trial[] =>
    values.map((v, i) => makeTrial(i, { x: i / 10 }, v));
  const gamma2 = { gamma: () => 2, constantLiar: true };

  it('weigh each good trial by how much it beats the best bad trial', () => {
    const trials = trialsOf([5, 1, 3, 2.5, 4]);
    const split = splitTrials(trials, MINIMIZE, gamma2);
    expect(split.below.map((t) => t.number)).toEqual([1, 3]);
    // threshold: the best bad trial, 3; weights 3 − 1 and 3 − 2.5
    expect(Array.from(improvementWeights(split, trials, MINIMIZE) ?? [])).toEqual([2, 0.5]);
  });

  it('count improvement upwards when maximizing, and never reach 0', () => {
    const trials = trialsOf([5, 1, 3, 5, 4]);
    const split = splitTrials(trials, MAXIMIZE, gamma2);
    expect(split.below.map((t) => t.number)).toEqual([0, 3]);
    // the best bad score is 4: both 5s improve on it by 1
    expect(Array.from(improvementWeights(split, trials, MAXIMIZE) ?? [])).toEqual([1, 1]);
    const tie = trialsOf([2, 2, 1]);
    const tieSplit = splitTrials(tie, MAXIMIZE, { gamma: () => 1, constantLiar: true });
    expect(Array.from(improvementWeights(tieSplit, tie, MAXIMIZE) ?? [])).toEqual([1e-12]);
  });

  it('leave the plain weights to several objectives and to no finished bad trial', () => {
    const two: readonly Objective[] = [...MINIMIZE, { name: 'b', direction: 'minimize' }];
    const trials = trialsOf([5, 1, 3]);
    expect(improvementWeights(splitTrials(trials, two, gamma2), trials, two)).toBeUndefined();
    const withRunning = [...trialsOf([5, 1]), makeTrial(2, { x: 0.2 }, undefined, 'RUNNING')];
    const split = splitTrials(withRunning, MINIMIZE, gamma2);
    expect(split.above.map((t) => t.status)).toEqual(['RUNNING']);
    expect(improvementWeights(split, withRunning, MINIMIZE)).toBeUndefined();
  });

  it('set the mixture weights of the good density, the prior at their mean', () => {
    const hp = new HyperParameters();
    hp.Float('x', { min: 0, max: 1 });
    const dimension = dimensionOf(hp.space.parameters[0]!)!;
    const below = [makeTrial(0, { x: 0.2 }, 1), makeTrial(1, { x: 0.8 }, 2.5)];
    const settings = {
      weights: defaultWeights,
      priorWeight: 1,
      considerEndpoints: false,
      considerMagicClip: true,
      bandwidthWeightedScore: false,
    };
    const estimator = fitEstimator(below, [dimension], settings, Float64Array.from([2, 0.5]));
    // weights 2, 0.5 and the prior 1 · mean(2, 0.5) = 1.25, out of 3.75
    const weights = Array.from(estimator.logWeights).map(Math.exp);
    [2 / 3.75, 0.5 / 3.75, 1.25 / 3.75].forEach((v, k) => expect(weights[k]).toBeCloseTo(v, 14));
    // candidates are drawn from that mixture: the share of draws below 0.5 is its integral there
    // (0.56 here, against 0.5 with equal weights)
    const random = new Random(11);
    let low = 0;
    const draws = 40000;
    for (let i = 0; i < draws; i++) if ((estimator.sample(random)[0] as number) < 0.5) low++;
    let expected = 0;
    const m = 4000;
    for (let i = 0; i < m; i++) expected += Math.exp(estimator.logDensity([(i + 0.5) / (2 * m)]));
    expect(low / draws).toBeCloseTo(expected / (2 * m), 2);
  });
});

describe("the 'tuned' preset", () => {
  it("is the default: the joint density gets Watanabe 2023's components, univariate TPE none", () => {
    expect([1, 10, 11, 20, 100, 166, 167, 1000].map(tunedGamma)).toEqual([
      1, 2, 2, 3, 15, 25, 25, 25,
    ]);
    const univariate = new TpeOracle().options;
    expect(univariate).toMatchObject({
      preset: 'tuned',
      gamma: defaultGamma,
      improvementWeights: false,
      considerEndpoints: false,
      bandwidthWeightedScore: true,
      minBandwidthFactor: 0.01,
      magicClipExponent: 1,
    });
    expect(new TpeOracle({ multivariate: true }).options).toMatchObject({
      gamma: tunedGamma,
      improvementWeights: true,
      considerEndpoints: true,
      bandwidthWeightedScore: false,
      minBandwidthFactor: 0.03,
      magicClipExponent: 2,
      jointBandwidth: 'neighbours',
    });
  });

  it('gives way to options set explicitly, and refuses an unknown preset', () => {
    const { options } = new TpeOracle({
      multivariate: true,
      jointBandwidth: 'scott',
      minBandwidthFactor: 0.05,
    });
    expect(options.jointBandwidth).toBe('scott');
    expect(options.minBandwidthFactor).toBe(0.05);
    expect(options.magicClipExponent).toBe(2);
    expect(() => new TpeOracle({ preset: 'optuna-4' as 'tuned' })).toThrow(
      /TpeOracle option 'preset' must be 'tuned' or 'optuna-3.1'; got optuna-4/,
    );
    expect(() => new TpeOracle({ minBandwidthFactor: 0 })).toThrow(/minBandwidthFactor/);
    expect(() => new TpeOracle({ jointBandwidth: 'silverman' as 'scott' })).toThrow(
      /jointBandwidth/,
    );
  });
});
