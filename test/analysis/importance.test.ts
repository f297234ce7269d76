import { describe, expect, it } from 'vitest';
import { computeImportances } from '../../src/analysis/importance.js';
import {
  fanovaImportances,
  pairMarginal,
  treeMarginalVariances,
} from '../../src/analysis/fanova.js';
import { fitRandomForest, predictForest } from '../../src/analysis/random-forest.js';
import { treeLeaves } from '../../src/analysis/regression-tree.js';
import type { RegressionTree } from '../../src/analysis/regression-tree.js';
import { Random } from '../../src/math/random.js';
import type { Parameter, ParamValues } from '../../src/space/index.js';
import type { Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

function floatParam(
  name: string,
  min = 0,
  max = 1,
  sampling: 'linear' | 'log' = 'linear',
): Parameter {
  return { kind: 'float', name, min, max, step: undefined, sampling, default: min, conditions: [] };
}

function trial(number: number, params: ParamValues, value: number): Trial {
  return trialRecord(number, { params, values: [value], finishedAt: 1 });
}

function sampleTrials(
  n: number,
  f: (p: Record<string, number>) => number,
  names: readonly string[],
  seed = 1,
): Trial[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => {
    const p = Object.fromEntries(names.map((name) => [name, rng.next()]));
    return trial(i, p, f(p));
  });
}

describe('fANOVA on a random forest', () => {
  it('gives an ignored parameter ~0 importance and a dominant one most of it', () => {
    const params = [floatParam('dominant'), floatParam('minor'), floatParam('ignored')];
    const trials = sampleTrials(300, (p) => 10 * (p.dominant! - 0.3) ** 2 + 2 * p.minor!, [
      'dominant',
      'minor',
      'ignored',
    ]);
    const { importances, trialsUsed } = computeImportances(params, trials, { seed: 3 });
    const by = Object.fromEntries(importances.map((i) => [i.name, i.importance]));
    expect(trialsUsed).toBe(300);
    expect(by.dominant).toBeGreaterThan(0.7);
    // closed form: Var(10 (d - 0.3)^2) = 1.889, Var(2 m) = 0.333, so shares 0.85 and 0.15
    expect(by.dominant).toBeCloseTo(0.85, 1);
    expect(by.minor).toBeCloseTo(0.15, 1);
    expect(by.ignored).toBeLessThan(0.02);
    expect(importances.reduce((a, i) => a + i.importance, 0)).toBeCloseTo(1, 10);
    expect(importances[0]?.name).toBe('dominant');
  });

  it('matches the closed form for an additive function', () => {
    // f = a + 2 b on [0,1]^2: Var(a) = 1/12, Var(2b) = 4/12, so shares 0.2 and 0.8 with no interaction.
    const params = [floatParam('a'), floatParam('b')];
    const trials = sampleTrials(800, (p) => p.a! + 2 * p.b!, ['a', 'b'], 7);
    const { importances } = computeImportances(params, trials, { seed: 1 });
    const by = Object.fromEntries(importances.map((i) => [i.name, i]));
    expect(by.a!.importance).toBeCloseTo(0.2, 1);
    expect(by.b!.importance).toBeCloseTo(0.8, 1);
    expect(by.a!.firstOrder + by.b!.firstOrder).toBeGreaterThan(0.95);
  });

  it('includes a conditional parameter, its axis split by the share of trials that used it', () => {
    // depth 2 or 3; width_3 exists only with depth 3 and decides the value there
    const params: Parameter[] = [
      {
        kind: 'int',
        name: 'depth',
        min: 2,
        max: 3,
        step: undefined,
        sampling: 'linear',
        default: 2,
        conditions: [],
      },
      floatParam('width_1'),
      { ...floatParam('width_3'), conditions: [{ parentName: 'depth', values: [3] }] },
    ];
    const rng = new Random(4);
    const trials = Array.from({ length: 400 }, (_, i) => {
      const depth = rng.next() < 0.25 ? 3 : 2;
      const w1 = rng.next();
      const p: ParamValues =
        depth === 3 ? { depth, width_1: w1, width_3: rng.next() } : { depth, width_1: w1 };
      const value = depth === 3 ? 5 * (p['width_3'] as number) : 0.1 * w1;
      return trial(i, p, value);
    });
    const { importances, matrix } = computeImportances(params, trials, { seed: 2 });
    const by = Object.fromEntries(importances.map((i) => [i.name, i.importance]));
    expect(Object.keys(by).sort()).toEqual(['depth', 'width_1', 'width_3']);
    const share = matrix.inactiveShare[matrix.parameters.findIndex((q) => q.name === 'width_3')];
    expect(share).toBeCloseTo(
      trials.filter((t) => t.params['width_3'] === undefined).length / 400,
      12,
    );
    expect(matrix.inactiveShare[matrix.parameters.findIndex((q) => q.name === 'depth')]).toBe(0);
    // width_3 explains the spread among depth-3 trials: it ranks above width_1
    expect(by.width_3).toBeGreaterThan(by.width_1! + 0.2);
    // the inactive trials sit in [0, q): below every encoded active value
    const j = matrix.parameters.findIndex((q) => q.name === 'width_3');
    const d = matrix.parameters.length;
    matrix.trials.forEach((t, i) => {
      const x = matrix.x[i * d + j] as number;
      if (t.params['width_3'] === undefined) expect(x).toBeCloseTo(share! / 2, 12);
      else expect(x).toBeGreaterThanOrEqual(share!);
    });
  });

  it('is deterministic for a seed', () => {
    const params = [floatParam('a'), floatParam('b')];
    const trials = sampleTrials(100, (p) => Math.sin(6 * p.a!) + p.b!, ['a', 'b']);
    expect(computeImportances(params, trials, { seed: 5 }).importances).toEqual(
      computeImportances(params, trials, { seed: 5 }).importances,
    );
  });

  it('computes the marginal variances of a hand-made tree exactly', () => {
    // split x0 at 0.25: left 4, right 0 -> mean 1, variance 0.25*9 + 0.75*1 = 3, all from x0
    const tree: RegressionTree = {
      dimension: 2,
      feature: Int32Array.from([0, -1, -1]),
      threshold: Float64Array.from([0.25, 0, 0]),
      left: Int32Array.from([1, -1, -1]),
      right: Int32Array.from([2, -1, -1]),
      value: Float64Array.from([0, 4, 0]),
    };
    const { total, perDimension } = treeMarginalVariances(treeLeaves(tree), 2);
    expect(total).toBeCloseTo(3, 12);
    expect(perDimension[0]).toBeCloseTo(3, 12);
    expect(perDimension[1]).toBeCloseTo(0, 12);
    const result = fanovaImportances({ dimension: 2, trees: [tree] });
    expect(Array.from(result.normalized)).toEqual([1, 0]);
  });

  it('pair marginal averages out the other dimensions', () => {
    const rng = new Random(2);
    const n = 400;
    const x = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) x[i * 3 + j] = rng.next();
      y[i] = (x[i * 3] as number) + (x[i * 3 + 1] as number);
    }
    const forest = fitRandomForest(x, y, 3, { trees: 16, seed: 1 });
    const grid = pairMarginal(forest, 0, 1, 4);
    // value at (a, b) cell centres should be close to a + b
    expect(grid[0]).toBeCloseTo(0.25, 0);
    expect(grid[15]).toBeGreaterThan(1.4);
    expect(predictForest(forest, [0.9, 0.9, 0.5])).toBeGreaterThan(1.5);
  });
});
