/**
 * Fixed parameters on a study (`fixedParams`, `ask({ fixedParams })`), Keras Tuner's pre-set
 * hyperparameters on a study, and what stops a search at once.
 */
import { describe, expect, it } from 'vitest';
import {
  BayesianOptimizationOracle,
  FailedTrialError,
  GridSearchOracle,
  HyperbandOracle,
  HyperParameters,
  MemoryStorage,
  RandomSearchOracle,
  Study,
  TpeOracle,
} from '../../src/index.js';
import type { Oracle, RunningTrial } from '../../src/index.js';

const oracles: Record<string, () => Oracle> = {
  random: () => new RandomSearchOracle({ seed: 1 }),
  grid: () => new GridSearchOracle(),
  tpe: () => new TpeOracle({ seed: 1, nStartupTrials: 3 }),
  bayesian: () => new BayesianOptimizationOracle({ seed: 1, numInitialPoints: 3 }),
  hyperband: () => new HyperbandOracle({ seed: 1, maxEpochs: 9 }),
};

/** A study in memory minimising 'loss' with `oracle` and more open options. */
function openStudy(
  name: string,
  oracle: Oracle,
  extra: Partial<Parameters<typeof Study.open>[0]> = {},
): Promise<Study> {
  return Study.open({ storage: new MemoryStorage(), name, objective: 'loss', oracle, ...extra });
}

async function objective(trial: RunningTrial): Promise<number> {
  const lr = trial.hp.Float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' });
  const units = trial.hp.Int('units', { min: 1, max: 6 });
  const act = trial.hp.Choice('act', ['relu', 'tanh']);
  const loss = (Math.log10(lr) + 2) ** 2 + (units - 4) ** 2 + (act === 'relu' ? 0 : 1);
  const epochs = (trial.oracleAttrs['epochs'] as number | undefined) ?? 1;
  for (let epoch = 0; epoch < epochs; epoch++) await trial.report(epoch, loss + 1 / (epoch + 1));
  return loss;
}

describe('fixedParams', () => {
  for (const [name, make] of Object.entries(oracles)) {
    it(`${name}: every trial of a study opened with fixedParams carries them; the others vary`, async () => {
      // lr is not in the space yet: the first trial declares it
      const study = await openStudy(name, make(), { fixedParams: { lr: 0.001 } });
      await study.optimize(objective, { maxTrials: 10 });
      const trials = await study.trials();
      expect(trials).toHaveLength(10);
      for (const t of trials) {
        expect(t.status).toBe('COMPLETED');
        expect(t.params['lr']).toBe(0.001);
      }
      expect(
        new Set(trials.map((t) => `${t.params['units']}${t.params['act']}`)).size,
      ).toBeGreaterThan(name === 'hyperband' ? 4 : 6);
    }, 60_000);
  }

  it('ask({ fixedParams }) fixes one trial on top of the study; bad values are refused naming the field', async () => {
    const study = await openStudy('f', new TpeOracle({ seed: 2 }), {
      fixedParams: { act: 'tanh' },
    });
    await study.optimize(objective, { maxTrials: 3 });
    const next = await study.ask({ fixedParams: { units: 2 } });
    if (next.kind !== 'trial') throw new Error(next.reason);
    expect(next.trial.proposed).toMatchObject({ act: 'tanh', units: 2 });
    await study.tell(next.trial, await objective(next.trial));
    await expect(study.ask({ fixedParams: { units: 2.5 } })).rejects.toMatchObject({
      code: 'FIXED_PARAMS_INVALID',
      field: 'units',
      message: expect.stringContaining('int in [1, 6]'),
    });
    await expect(
      openStudy('g', new RandomSearchOracle(), { fixedParams: { lr: Number.NaN } }),
    ).rejects.toMatchObject({ code: 'FIXED_PARAMS_INVALID', field: 'lr' });
  });

  it('a fixed value the declaration does not take fails the trial, naming it', async () => {
    const study = await openStudy('h', new RandomSearchOracle(), { fixedParams: { units: 99 } });
    await expect(study.optimize(objective, { maxTrials: 3 })).rejects.toMatchObject({
      code: 'TOO_MANY_FAILED_TRIALS',
    });
    expect((await study.trials())[0]?.error).toMatch(
      /queued or fixed value 99 of parameter 'units'/,
    );
  });
});

describe("Keras Tuner's pre-set hyperparameters on a study", () => {
  it('tuneNewEntries: false tunes nothing but the pre-set entries', async () => {
    const preset = new HyperParameters();
    preset.Float('lr', { min: 1e-3, max: 1e-2, sampling: 'log' });
    const study = await openStudy('kt', new TpeOracle({ seed: 4, nStartupTrials: 3 }), {
      hyperparameters: preset,
      tuneNewEntries: false,
    });
    expect(study.space.get('lr')).toMatchObject({ min: 1e-3, max: 1e-2 }); // known before trial 0
    await study.optimize(objective, { maxTrials: 8 });
    const trials = await study.trials();
    expect(new Set(trials.map((t) => t.params['lr'])).size).toBe(8);
    for (const t of trials) {
      expect(t.params).toMatchObject({ units: 1, act: 'relu' }); // their defaults
      expect(t.params['lr']).toBeGreaterThanOrEqual(1e-3); // the preset's range, not the objective's
      expect(t.params['lr']).toBeLessThanOrEqual(1e-2);
    }
  });

  it('allowNewEntries: false stops the search at once with SPACE_NEW_ENTRY_NOT_ALLOWED', async () => {
    const preset = new HyperParameters();
    preset.Fixed('lr', 0.01);
    const study = await openStudy('kt2', new RandomSearchOracle(), {
      hyperparameters: preset,
      allowNewEntries: false,
    });
    await expect(study.optimize(objective, { maxTrials: 5 })).rejects.toMatchObject({
      code: 'SPACE_NEW_ENTRY_NOT_ALLOWED',
      field: 'units',
    });
    expect((await study.trials()).map((t) => t.status)).toEqual(['FAILED']);
  });
});

describe('what stops a search', () => {
  it('a search-space mistake in a declaration stops it at once with its SPACE_ code (every trial would repeat it)', async () => {
    const study = await openStudy('m', new RandomSearchOracle());
    const bad = (trial: RunningTrial): number => trial.hp.Float('x', { min: 1, max: 0 });
    await expect(
      study.optimize(bad, { maxTrials: 5, maxRetriesPerTrial: 2 }),
    ).rejects.toMatchObject({ code: 'SPACE_MIN_GREATER_THAN_MAX', field: 'x' });
    const trials = await study.trials();
    expect(trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/min/) });
  });

  it('a FailedTrialError with countsAsFailure: false fails its trial without counting toward maxConsecutiveFailedTrials', async () => {
    const study = await openStudy('n', new RandomSearchOracle({ seed: 5 }));
    const skip = (trial: RunningTrial): number => {
      const x = trial.hp.Float('x', { min: 0, max: 1 });
      if (x > 0.2) throw new FailedTrialError('too big', { countsAsFailure: false });
      return x;
    };
    const result = await study.optimize(skip, { maxTrials: 10, maxConsecutiveFailedTrials: 1 });
    expect(result.trialsRun).toBe(10);
    expect((await study.trials()).filter((t) => t.status === 'FAILED').length).toBeGreaterThan(3);
    const counted = (trial: RunningTrial): number => {
      trial.hp.Float('x', { min: 0, max: 1 });
      throw new FailedTrialError('broken');
    };
    await expect(
      study.optimize(counted, { maxTrials: 20, maxConsecutiveFailedTrials: 1 }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_FAILED_TRIALS' });
  });
});
