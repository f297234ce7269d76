import { describe, expect, it } from 'vitest';
import { splitTrials } from '../../src/oracles/tpe/split.js';
import { TpeOracle } from '../../src/oracles/index.js';
import { HyperParameters } from '../../src/space/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

const LOSS: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];

const trial = (number: number, loss: number, constraints?: number[]): Trial =>
  trialRecord(number, {
    values: [loss],
    userAttrs: constraints === undefined ? {} : { constraints },
  });

const numbers = (trials: readonly Trial[]): number[] => trials.map((t) => t.number);

describe('TPE with constraints (as Optuna 3.1)', () => {
  it('puts the best feasible trials in the good group, whatever infeasible ones scored', () => {
    const trials = [
      trial(0, 0.1, [1]), // best loss, infeasible
      trial(1, 0.5, [-1]),
      trial(2, 0.3, [0]),
      trial(3, 0.2, [2]),
      trial(4, 0.9, [-0.5]),
    ];
    const split = splitTrials(trials, LOSS, { gamma: () => 2, constantLiar: false });
    expect(numbers(split.below)).toEqual([1, 2]);
    expect(numbers(split.above)).toEqual([0, 3, 4]);
  });

  it('with fewer feasible trials than the good group holds: all of them, then the least violating', () => {
    const trials = [
      trial(0, 0.1, [3]),
      trial(1, 0.9, [-1]),
      trial(2, 0.3, [0.5, 0.5]), // violation 1
      trial(3, 0.2, [2]),
      trial(4, 0.4), // no values in a constrained study: violating infinitely
    ];
    const split = splitTrials(trials, LOSS, { gamma: () => 3, constantLiar: false });
    expect(numbers(split.below)).toEqual([1, 2, 3]);
    expect(numbers(split.above)).toEqual([0, 4]);
  });

  it('without constraint values, splits by loss as before', () => {
    const trials = [trial(0, 0.4), trial(1, 0.1), trial(2, 0.3)];
    const split = splitTrials(trials, LOSS, { gamma: () => 1, constantLiar: false });
    expect(numbers(split.below)).toEqual([1]);
  });

  it('steers proposals into the feasible region', () => {
    const hp = new HyperParameters();
    hp.Float('x', { min: 0, max: 1 });
    hp.Float('y', { min: 0, max: 1 });
    // minimise x + y subject to x + y >= 1: the optimum is on the line
    const oracle = new TpeOracle({ seed: 4 });
    const trials: Trial[] = [];
    for (let i = 0; i < 60; i++) {
      const answer = oracle.ask({ space: hp.space, objectives: LOSS, trials });
      if (answer.kind !== 'trial') throw new Error(answer.kind);
      const sum = (answer.params.x as number) + (answer.params.y as number);
      trials.push(
        trialRecord(i, {
          params: answer.params,
          values: [sum],
          userAttrs: { constraints: [1 - sum] },
        }),
      );
    }
    const late = trials.slice(30);
    // without the constraint values TPE chases x + y -> 0: 1 to 4 of these 30 feasible (seeds
    // 0-9); with them 14 to 22
    expect(
      late.filter((t) => (t.userAttrs.constraints as number[])[0]! <= 0).length,
    ).toBeGreaterThan(10);
  });
});
