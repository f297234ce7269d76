/**
 * The TPE oracle against Optuna 3.1 (Debian's python3-optuna 3.1.0), whose TPE its
 * `preset: 'optuna-3.1'` matches: the scores of candidates and the joint (multivariate) model
 * with categorical parameters.
 */
import { describe, expect, it } from 'vitest';
import { TpeOracle, defaultGamma, defaultWeights } from '../../src/oracles/index.js';
import { dimensionOf, toInternal } from '../../src/oracles/tpe/dimension.js';
import { fitEstimator } from '../../src/oracles/tpe/estimators.js';
import type { ParamValues } from '../../src/space/index.js';
import { HyperParameters } from '../../src/space/index.js';
import { MINIMIZE, makeTrial } from './tpe-helpers.js';

const settings = (bandwidthWeightedScore: boolean) => ({
  weights: defaultWeights,
  priorWeight: 1,
  considerEndpoints: false,
  considerMagicClip: true,
  bandwidthWeightedScore,
});

describe('TPE as Optuna 3.1', () => {
  it("scores a continuous parameter as Optuna 3.1's _ParzenEstimator.log_pdf (linear and log)", () => {
    // _ParzenEstimator({'a': [2, -1, 7.5, 3, 9]}, {'a': FloatDistribution(-5, 10)}, defaults).log_pdf
    // and ({'b': [1e-3, 0.02, 0.5]}, FloatDistribution(1e-4, 1, log=True)), printed by Optuna 3.1.0
    const cases: [(hp: HyperParameters) => void, number[], number[], number[]][] = [
      [
        (hp) => hp.Float('a', { min: -5, max: 10 }),
        [2, -1, 7.5, 3, 9],
        [-4, 0.5, 2.5, 8],
        [-1.4390915680133474, -0.948404490126497, -0.9112054160577705, -0.9336787116164204],
      ],
      [
        (hp) => hp.Float('b', { min: 1e-4, max: 1, sampling: 'log' }),
        [1e-3, 0.02, 0.5],
        [1e-4, 3e-3, 0.3],
        [-1.0854302787265486, -0.6679251820231227, -0.6895173491565871],
      ],
    ];
    for (const [declare, observed, at, expected] of cases) {
      const hp = new HyperParameters();
      declare(hp);
      const parameter = hp.space.parameters[0];
      const dimension = parameter === undefined ? undefined : dimensionOf(parameter);
      if (parameter === undefined || dimension === undefined) throw new Error('no dimension');
      const trials = observed.map((v, i) => makeTrial(i, { [parameter.name]: v }, i));
      const optuna31 = fitEstimator(trials, [dimension], settings(true));
      const normalised = fitEstimator(trials, [dimension], settings(false));
      at.forEach((v, i) => {
        const x = [toInternal(dimension, v) as number];
        expect(optuna31.logDensity(x)).toBeCloseTo(expected[i] as number, 10);
        // the normalised density differs by more than a constant: the ranking changes
        expect(Math.abs(normalised.logDensity(x) - (expected[i] as number))).toBeGreaterThan(0.05);
      });
    }
  });

  it('multivariate models an unordered choice jointly with the numbers, as multivariate=True', () => {
    // good trials pair a low x with 'a' and a high x with 'b'; the joint model keeps the pairing
    const hp = new HyperParameters();
    hp.Float('x', { min: 0, max: 1 });
    hp.Choice('c', ['a', 'b'], { ordered: false });
    const f = (p: ParamValues): number =>
      p.c === 'a' ? Math.abs((p.x as number) - 0.1) : Math.abs((p.x as number) - 0.9);
    const trials = Array.from({ length: 60 }, (_, i) => {
      const x = (i * 0.618034) % 1;
      const params = { x, c: i % 2 === 0 ? 'a' : 'b' };
      return makeTrial(i, params, f(params));
    });
    const consistent = (multivariate: boolean): number => {
      let count = 0;
      for (let seed = 0; seed < 200; seed++) {
        const answer = new TpeOracle({ seed, multivariate, preset: 'optuna-3.1' }).ask({
          space: hp.space,
          objectives: MINIMIZE,
          trials,
        });
        if (answer.kind !== 'trial') throw new Error(answer.kind);
        const { x, c } = answer.params;
        if ((c === 'a') === (x as number) < 0.5) count++;
      }
      return count;
    };
    expect(consistent(true)).toBeGreaterThan(180);
    expect(consistent(true)).toBeGreaterThan(consistent(false) + 40);
  });

  it("preset 'optuna-3.1' resolves to Optuna 3.1's TPESampler defaults, univariate and joint", () => {
    for (const multivariate of [false, true]) {
      const { options } = new TpeOracle({ preset: 'optuna-3.1', multivariate });
      expect(options).toMatchObject({
        nStartupTrials: 10,
        nEiCandidates: 24,
        gamma: defaultGamma,
        weights: defaultWeights,
        priorWeight: 1,
        considerEndpoints: false,
        considerMagicClip: true,
        bandwidthWeightedScore: true,
        minBandwidthFactor: 0.01,
        magicClipExponent: 1,
        jointBandwidth: 'scott',
        improvementWeights: false,
      });
    }
  });
});
