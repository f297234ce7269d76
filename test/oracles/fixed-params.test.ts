/**
 * `StudyView.fixed`: every oracle proposes the fixed values and searches the other parameters.
 */
import { describe, expect, it } from 'vitest';
import {
  AutoOracle,
  BayesianOptimizationOracle,
  CmaEsOracle,
  GridSearchOracle,
  HyperbandOracle,
  HyperParameters,
  NsgaIIOracle,
  QmcSearchOracle,
  RandomSearchOracle,
  TpeOracle,
} from '../../src/index.js';
import { withFixedParams } from '../../src/oracles/index.js';
import type { Oracle, ParamValues, SearchSpace, StudyView, Trial } from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';

function space(): SearchSpace {
  const hp = new HyperParameters();
  hp.Float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' });
  hp.Int('units', { min: 1, max: 8 });
  hp.Choice('act', ['relu', 'tanh']);
  return hp.space;
}

const loss = (p: ParamValues): number =>
  (Math.log10(p['lr'] as number) + 2) ** 2 + ((p['units'] as number) - 5) ** 2;

/** Runs `count` asks, each finishing at once with `loss`, all with `fixed`. */
function run(
  oracle: Oracle,
  fixed: ParamValues,
  count: number,
  history: Trial[] = [],
  spaceOf: () => SearchSpace = space,
): Trial[] {
  const trials = [...history];
  for (let i = 0; i < count; i++) {
    const view: StudyView = {
      space: spaceOf(),
      objectives: [{ name: 'loss', direction: 'minimize' }],
      trials,
      fixed,
    };
    const answer = oracle.ask(view);
    if (answer.kind !== 'trial') break;
    const number = trials.length;
    trials.push(
      trialRecord(number, {
        params: answer.params,
        values: [loss(answer.params)],
        oracleAttrs: answer.oracleAttrs ?? {},
        intermediate: [{ step: 0, value: loss(answer.params), metrics: {} }],
      }),
    );
  }
  return trials.slice(history.length);
}

const oracles: Record<string, () => Oracle> = {
  random: () => new RandomSearchOracle({ seed: 3 }),
  grid: () => new GridSearchOracle(),
  tpe: () => new TpeOracle({ seed: 3, nStartupTrials: 4 }),
  bayesian: () => new BayesianOptimizationOracle({ seed: 3, numInitialPoints: 3 }),
  hyperband: () => new HyperbandOracle({ seed: 3, maxEpochs: 9 }),
  nsga2: () => new NsgaIIOracle({ seed: 3, populationSize: 4 }),
  auto: () => new AutoOracle({ seed: 3, gpTrials: 6 }),
  cmaes: () => new CmaEsOracle({ seed: 3 }),
  qmc: () => new QmcSearchOracle({ seed: 3 }),
};

describe('fixed parameters (StudyView.fixed)', () => {
  for (const [name, make] of Object.entries(oracles)) {
    it(`${name}: every proposal holds the fixed value; the others are searched`, () => {
      const trials = run(make(), { lr: 0.003 }, 12);
      expect(trials.length).toBe(12);
      for (const t of trials) expect(t.params['lr']).toBe(0.003);
      // the free parameters still vary: not one configuration proposed over and over
      const others = new Set(trials.map((t) => `${t.params['units']}:${t.params['act']}`));
      expect(others.size).toBeGreaterThan(name === 'hyperband' ? 3 : 6);
    });
  }

  it('a value outside the declared range is proposed as given (the study checks values)', () => {
    const trials = run(new TpeOracle({ seed: 1, nStartupTrials: 2 }), { units: 100 }, 5);
    for (const t of trials) expect(t.params['units']).toBe(100);
  });

  it('a model-based oracle learns the other parameters from trials with other fixed values', () => {
    // 30 trials with lr free, then lr fixed: TPE's proposals for units go to the good region
    const wide = (): SearchSpace => {
      const hp = new HyperParameters();
      hp.Float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' });
      hp.Int('units', { min: 1, max: 40 });
      return hp.space;
    };
    const tpe = (): Oracle => new TpeOracle({ seed: 5, nStartupTrials: 10 });
    const history = run(tpe(), {}, 30, [], wide);
    const fixed = run(tpe(), { lr: 0.01 }, 10, history, wide);
    const near = fixed.filter((t) => Math.abs((t.params['units'] as number) - 5) <= 3).length;
    // random search puts 7 in 40 there: about 2 of 10 (5 or more: p < 0.03)
    expect(near).toBeGreaterThanOrEqual(5);
  });

  it('withFixedParams: the same fixed values give the same space object; none leaves the view as is', () => {
    const base: StudyView = { space: space(), objectives: [], trials: [] };
    expect(withFixedParams(base)).toBe(base);
    expect(withFixedParams({ ...base, fixed: { unknown: 1 } }).space).toBe(base.space);
    const a = withFixedParams({ ...base, fixed: { lr: 0.01, act: 'tanh' } });
    const b = withFixedParams({ ...base, fixed: { act: 'tanh', lr: 0.01 } });
    expect(a.space).toBe(b.space);
    expect(a.space.get('lr')).toMatchObject({ kind: 'fixed', value: 0.01 });
    expect(a.space.parameters.map((p) => p.name)).toEqual(['lr', 'units', 'act']);
  });
});
