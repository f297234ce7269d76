import { describe, expect, it } from 'vitest';
import {
  AutoOracle,
  HypertunerError,
  MemoryStorage,
  ORACLE_CHOICE_ATTR,
  RandomSearchOracle,
  Study,
} from '../../src/index.js';
import type { OracleDescription, TrialContext } from '../../src/index.js';

const objective = ({ hp }: TrialContext): number => {
  const x = hp.Float('x', { min: -2, max: 2 });
  const y = hp.Float('y', { min: -2, max: 2 });
  return x + y;
};

describe('constraints on a study', () => {
  it('keeps each completed trial’s constraint values and picks the best among feasible trials', async () => {
    const study = await Study.open({
      storage: new MemoryStorage(),
      name: 'constrained',
      objective: 'loss',
      oracle: new RandomSearchOracle({ seed: 2 }),
      // feasible only inside the unit disc: the unconstrained best (−4) is infeasible
      constraints: (trial) => [
        (trial.params.x as number) ** 2 + (trial.params.y as number) ** 2 - 1,
      ],
    });
    await study.optimize(objective, { maxTrials: 40 });
    const trials = await study.trials();
    for (const t of trials) {
      const [c] = t.userAttrs.constraints as number[];
      expect(c).toBeCloseTo((t.params.x as number) ** 2 + (t.params.y as number) ** 2 - 1, 12);
    }
    const feasible = trials.filter((t) => (t.userAttrs.constraints as number[])[0]! <= 0);
    const infeasibleBetter = trials.filter(
      (t) =>
        (t.userAttrs.constraints as number[])[0]! > 0 &&
        t.values![0]! < Math.min(...feasible.map((f) => f.values![0]!)),
    );
    expect(infeasibleBetter.length).toBeGreaterThan(0); // the test means something
    const [best] = await study.getBestTrials();
    expect(best?.values![0]).toBe(Math.min(...feasible.map((t) => t.values![0]!)));
  });

  it('gets the completed trial, and fails the trial when the function throws or returns no list of numbers', async () => {
    const seen: unknown[] = [];
    let mode: 'ok' | 'throw' | 'nan' | 'number' = 'ok';
    const study = await Study.open({
      storage: new MemoryStorage(),
      name: 'bad-constraints',
      objective: 'loss',
      oracle: new RandomSearchOracle({ seed: 1 }),
      constraints: (trial) => {
        seen.push({ status: trial.status, values: trial.values, metrics: trial.metrics });
        if (mode === 'throw') throw new Error('no constraint today');
        if (mode === 'nan') return [0, Number.NaN];
        if (mode === 'number') return 3 as unknown as number[];
        return [-1];
      },
    });
    const run = async (): Promise<string | undefined> => {
      const next = await study.ask();
      if (next.kind !== 'trial') throw new Error(next.kind);
      return (await study.tell(next.trial, { loss: 0.5, accuracy: 0.9 })).error;
    };
    expect(await run()).toBeUndefined();
    expect(seen[0]).toEqual({
      status: 'COMPLETED',
      values: [0.5],
      metrics: { loss: 0.5, accuracy: 0.9 },
    });
    mode = 'throw';
    expect(await run()).toMatch(/^The constraints function threw: Error: no constraint today\n/);
    mode = 'nan';
    expect(await run()).toMatch(/list of finite numbers.*returned \[0, NaN\]/);
    mode = 'number';
    expect(await run()).toMatch(/returned 3\.$/);
    const statuses = (await study.trials()).map((t) => t.status);
    expect(statuses).toEqual(['COMPLETED', 'FAILED', 'FAILED', 'FAILED']);
    // a FAILED or PRUNED result is not given to the function
    const next = await study.ask();
    if (next.kind !== 'trial') throw new Error(next.kind);
    await study.tell(next.trial, { status: 'PRUNED' });
    expect(seen).toHaveLength(4);
  });

  it('rejects constraints that are not a function, naming the field', async () => {
    let error: unknown;
    try {
      await Study.open({
        storage: new MemoryStorage(),
        name: 'x',
        objective: 'loss',
        constraints: [1, 2] as never,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HypertunerError);
    expect((error as HypertunerError).code).toBe('OPTIONS_INVALID');
    expect((error as HypertunerError).field).toBe('constraints');
  });
});

describe('a study without an oracle', () => {
  it('gets an AutoOracle, and keeps its choice and reason in the study attributes and callbacks', async () => {
    const storage = new MemoryStorage();
    const study = await Study.open({ storage, name: 'auto', objective: 'loss', seed: 3 });
    expect(study.oracle).toBeInstanceOf(AutoOracle);
    expect(study.userAttrs.oracle).toBe('auto');
    const choices: OracleDescription[] = [];
    await study.optimize(objective, {
      maxTrials: 8,
      callbacks: { onOracleChoice: (c) => choices.push(c) },
    });
    // first the space is unknown (define-by-run), then two parameters: Bayesian optimisation
    expect(choices.map((c) => c.oracle)).toEqual(['bayesian', 'bayesian']);
    expect(choices[0]?.reason).toContain('define-by-run');
    expect(choices[1]?.reason).toContain('2 parameters, fewer than 200 trials finished');
    const stored = (await storage.loadStudy('auto'))!.userAttrs[ORACLE_CHOICE_ATTR];
    expect(stored).toEqual({ oracle: 'bayesian', reason: choices[1]?.reason });
    const trials = await study.trials();
    expect(trials.every((t) => t.oracleAttrs.auto_oracle === 'bayesian')).toBe(true);
  });
});
