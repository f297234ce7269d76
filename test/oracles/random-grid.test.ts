import { describe, expect, it } from 'vitest';
import {
  GridSearchOracle,
  HyperParameters,
  HypertunerError,
  RandomSearchOracle,
} from '../../src/index.js';
import { configurationKey } from '../../src/space/index.js';
import type { Oracle, ParamValues, StudyView, Trial, SearchSpace } from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';

function fakeTrial(number: number, params: ParamValues): Trial {
  return trialRecord(number, { params, values: [number], heartbeatAt: 0 });
}

function run(oracle: Oracle, space: SearchSpace, max: number): { trials: Trial[]; end: string } {
  const trials: Trial[] = [];
  for (let i = 0; i < max; i++) {
    const view: StudyView = {
      space,
      objectives: [{ name: 'loss', direction: 'minimize' }],
      trials,
    };
    const answer = oracle.ask(view);
    if (answer.kind !== 'trial') return { trials, end: answer.reason };
    trials.push(fakeTrial(i, answer.params));
  }
  return { trials, end: '' };
}

function smallSpace(): SearchSpace {
  const hp = new HyperParameters();
  hp.Choice('a', ['x', 'y', 'z']);
  hp.Int('b', { min: 1, max: 5 });
  return hp.space;
}

function conditionalSpace(): SearchSpace {
  const hp = new HyperParameters();
  hp.Choice('model', ['mlp', 'cnn']);
  // explicit conditions register the parameter whatever the current value of its parent
  hp.Int('units', { min: 32, max: 96, step: 32, parentName: 'model', parentValues: ['mlp'] });
  hp.Choice('kernel', [3, 5], { parentName: 'model', parentValues: ['cnn'] });
  hp.Boolean('bias');
  return hp.space;
}

describe('RandomSearchOracle', () => {
  it('never repeats, and says when a finite space is used up', () => {
    const { trials, end } = run(new RandomSearchOracle({ seed: 1 }), smallSpace(), 40);
    expect(trials).toHaveLength(15);
    expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(15);
    expect(end).toMatch(/all 15 configurations/);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const space = new HyperParameters();
    space.Float('x', { min: 0, max: 1 });
    const a = run(new RandomSearchOracle({ seed: 7 }), space.space, 5).trials.map((t) => t.params);
    const b = run(new RandomSearchOracle({ seed: 7 }), space.space, 5).trials.map((t) => t.params);
    const c = run(new RandomSearchOracle({ seed: 8 }), space.space, 5).trials.map((t) => t.params);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects bad options with ORACLE_INVALID_OPTION naming the option and what is allowed', () => {
    for (const [options, field, allowed] of [
      [{ maxDrawAttempts: -5 }, 'maxDrawAttempts', /integer >= 1/],
      [{ maxDrawAttempts: 0 }, 'maxDrawAttempts', /integer >= 1/],
      [{ maxDrawAttempts: 2.5 }, 'maxDrawAttempts', /integer >= 1/],
      [{ seed: NaN }, 'seed', /finite number/],
      [{ seed: Infinity }, 'seed', /finite number/],
      [{ enumerationLimit: NaN }, 'enumerationLimit', /integer >= 0/],
      [{ enumerationLimit: -1 }, 'enumerationLimit', /integer >= 0/],
    ] as const) {
      let caught: unknown;
      try {
        new RandomSearchOracle(options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HypertunerError);
      expect((caught as HypertunerError).code).toBe('ORACLE_INVALID_OPTION');
      expect((caught as HypertunerError).field).toBe(field);
      expect((caught as HypertunerError).message).toContain(`'${field}'`);
      expect((caught as HypertunerError).message).toMatch(allowed);
    }
    // the limits are valid, and enumerationLimit 0 draws at random
    const { trials } = run(
      new RandomSearchOracle({ seed: 2, enumerationLimit: 0 }),
      smallSpace(),
      3,
    );
    expect(trials).toHaveLength(3);
  });

  it('respects conditions', () => {
    const { trials } = run(new RandomSearchOracle({ seed: 3 }), conditionalSpace(), 10);
    expect(trials).toHaveLength(10);
    for (const t of trials) {
      expect('units' in t.params).toBe(t.params['model'] === 'mlp');
      expect('kernel' in t.params).toBe(t.params['model'] === 'cnn');
    }
  });
});

describe('GridSearchOracle', () => {
  it('visits every combination once in a fixed order, conditions included', () => {
    const { trials, end } = run(new GridSearchOracle(), conditionalSpace(), 100);
    // mlp: 3 units x 2 bias; cnn: 2 kernels x 2 bias
    expect(trials).toHaveLength(10);
    expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(10);
    expect(trials[0]?.params).toEqual({ model: 'mlp', units: 32, bias: false });
    expect(end).toMatch(/all 10 grid configurations/);
  });

  it('counts each value of an Int log grid with a fractional step once', () => {
    const hp = new HyperParameters();
    hp.Int('units', { min: 1, max: 10, step: 1.5, sampling: 'log' });
    const grid = run(new GridSearchOracle(), hp.space, 20);
    expect(grid.trials.map((t) => t.params['units'])).toEqual([1, 2, 3, 5, 8]);
    expect(grid.end).toMatch(/all 5 grid configurations/);
    const random = run(new RandomSearchOracle({ seed: 3 }), hp.space, 20);
    expect(
      random.trials.map((t) => t.params['units']).sort((a, b) => Number(a) - Number(b)),
    ).toEqual([1, 2, 3, 5, 8]);
    expect(random.end).toMatch(/all 5 configurations/);
  });

  it('tries a parameter declared in two conditional scopes in both branches', () => {
    const build = (hp: HyperParameters): void => {
      hp.Choice('model', ['cnn', 'mlp']);
      hp.conditionalScope('model', ['cnn'], () => hp.Int('width', { min: 1, max: 2 }));
      hp.conditionalScope('model', ['mlp'], () => hp.Int('width', { min: 1, max: 2 }));
    };
    let space = new HyperParameters().space;
    for (const model of ['cnn', 'mlp']) {
      const hp = new HyperParameters({ space, values: { model } });
      build(hp);
      space = hp.space;
    }
    const { trials } = run(new GridSearchOracle(), space, 20);
    expect(trials.map((t) => t.params)).toEqual([
      { model: 'cnn', width: 1 },
      { model: 'cnn', width: 2 },
      { model: 'mlp', width: 1 },
      { model: 'mlp', width: 2 },
    ]);
  });

  it('a Float without step is an error naming the parameter', () => {
    const hp = new HyperParameters();
    hp.Float('dropout', { min: 0, max: 0.5 });
    expect(() =>
      new GridSearchOracle().ask({ space: hp.space, objectives: [], trials: [] }),
    ).toThrow(/'dropout' has no step/);
  });
});
