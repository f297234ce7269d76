import { describe, expect, it } from 'vitest';
import {
  GridSearchOracle,
  HyperParameters,
  RandomSearchOracle,
  configurationKey,
} from '../../src/index.js';
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

  it('a Float without step is an error naming the parameter', () => {
    const hp = new HyperParameters();
    hp.Float('dropout', { min: 0, max: 0.5 });
    expect(() =>
      new GridSearchOracle().ask({ space: hp.space, objectives: [], trials: [] }),
    ).toThrow(/'dropout' has no step/);
  });
});
