import { describe, expect, it } from 'vitest';
import {
  BayesianOptimizationOracle,
  FailedTrialError,
  FatalError,
  GridSearchOracle,
  HypertunerError,
  MemoryStorage,
  RandomSearchOracle,
  Study,
} from '../../src/index.js';
import { configurationKey } from '../../src/space/index.js';
import type { RunningTrial, TrialContext } from '../../src/index.js';

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
    expect(gaveUp.reason).toMatch(/gave up waiting for 1 trial running in other workers/);
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

async function askTrial(study: Study): Promise<RunningTrial> {
  const next = await study.ask();
  if (next.kind !== 'trial') throw new Error(`no trial: ${next.reason}`);
  return next.trial;
}

const floatX = ({ hp }: TrialContext): number => (hp.Float('x', { min: 0, max: 1 }) - 0.3) ** 2;

describe('study: misuse and user errors never lose or corrupt trials', () => {
  it('overwrite without an objective throws before deleting anything', async () => {
    const storage = new MemoryStorage();
    await (await newStudy({ storage })).optimize(quadratic, { maxTrials: 3 });
    await expect(
      Study.open({ storage, name: 'test', overwrite: true, oracle: new RandomSearchOracle() }),
    ).rejects.toMatchObject({ code: 'OPTIONS_INVALID', field: 'objective' });
    expect(await (await newStudy({ storage })).trials()).toHaveLength(3);
  });

  it('two opens at the same moment with different objectives: the second is refused', async () => {
    const storage = new MemoryStorage();
    const results = await Promise.allSettled([
      newStudy({ storage, objective: 'loss' }),
      newStudy({ storage, objective: 'val_accuracy' }),
    ]);
    expect(results[0]?.status).toBe('fulfilled');
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { code: 'STUDY_OBJECTIVE_MISMATCH' },
    });
  });

  it('enqueue refuses values that do not fit the known parameters, naming them', async () => {
    const study = await Study.open({
      storage: new MemoryStorage(),
      name: 'q',
      objective: 'loss',
      oracle: new BayesianOptimizationOracle({ seed: 1 }),
    });
    await study.optimize(floatX, { maxTrials: 3 });
    for (const bad of [{ x: 'abc' }, { x: 1e6 }, { x: Infinity }, { x: NaN }]) {
      await expect(study.enqueue(bad)).rejects.toMatchObject({
        code: 'ENQUEUE_INVALID_VALUE',
        field: 'x',
        message: expect.stringContaining('float in [0, 1]'),
      });
    }
    await expect(study.enqueue({ x: 0.5, later: Infinity })).rejects.toMatchObject({
      code: 'ENQUEUE_INVALID_VALUE',
      field: 'later',
      message: expect.stringContaining('finite number, a string or a boolean'),
    });
    expect(await study.trials()).toHaveLength(3);
    await study.enqueue({ x: 0.5, later: 'fine' }); // an unknown name is a define-by-run parameter
    const result = await study.optimize(floatX, { maxTrials: 6 });
    expect(result.trialsRun).toBe(3);
    expect((await study.trials()).every((t) => t.status === 'COMPLETED')).toBe(true);
  });

  it('a queued value for a parameter not declared yet fails its trial if it does not fit; the study goes on', async () => {
    const study = await Study.open({
      storage: new MemoryStorage(),
      name: 'q',
      objective: 'loss',
      oracle: new BayesianOptimizationOracle({ seed: 1 }),
    });
    await study.enqueue({ x: 'abc' });
    await study.optimize(
      ({ hp }) => (typeof hp.Float('x', { min: 0, max: 1 }) === 'number' ? 0 : 1),
      {
        maxTrials: 5,
      },
    );
    const trials = await study.trials();
    expect(trials[0]?.status).toBe('FAILED');
    expect(trials[0]?.error).toMatch(
      /queued or fixed value "abc" of parameter 'x'.*float in \[0, 1\]/,
    );
    expect(trials.slice(1).map((t) => t.status)).toEqual(Array(4).fill('COMPLETED'));
  });

  it('maxTrials caps queued trials too: they count once they start', async () => {
    const study = await newStudy();
    for (let i = 0; i < 5; i++) await study.enqueue({ x: i / 10 });
    const result = await study.optimize(floatX, { maxTrials: 2 });
    expect(result.trialsRun).toBe(2);
    expect(result.reason).toMatch(/3 queued trials left waiting/);
    const trials = await study.trials();
    expect(trials.map((t) => t.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'WAITING',
      'WAITING',
      'WAITING',
    ]);
    expect((await study.optimize(floatX, { maxTrials: 4 })).trialsRun).toBe(2);
    expect((await study.trials()).map((t) => t.params['x'])).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  });

  it('tell: only FAILED and PRUNED are statuses; another status string is refused, a number is a metric', async () => {
    const study = await newStudy();
    const trial = await askTrial(study);
    for (const status of ['COMPLETED', 'failed']) {
      await expect(study.tell(trial, { status } as never)).rejects.toMatchObject({
        code: 'TELL_INVALID_STATUS',
        field: 'status',
        message: expect.stringContaining(`'FAILED' or 'PRUNED'`),
      });
    }
    expect((await study.storage.getTrial(trial.id))?.status).toBe('RUNNING');
    const told = await study.tell(trial, { loss: 1, status: 0 });
    expect(told).toMatchObject({
      status: 'COMPLETED',
      values: [1],
      metrics: { loss: 1, status: 0 },
    });
    // from an objective, a status string that is not a status fails the trial
    await study.optimize(() => ({ loss: 2, status: 'done' }) as never, { nTrials: 1 });
    const [, last] = await study.trials();
    expect(last?.status).toBe('FAILED');
    expect(last?.error).toMatch(/TELL_INVALID_STATUS|'FAILED' or 'PRUNED'/);
  });

  it('a storage that cannot be reached while a result is written leaves the trial RUNNING, not FAILED', async () => {
    // e.g. a PostgreSQL outage longer than the client's retries: the result is not the trial's fault
    class Unreachable extends MemoryStorage {
      /** Down for one write: the next one (e.g. after the server is back) goes through. */
      down = false;
      override finishTrial(...args: Parameters<MemoryStorage['finishTrial']>) {
        if (this.down) return this.outage();
        return super.finishTrial(...args);
      }
      override mergeSearchSpace(...args: Parameters<MemoryStorage['mergeSearchSpace']>) {
        if (this.down) return this.outage();
        return super.mergeSearchSpace(...args);
      }
      outage(): Promise<never> {
        this.down = false;
        return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      }
    }
    for (const failing of ['finishTrial', 'mergeSpace'] as const) {
      const storage = new Unreachable();
      const study = await newStudy({ storage });
      const objective = (context: TrialContext): number => {
        const value = quadratic(context);
        storage.down = true; // the outage starts while the objective runs
        return value;
      };
      if (failing === 'finishTrial') await study.optimize(quadratic, { nTrials: 1 }); // space known
      await expect(study.optimize(objective, { nTrials: 1 })).rejects.toThrow(/ECONNREFUSED/);
      storage.down = false;
      const last = (await study.trials()).at(-1);
      expect(last?.status, failing).toBe('RUNNING'); // reaped and re-run later, never FAILED
    }
  });

  it('parameters the storage refuses to keep fail the trial (stored with its proposed ones), never leave it RUNNING', async () => {
    class Refusing extends MemoryStorage {
      override finishTrial(...args: Parameters<MemoryStorage['finishTrial']>) {
        const [, result] = args;
        if (result.params !== undefined && 'x' in result.params)
          return Promise.reject(
            new HypertunerError('STORAGE_INVALID_VALUE', "Parameter 'x' cannot be kept.", {
              field: 'x',
            }),
          );
        return super.finishTrial(...args);
      }
    }
    const study = await newStudy({ storage: new Refusing() });
    const result = await study.optimize(floatX, { maxTrials: 1 });
    expect(result.trialsRun).toBe(1);
    const [trial] = await study.trials();
    expect(trial?.status).toBe('FAILED');
    expect(trial?.error).toMatch(/Recording the result threw[^]*cannot be kept/);
  });

  it('a name declared in two conditional scopes is stored active in both, its values kept', async () => {
    const study = await newStudy({ oracle: 'grid' });
    await study.optimize(
      ({ hp }) => {
        const model = hp.Choice('model', ['cnn', 'mlp']);
        let units = 0;
        hp.conditionalScope('model', ['cnn'], () => (units = hp.Int('units', { min: 1, max: 2 })));
        hp.conditionalScope('model', ['mlp'], () => (units = hp.Int('units', { min: 1, max: 2 })));
        return units + (model === 'mlp' ? 0 : 1);
      },
      { maxTrials: 10 },
    );
    expect((await study.refresh()).space.get('units')?.conditions).toEqual([
      { parentName: 'model', values: ['cnn', 'mlp'] },
    ]);
    const configurations = (await study.trials()).map((t) => configurationKey(t.params));
    // grid search: 2 models x 2 units, each once, the units of mlp trials kept
    expect(new Set(configurations).size).toBe(4);
    expect(
      (await study.trials())
        .filter((t) => t.params['model'] === 'mlp')
        .map((t) => t.params['units'])
        .sort(),
    ).toEqual([1, 2]);
  });

  it('tell PRUNED keeps the last finite reported value (training diverged to NaN)', async () => {
    const study = await newStudy();
    const trial = await askTrial(study);
    await study.report(trial, { step: 0, value: 0.9, metrics: { loss: 0.9 } });
    await study.report(trial, { step: 1, value: NaN, metrics: { loss: NaN } });
    expect(await study.tell(trial, { status: 'PRUNED' })).toMatchObject({
      status: 'PRUNED',
      values: [0.9],
      metrics: { loss: 0.9 },
    });
    const onlyNaN = await askTrial(study);
    await study.report(onlyNaN, { step: 0, value: NaN, metrics: { loss: NaN } });
    const pruned = await study.tell(onlyNaN, { status: 'PRUNED' });
    expect(pruned.status).toBe('PRUNED');
    expect(pruned.values).toBeUndefined();
  });

  it('a space conflict with another worker fails the trial instead of leaving it RUNNING', async () => {
    const storage = new MemoryStorage();
    const here = await newStudy({ storage });
    const elsewhere = await newStudy({ storage });
    await here.optimize(
      async ({ hp }) => {
        // meanwhile another worker stores 'u' with another range
        await elsewhere.optimize(({ hp: other }) => other.Int('u', { min: 1, max: 10 }), {
          nTrials: 1,
        });
        return hp.Int('u', { min: 1, max: 20 });
      },
      { nTrials: 1 },
    );
    const trials = await here.trials();
    expect(trials.map((t) => t.status)).toEqual(['FAILED', 'COMPLETED']);
    expect(trials[0]?.error).toMatch(/could not be added to the study's search space.*'u'/s);
  });

  it('a throwing onTrialStart callback fails that trial; the search goes on', async () => {
    const study = await newStudy();
    let starts = 0;
    await study.optimize(quadratic, {
      maxTrials: 3,
      callbacks: {
        onTrialStart: () => {
          if (starts++ === 1) throw new Error('bug in my progress callback');
        },
      },
    });
    const trials = await study.trials();
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'FAILED', 'COMPLETED']);
    expect(trials[1]?.error).toMatch(/onTrialStart callback threw.*bug in my progress callback/);
  });

  it('a thrown value without a text form, or a null result, fails the trial', async () => {
    const study = await newStudy();
    await study.optimize(
      () => {
        throw Object.create(null) as unknown;
      },
      { nTrials: 1 },
    );
    const trial = await askTrial(study);
    await study.tell(trial, null as never);
    const trials = await study.trials();
    expect(trials.map((t) => t.status)).toEqual(['FAILED', 'FAILED']);
    expect(trials[0]?.error).toMatch(/without a text form/);
    expect(trials[1]?.error).toMatch(/returned null/);
  });

  it('getBestTrials and friends take a whole number >= 1', async () => {
    const study = await newStudy();
    await study.optimize(quadratic, { maxTrials: 3 });
    for (const n of [-1, 0, 2.5]) {
      await expect(study.getBestTrials(n)).rejects.toMatchObject({
        code: 'OPTIONS_INVALID',
        field: 'n',
        message: expect.stringContaining('getBestTrials(n)'),
      });
    }
    await expect(study.resultsSummary(-1)).rejects.toMatchObject({ field: 'n' });
    await expect(study.getBestHyperparameters(1.5)).rejects.toMatchObject({ field: 'n' });
    expect(await study.getBestTrials(2)).toHaveLength(2);
  });
});
