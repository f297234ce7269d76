import { describe, expect, it } from 'vitest';
import { MemoryStorage, Study } from '../../src/index.js';
import type { TrialContext } from '../../src/index.js';
import { createOracle } from '../../src/oracles/index.js';
import { runTrial } from '../../src/tuner/index.js';

describe('retry of a lost trial', () => {
  it('runs the configuration the lost run had, also where its proposal lacked parameters (define-by-run)', async () => {
    const storage = new MemoryStorage();
    const seen: Record<string, unknown>[] = [];
    let release: () => void = () => undefined;
    const hang = new Promise<void>((resolve) => (release = resolve));
    const objective = async ({ hp }: TrialContext): Promise<number> => {
      const values = {
        x: hp.Float('x', { min: 0, max: 1 }),
        n: hp.Int('n', { min: 1, max: 1000 }),
      };
      seen.push(values);
      if (seen.length === 1) await hang; // the first run's worker gets lost here
      return values.x;
    };
    const lost = await Study.open({
      storage,
      name: 's',
      objective: 'loss',
      oracle: createOracle('random'),
      workerId: 'far-away-host:1:lost',
    });
    const first = await lost.ask();
    if (first.kind !== 'trial') throw new Error('no trial');
    expect(first.trial.params).toEqual({}); // nothing declared yet: the run draws the values
    const running = runTrial(lost, first.trial, objective).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const other = await Study.open({
      storage,
      name: 's',
      oracle: createOracle('random'),
      staleAfterMs: 5,
      workerId: 'here:2:other',
    });
    await other.optimize(objective, { nTrials: 1 });
    const trials = await other.trials();
    expect(trials.map((t) => [t.status, t.retryOf])).toEqual([
      ['FAILED', undefined],
      ['COMPLETED', 0],
    ]);
    expect(seen[1]).toEqual(seen[0]);
    expect(trials[1]?.params).toEqual(seen[0]);
    release();
    await running;
  });
});

describe('a configuration whose worker is lost again and again', () => {
  it('is given up after maxRetriesPerTrial retries: FAILED "worker lost N times", and a new trial takes its place in the budget', async () => {
    const storage = new MemoryStorage();
    const open = (workerId: string) =>
      Study.open({
        storage,
        name: 's',
        objective: 'loss',
        oracle: createOracle('random', { seed: 4 }),
        staleAfterMs: 5,
        maxRetriesPerTrial: 1,
        workerId,
      });
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 20));
    const declare = (trial: TrialContext) => trial.hp.Float('x', { min: 0, max: 1 });
    // two workers on another host take the same configuration and are never heard of again
    const first = await (await open('far-away:1:a')).ask({ maxTrials: 3 });
    if (first.kind !== 'trial') throw new Error('no trial');
    declare(first.trial);
    await sleep();
    const second = await (await open('far-away:2:b')).ask({ maxTrials: 3 });
    if (second.kind !== 'trial') throw new Error('no trial');
    expect(second.trial.record.retryOf).toBe(0);
    await sleep();
    const last = await open('here:3:c');
    const result = await last.optimize(declare, { maxTrials: 3 });
    const trials = await last.trials();
    expect(trials.map((t) => t.status)).toEqual([
      'FAILED',
      'FAILED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
    ]);
    expect(trials[0]?.error).toMatch(
      /^worker lost: far-away:1:a stopped .*; re-queued \(retry 1 of 1\)$/,
    );
    expect(trials[1]?.error).toMatch(
      /^worker lost 2 times: far-away:2:b stopped .*; not retried again \(maxRetriesPerTrial 1\): a new trial takes its place$/,
    );
    expect(result.reason).toMatch(/the study has its 3 trials/);
    // the replacements are new configurations
    const keys = new Set(trials.map((t) => JSON.stringify(t.params)));
    expect(keys.size).toBe(4);
  });
});
