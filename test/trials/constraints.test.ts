import { describe, expect, it } from 'vitest';
import {
  constraintValues,
  hasConstraints,
  isFeasible,
  paretoFront,
  rankTrials,
  trialViolation,
} from '../../src/trials/index.js';
import type { JsonValue, Objective } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

const LOSS: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];
const TWO: readonly Objective[] = [
  { name: 'error', direction: 'minimize' },
  { name: 'accuracy', direction: 'maximize' },
];

const trial = (number: number, values: number[], constraints?: JsonValue) =>
  trialRecord(number, {
    values,
    userAttrs: constraints === undefined ? {} : { constraints },
  });

describe('constraints', () => {
  it('reads constraint values, their violation and feasibility', () => {
    expect(constraintValues(trial(0, [1], [-1, 0]))).toEqual([-1, 0]);
    expect(isFeasible(trial(0, [1], [-1, 0]))).toBe(true);
    expect(trialViolation(trial(0, [1], [0.5, -2, 0.25]))).toBe(0.75);
    expect(isFeasible(trial(0, [1], [0.5, -2]))).toBe(false);
    // none: feasible, unless the study has constraints (then it ranks behind every infeasible one)
    expect(isFeasible(trial(0, [1]))).toBe(true);
    expect(trialViolation(trial(0, [1]), true)).toBe(Infinity);
    // not a list of finite numbers: as if absent
    expect(constraintValues(trial(0, [1], 'x'))).toBeUndefined();
    expect(constraintValues(trial(0, [1], [1, null]))).toBeUndefined();
    expect(hasConstraints([trial(0, [1]), trial(1, [2], [0])])).toBe(true);
    expect(hasConstraints([trial(0, [1])])).toBe(false);
  });

  it('the best trial is the best feasible one', () => {
    const trials = [
      trial(0, [0.1], [0.3]), // best value, infeasible
      trial(1, [0.5], [-0.1]),
      trial(2, [0.4], [0, -1]), // feasible: 0 counts as satisfied
      trial(3, [0.2], [-1, 2]), // one constraint violated
      trial(4, [0.45]), // no constraint values: feasible
    ];
    expect(rankTrials(trials, LOSS).map((t) => t.number)).toEqual([2, 4, 1]);
    const maximise: Objective[] = [{ name: 'accuracy', direction: 'maximize' }];
    expect(rankTrials(trials, maximise).map((t) => t.number)).toEqual([1, 4, 2]);
    expect(rankTrials([trial(0, [1], [1])], LOSS)).toEqual([]);
  });

  it('the Pareto front is taken among the feasible trials only', () => {
    const trials = [
      trial(0, [0.1, 0.99], [1]), // would dominate everything, but infeasible
      trial(1, [0.2, 0.9], [-1]),
      trial(2, [0.3, 0.95], [-1]),
      trial(3, [0.25, 0.85], [-1]), // dominated by 1
      trial(4, [0.4, 0.96], [0]),
    ];
    expect(paretoFront(trials, TWO).map((t) => t.number)).toEqual([1, 2, 4]);
    expect(rankTrials(trials, TWO).map((t) => t.number)).toEqual([1, 2, 4]);
  });
});
