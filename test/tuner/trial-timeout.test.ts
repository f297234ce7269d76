/**
 * `trialTimeoutMs`: the trial's signal is aborted with a TimeoutError when its time is up, the
 * trial ends FAILED "timed out after N s" (retried only with maxRetriesPerTrial), and the search
 * goes on, also when the objective ignores its signal (it is then reported as abandoned).
 * `stopSignal` starts no new trial but lets the running one finish; `signal` aborts it too.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, RandomSearchOracle, Study } from '../../src/index.js';
import type { TrialContext } from '../../src/index.js';
import type { TrialEndInfo } from '../../src/tuner/index.js';

async function openStudy(name: string): Promise<Study> {
  return Study.open({
    storage: new MemoryStorage(),
    name,
    objective: 'loss',
    oracle: new RandomSearchOracle({ seed: 2 }),
  });
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });

describe('trialTimeoutMs', () => {
  it('aborts the signal of a trial that runs too long, fails it "timed out", and goes on', async () => {
    const study = await openStudy('t');
    const reasons: unknown[] = [];
    const ends: TrialEndInfo[] = [];
    const result = await study.optimize(
      async ({ hp, number, signal }: TrialContext) => {
        const x = hp.Float('x', { min: 0, max: 1 });
        signal.addEventListener('abort', () => reasons.push(signal.reason));
        await sleep(number === 1 ? 10_000 : 5, signal); // trial 1 is too slow
        return x;
      },
      { maxTrials: 3, trialTimeoutMs: 150, callbacks: { onTrialEnd: (_t, _b, i) => ends.push(i) } },
    );
    const trials = await study.trials();
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'FAILED', 'COMPLETED']);
    expect(trials[1]?.error).toBe('timed out after 0.2 s');
    expect(reasons).toHaveLength(1);
    expect((reasons[0] as DOMException).name).toBe('TimeoutError');
    expect(result.reason).toMatch(/has its 3 trials/);
    // it heeded its signal: nothing goes on in the background
    expect(ends.map((e) => e.abandoned)).toEqual([false, false, false]);
    expect(ends.map((e) => e.done)).toEqual([1, 2, 3]);
  });

  it('an objective that ignores its signal and never settles: FAILED, reported abandoned, the search goes on', async () => {
    const study = await openStudy('never');
    const ends: boolean[] = [];
    const started = Date.now();
    await study.optimize(
      ({ hp, number }: TrialContext) => {
        const x = hp.Float('x', { min: 0, max: 1 });
        return number === 0 ? new Promise<number>(() => undefined) : x;
      },
      {
        maxTrials: 2,
        trialTimeoutMs: 100,
        callbacks: { onTrialEnd: (_t, _b, info) => ends.push(info.abandoned) },
      },
    );
    const trials = await study.trials();
    expect(trials.map((t) => t.status)).toEqual(['FAILED', 'COMPLETED']);
    expect(trials[0]?.error).toBe(
      'timed out after 0.1 s; the objective ignored its abort signal and still runs',
    );
    expect(ends).toEqual([true, false]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('is retried only when maxRetriesPerTrial asks for it', async () => {
    const study = await openStudy('retry');
    let runs = 0;
    await study.optimize(
      async ({ hp, signal }: TrialContext) => {
        runs++;
        const x = hp.Float('x', { min: 0, max: 1 });
        await sleep(runs === 1 ? 10_000 : 1, signal); // the first run times out, the retry not
        return x;
      },
      { nTrials: 1, trialTimeoutMs: 100, maxRetriesPerTrial: 1 },
    );
    expect(runs).toBe(2);
    expect((await study.trials()).map((t) => t.status)).toEqual(['COMPLETED']);
  });

  it('refuses a time limit that is not a positive number', async () => {
    const study = await openStudy('bad');
    await expect(study.optimize(() => 1, { trialTimeoutMs: 0 })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      field: 'trialTimeoutMs',
    });
  });
});

describe('stopping a search', () => {
  it('stopSignal lets the running trial finish; signal aborts it', async () => {
    for (const hard of [false, true]) {
      const study = await openStudy(hard ? 'hard' : 'soft');
      const stop = new AbortController();
      let aborted = false;
      await study.optimize(
        async ({ hp, signal }: TrialContext) => {
          const x = hp.Float('x', { min: 0, max: 1 });
          stop.abort();
          await sleep(30);
          aborted = signal.aborted;
          return x;
        },
        hard ? { maxTrials: 5, signal: stop.signal } : { maxTrials: 5, stopSignal: stop.signal },
      );
      expect(aborted).toBe(hard);
      expect((await study.trials()).map((t) => t.status)).toEqual(['COMPLETED']);
    }
  });
});
