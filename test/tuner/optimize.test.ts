import { describe, expect, it } from 'vitest';
import {
  FailedTrialError,
  FatalError,
  GridSearchOracle,
  MemoryStorage,
  RandomSearchOracle,
  Study,
  configurationKey,
} from '../../src/index.js';
import type { TrialContext } from '../../src/index.js';

async function newStudy(
  options: { oracle?: 'random' | 'grid'; objective?: string; storage?: MemoryStorage } = {},
): Promise<Study> {
  return Study.open({
    storage: options.storage ?? new MemoryStorage(),
    name: 'test',
    objective: options.objective ?? 'loss',
    oracle:
      options.oracle === 'grid' ? new GridSearchOracle() : new RandomSearchOracle({ seed: 1 }),
  });
}

const quadratic = ({ hp }: TrialContext): number => {
  const x = hp.Float('x', { min: -5, max: 5 });
  const y = hp.Int('y', { min: 0, max: 10 });
  return (x - 1) ** 2 + (y - 3) ** 2;
};

describe('optimize', () => {
  it('runs maxTrials trials, learns the space by running, and ranks the best', async () => {
    const study = await newStudy();
    const result = await study.optimize(quadratic, { maxTrials: 12 });
    expect(result.trialsRun).toBe(12);
    expect(result.reason).toMatch(/12 trials/);
    const trials = await study.trials();
    expect(trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    expect(study.space.parameters.map((p) => p.name)).toEqual(['x', 'y']);
    const best = await study.getBestTrials(3);
    expect(best[0]?.values?.[0]).toBe(Math.min(...trials.map((t) => t.values?.[0] ?? Infinity)));
    expect((await study.getBestHyperparameters(1))[0]).toEqual(best[0]?.params);
    const summary = await study.resultsSummary(2);
    expect(summary).toContain(`Trial ${String(best[0]?.number).padStart(4, '0')} summary`);
    expect(summary).toContain('Objective: loss (minimize)');
    expect(study.searchSpaceSummary()).toMatch(/x \(float\): float in \[-5, 5\]/);
  });

  it('continues a study where it stopped (maxTrials counts earlier runs)', async () => {
    const storage = new MemoryStorage();
    await (await newStudy({ storage })).optimize(quadratic, { maxTrials: 5 });
    const again = await newStudy({ storage });
    const result = await again.optimize(quadratic, { maxTrials: 8 });
    expect(result.trialsRun).toBe(3);
    expect(await again.trials()).toHaveLength(8);
  });

  it('turns exceptions, NaN and infinite results into FAILED trials and goes on', async () => {
    const study = await newStudy();
    let calls = 0;
    await study.optimize(
      ({ hp }) => {
        hp.Float('x', { min: 0, max: 1 });
        calls++;
        if (calls === 2) throw new Error('boom in user code');
        if (calls === 3) return NaN;
        if (calls === 4) return Infinity;
        return calls;
      },
      { maxTrials: 6, maxConsecutiveFailedTrials: 5 },
    );
    const trials = await study.trials();
    expect(trials.map((t) => t.status)).toEqual([
      'COMPLETED',
      'FAILED',
      'FAILED',
      'FAILED',
      'COMPLETED',
      'COMPLETED',
    ]);
    expect(trials[1]?.error).toMatch(/boom in user code/);
    expect(trials[2]?.error).toMatch(/NaN, not a finite number/);
    expect(trials[3]?.error).toMatch(/Infinity/);
    const best = await study.getBestTrials(1);
    expect(best[0]?.values?.[0]).toBe(1); // an infinite loss is never the best
  });

  it('stops after maxConsecutiveFailedTrials failures with a clear error', async () => {
    const study = await newStudy();
    await expect(
      study.optimize(
        () => {
          throw new Error('always');
        },
        { maxTrials: 10, maxConsecutiveFailedTrials: 2 },
      ),
    ).rejects.toMatchObject({ code: 'TOO_MANY_FAILED_TRIALS' });
    expect(await study.trials()).toHaveLength(2);
  });

  it('retries unexpected errors, but not FailedTrialError; FatalError stops the search', async () => {
    const study = await newStudy();
    let attempts = 0;
    await study.optimize(
      ({ hp }) => {
        hp.Int('a', { min: 0, max: 100 });
        attempts++;
        if (attempts < 3) throw new Error('flaky');
        return 1;
      },
      { maxTrials: 1, maxRetriesPerTrial: 2 },
    );
    expect(attempts).toBe(3);
    expect((await study.trials())[0]?.status).toBe('COMPLETED');

    const other = await newStudy();
    let calls = 0;
    await other.optimize(
      () => {
        calls++;
        throw new FailedTrialError('bad config');
      },
      { maxTrials: 1, maxRetriesPerTrial: 5 },
    );
    expect(calls).toBe(1);
    expect((await other.trials())[0]?.error).toMatch(/bad config/);

    const fatal = await newStudy();
    await expect(
      fatal.optimize(
        () => {
          throw new FatalError('disk gone');
        },
        { maxTrials: 5 },
      ),
    ).rejects.toThrow('disk gone');
    expect((await fatal.trials()).map((t) => t.status)).toEqual(['FAILED']);
  });

  it('averages metrics over executionsPerTrial and keeps all metrics', async () => {
    const study = await newStudy({ objective: 'val_accuracy' });
    await study.optimize(
      ({ execution, hp }) => {
        hp.Boolean('b');
        return { val_accuracy: 0.5 + 0.1 * execution, loss: 1 + execution };
      },
      { maxTrials: 1, executionsPerTrial: 3 },
    );
    const [trial] = await study.trials();
    expect(trial?.values?.[0]).toBeCloseTo(0.6, 12);
    expect(trial?.metrics['loss']).toBeCloseTo(2, 12);
  });

  it('fails a trial whose metrics lack the objective, naming what it returned', async () => {
    const study = await newStudy({ objective: 'val_accuracy' });
    await study.optimize(() => ({ accuracy: 0.9 }), {
      maxTrials: 1,
      maxConsecutiveFailedTrials: 5,
    });
    expect((await study.trials())[0]?.error).toMatch(/no metric 'val_accuracy'.*accuracy/);
  });

  it('records intermediate values', async () => {
    const study = await newStudy();
    await study.optimize(
      async ({ hp, report }) => {
        const lr = hp.Float('lr', { min: 0.1, max: 1 });
        for (let epoch = 0; epoch < 3; epoch++)
          await report(epoch, { loss: lr / (epoch + 1), acc: epoch });
        return lr / 3;
      },
      { maxTrials: 2 },
    );
    const [trial] = await study.trials();
    expect(trial?.intermediate.map((iv) => iv.step)).toEqual([0, 1, 2]);
    expect(trial?.intermediate[2]?.metrics['acc']).toBe(2);
  });

  it('grid search ends when every combination was run, and says so', async () => {
    const study = await newStudy({ oracle: 'grid' });
    const result = await study.optimize(
      ({ hp }) => {
        hp.Choice('a', ['x', 'y']);
        hp.Int('b', { min: 1, max: 3 });
        return 1;
      },
      { maxTrials: 100 },
    );
    expect(result.reason).toMatch(/all 6 grid configurations/);
    const keys = (await study.trials()).map((t) => configurationKey(t.params));
    expect(new Set(keys).size).toBe(6);
    expect(keys).toHaveLength(6);
  });

  it('ask/tell: callers run trials themselves', async () => {
    const study = await newStudy();
    await study.optimize(quadratic, { maxTrials: 1 }); // learn the space
    const asked = await study.ask();
    expect(asked.kind).toBe('trial');
    if (asked.kind !== 'trial') return;
    expect(Object.keys(asked.trial.params).sort()).toEqual(['x', 'y']);
    const told = await study.tell(asked.trial, 0.25);
    expect(told.status).toBe('COMPLETED');
    await expect(study.tell(asked.trial, 0.5)).rejects.toMatchObject({ code: 'TRIAL_NOT_RUNNING' });
  });

  it('re-runs a trial whose worker died and counts it once', async () => {
    const storage = new MemoryStorage();
    const study = await newStudy({ storage });
    await study.optimize(quadratic, { maxTrials: 2 });
    // a trial left RUNNING by a worker that is gone (no heartbeat for long)
    const lost = await storage.startTrial(study.id, 'elsewhere:1:dead', () => ({
      kind: 'create',
      params: { x: 0.5, y: 2 },
    }));
    expect(lost.kind).toBe('started');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await Study.open({
      storage,
      name: 'test',
      objective: 'loss',
      oracle: new RandomSearchOracle({ seed: 1 }),
      staleAfterMs: 0,
    });
    await again.optimize(quadratic, { maxTrials: 4 });
    const trials = await again.trials();
    const completed = trials.filter((t) => t.status === 'COMPLETED');
    expect(completed).toHaveLength(4);
    expect(trials[2]?.status).toBe('FAILED');
    expect(trials[2]?.error).toMatch(/worker lost/);
    expect(completed.some((t) => t.retryOf === 2 && t.params['x'] === 0.5)).toBe(true);
  });

  it('at the end of the budget, waits for trials running elsewhere and re-runs one that is lost', async () => {
    const storage = new MemoryStorage();
    const study = await Study.open({
      storage,
      name: 'test',
      objective: 'loss',
      oracle: new RandomSearchOracle({ seed: 1 }),
      staleAfterMs: 300,
    });
    await study.optimize(quadratic, { maxTrials: 2 });
    // another machine's worker takes the third trial, then goes silent
    await storage.startTrial(study.id, 'far-away:7:silent', () => ({
      kind: 'create',
      params: { x: 0.25, y: 1 },
    }));
    const result = await study.optimize(quadratic, { maxTrials: 3, pollIntervalMs: 20 });
    const trials = await study.trials();
    expect(trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(3);
    expect(trials[2]?.error).toMatch(/worker lost: far-away:7:silent/);
    expect(trials.find((t) => t.retryOf === 2)?.params).toEqual({ x: 0.25, y: 1 });
    expect(result.reason).toMatch(/3 trials/);
    // and gives up waiting, with a reason, when a worker stays silent but is never taken as lost
    const patient = await Study.open({
      storage: new MemoryStorage(),
      name: 'p',
      objective: 'loss',
      oracle: new RandomSearchOracle(),
      staleAfterMs: 60_000,
    });
    await patient.optimize(quadratic, { maxTrials: 1 });
    await patient.storage.startTrial(patient.id, 'far-away:8:slow', () => ({
      kind: 'create',
      params: { x: 0, y: 0 },
    }));
    const gaveUp = await patient.optimize(quadratic, {
      maxTrials: 2,
      pollIntervalMs: 10,
      maxWaitMs: 100,
    });
    expect(gaveUp.reason).toMatch(/gave up waiting for 1 trial\(s\) running in other workers/);
  });

  it('rejects a study reopened with another objective, and bad options', async () => {
    const storage = new MemoryStorage();
    await newStudy({ storage });
    await expect(newStudy({ storage, objective: 'val_accuracy' })).rejects.toMatchObject({
      code: 'STUDY_OBJECTIVE_MISMATCH',
    });
    const study = await newStudy();
    await expect(study.optimize(quadratic, { maxTrials: 0 })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      field: 'maxTrials',
    });
  });
});
