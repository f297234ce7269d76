/**
 * The example's time plan (a cost model fitted to the trials, the final training predicted
 * from it, the rule that stops starting trials) and the search data its processes share.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/index.js';
import {
  EVAL_SHARE,
  budgetPlan,
  finalTrainingMs,
  fitCostModel,
} from '../../src/cli/example/budget-plan.js';
import type { BudgetPlanInput } from '../../src/cli/example/budget-plan.js';
import { articleParamCount } from '../../src/cli/example/hypermodel.js';
import { readSearchData, writeSearchData } from '../../src/cli/example/shared-data.js';
import type { SearchData } from '../../src/cli/example/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input: BudgetPlanInput = {
  startedAt: 1_000_000,
  budgetMs: 600_000,
  trainSize: 12_000,
  valSize: 5_000,
  finalEpochs: 10,
  finalTrain: 55_000,
  finalHeldOut: 5_000,
  testCount: 10_000,
  paramCount: (p) => Number(p['P']),
};
const unitsPerEpoch = input.trainSize + EVAL_SHARE * input.valSize;

/** A finished trial of `epochs` epochs of a model of P parameters, at `a + b·P` ms per unit. */
function trial(
  number: number,
  P: number,
  epochs: number,
  endAt: number,
  a = 0.01,
  b = 2e-7,
): Trial {
  const ms = epochs * unitsPerEpoch * (a + b * P);
  return {
    id: number,
    number,
    status: 'COMPLETED',
    params: { P },
    values: [0.8 + number / 1000],
    metrics: {},
    intermediate: Array.from({ length: epochs }, (_, step) => ({ step, value: 0.8, metrics: {} })),
    error: undefined,
    createdAt: endAt - ms,
    startedAt: endAt - ms,
    finishedAt: endAt,
    heartbeatAt: endAt,
    workerId: 'w',
    retryOf: undefined,
    oracleAttrs: {},
    userAttrs: {},
  };
}

describe('the budget plan', () => {
  it('recovers time per unit = a + b·P from trials of several sizes', () => {
    const trials = [1e5, 3e5, 6e5, 1.2e6].map((P, i) => trial(i, P, 4, 2e6 + i * 1000));
    const t = budgetPlan(input, trials, trials[3], 2e6 + 5000).msPerUnit;
    for (const P of [5e4, 8e5, 2e6]) expect(t(P)).toBeCloseTo(0.01 + 2e-7 * P, 8);
  });

  it('falls back to time proportional to P with too few trials', () => {
    const one = fitCostModel([{ ms: 1000, units: 100, params: 5e5 }]);
    expect(one(1e6)).toBeCloseTo(20, 8);
    expect(fitCostModel([])(1)).toBeNaN();
  });

  it('predicts the final training: epochs over the training images, the held-out slice and the test set once', () => {
    const perUnit = (P: number) => 0.01 + 2e-7 * P;
    const units = 10 * (55_000 + 5_000 / 3) + 10_000 / 3;
    expect(finalTrainingMs(input, perUnit, 1e6)).toBeCloseTo(units * 0.21, 6);
  });

  it('starts trials while one more ends before the time the final training needs', () => {
    const P = 4e5;
    const trials = [0, 1, 2].map((i) => trial(i, P, 4, input.startedAt + (i + 1) * 20_000));
    const trialMs = 4 * unitsPerEpoch * (0.01 + 2e-7 * P);
    const finalMs = finalTrainingMs(input, (p) => 0.01 + 2e-7 * p, P);
    const margin = Math.max(3000, 0.02 * input.budgetMs);
    const searchEndsAt = input.startedAt + input.budgetMs - margin - finalMs;
    const early = budgetPlan(input, trials, trials[2], searchEndsAt - trialMs - 1);
    expect(early.trialMs).toBeCloseTo(trialMs, 6);
    expect(early.finalMs).toBeCloseTo(finalMs, 6);
    expect(early.searchEndsAt).toBeCloseTo(searchEndsAt, 6);
    expect(early.mayStart).toBe(true);
    expect(budgetPlan(input, trials, trials[2], searchEndsAt - trialMs + 1).mayStart).toBe(false);
    // a bigger best model needs a longer final training: the search ends sooner
    const bigger = trial(3, 1.5e6, 4, input.startedAt + 80_000);
    const withBig = budgetPlan(input, [...trials, bigger], bigger, input.startedAt + 80_000);
    expect(withBig.searchEndsAt).toBeLessThan(early.searchEndsAt);
  });

  it('searches on to the end when not even one epoch of the final training fits any more', () => {
    const P = 4e5;
    const perUnit = (p: number) => 0.01 + 2e-7 * p;
    const trials = [0, 1, 2].map((i) => trial(i, P, 4, input.startedAt + (i + 1) * 20_000));
    const epochMs = (55_000 + 5_000 / 3) * perUnit(P);
    const testMs = (10_000 / 3) * perUnit(P);
    const margin = Math.max(3000, 0.02 * input.budgetMs);
    const end = input.startedAt + input.budgetMs;
    // just over one epoch left: still a final training, no trial starts
    const oneEpoch = budgetPlan(input, trials, trials[2], end - margin - epochMs - testMs - 1);
    expect(oneEpoch.finalMs).toBeCloseTo(finalTrainingMs(input, perUnit, P), 6);
    expect(oneEpoch.retrains).toBe(true);
    expect(oneEpoch.mayStart).toBe(false);
    // just under: no final training (the best checkpoint), trials go on while they fit
    const late = end - margin - epochMs - testMs + 1;
    const noFinal = budgetPlan(input, trials, trials[2], late);
    expect(noFinal.finalMs).toBeCloseTo(testMs, 6);
    expect(noFinal.retrains).toBe(false);
    expect(noFinal.searchEndsAt).toBeCloseTo(end - margin - testMs, 6);
    // a trial (4 epochs of 12k + validation: ~4.9 s) still ends before the test set's turn
    expect(noFinal.trialMs).toBeLessThan(epochMs);
    expect(noFinal.mayStart).toBe(true);
    // and with no final training to make room for, one that gets one of its epochs done starts
    // (it is stopped at the search's end and scores the epochs it trained); one that gets none,
    // not
    const trialMs = noFinal.trialMs as number;
    const searchEnd = end - margin - testMs;
    expect(budgetPlan(input, trials, trials[2], searchEnd - trialMs / 2).mayStart).toBe(true);
    expect(budgetPlan(input, trials, trials[2], searchEnd - trialMs / 8).mayStart).toBe(false);
    // while a final training is planned, a trial starts only if it ends in full before it
    const planned = end - margin - finalTrainingMs(input, perUnit, P);
    expect(budgetPlan(input, trials, trials[2], planned - trialMs / 2).mayStart).toBe(false);
  });

  it('lets every process start its first trial before anything is measured', () => {
    const plan = budgetPlan(input, [], undefined, input.startedAt);
    expect(plan.mayStart).toBe(true);
    expect(plan.finalMs).toBe(0);
    expect(plan.retrains).toBe(false);
  });

  it("counts the article MLP's parameters", () => {
    // 784-64-128-10 with biases
    expect(
      articleParamCount({ num_layers: 2, units_0: 64, units_1: 128, units_2: 512 }, 784, 10),
    ).toBe(784 * 64 + 64 + 64 * 128 + 128 + 128 * 10 + 10);
    // experiment 1: three layers u_1-u_3; experiment 3: num_layers of 128
    expect(articleParamCount({ u_1: 16, u_2: 32, u_3: 48, a_1: 'relu' }, 784, 10, 1)).toBe(
      784 * 16 + 16 + 16 * 32 + 32 + 32 * 48 + 48 + 48 * 10 + 10,
    );
    expect(articleParamCount({ num_layers: 3 }, 784, 10, 3)).toBe(
      784 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 10 + 10,
    );
  });
});

describe('the search data file', () => {
  const data: SearchData = {
    name: 'fashion-mnist',
    classNames: ['a', 'b'],
    source: 'debian',
    dir: '/x',
    trainCount: 60_000,
    testCount: 10_000,
    fit: {
      images: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      labels: Uint8Array.from([0, 1]),
      count: 2,
      shape: [2, 2, 1],
    },
    validation: {
      images: Uint8Array.from([9, 10, 11, 12]),
      labels: Uint8Array.from([1]),
      count: 1,
      shape: [2, 2, 1],
    },
    key: 'k1',
  };

  it('round-trips the subsets and what the plan needs', async () => {
    const path = join(dir, 'data.bin');
    await writeSearchData(path, data);
    const back = await readSearchData(path, 'k1');
    expect(back).toEqual(data);
  });

  it('refuses data drawn for other options, a foreign file and a truncated one, naming the file', async () => {
    const path = join(dir, 'other.bin');
    await writeSearchData(path, data);
    await expect(readSearchData(path, 'k2')).rejects.toThrow(
      /other\.bin was drawn for other options \(k1, not k2\)/,
    );
    writeFileSync(join(dir, 'foreign.bin'), 'hello');
    await expect(readSearchData(join(dir, 'foreign.bin'), 'k1')).rejects.toThrow(
      /is not a hypertuner search-data file/,
    );
    await expect(readSearchData(join(dir, 'missing.bin'), 'k1')).rejects.toThrow(/cannot be read/);
  });
});
