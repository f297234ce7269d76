/**
 * Overwriting a study deletes its trials: refused while live workers run some (they would die
 * with TRIAL_NOT_FOUND), allowed when those workers are gone, or with `force`.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, RandomSearchOracle, Study } from '../../src/index.js';

const oracle = new RandomSearchOracle({ seed: 3 });

/** Opens study 'busy' again with `overwrite: true` and `options`. */
function overwrite(
  storage: MemoryStorage,
  options: { readonly force?: boolean; readonly staleAfterMs?: number } = {},
): Promise<Study> {
  return Study.open({
    storage,
    name: 'busy',
    objective: 'loss',
    oracle,
    overwrite: true,
    ...options,
  });
}

async function studyWithRunningTrial(storage: MemoryStorage, workerId?: string): Promise<Study> {
  const study = await Study.open({
    storage,
    name: 'busy',
    objective: 'loss',
    oracle,
    ...(workerId === undefined ? {} : { workerId }),
  });
  await study.optimize(({ hp }) => hp.Float('x', { min: 0, max: 1 }), { nTrials: 2 });
  const next = await study.ask();
  expect(next.kind).toBe('trial');
  return study;
}

describe('overwrite of a study with running trials', () => {
  it('is refused while their worker is alive, naming the trial and the worker; nothing is deleted', async () => {
    const storage = new MemoryStorage();
    const running = await studyWithRunningTrial(storage);
    const error = await overwrite(storage).catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({ code: 'STUDY_IN_USE', field: 'overwrite' });
    expect((error as Error).message).toContain(`trial 2 (worker ${running.workerId})`);
    expect((error as Error).message).toMatch(/force: true.*nothing was deleted/);
    expect((await running.trials()).map((t) => t.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'RUNNING',
    ]);
    // with force: deleted
    const fresh = await overwrite(storage, { force: true });
    expect(await fresh.trials()).toEqual([]);
  });

  it("goes ahead when the running trial is a lost worker's (no heartbeat for staleAfterMs)", async () => {
    const storage = new MemoryStorage();
    await studyWithRunningTrial(storage, 'another-host:4242:gone');
    await new Promise((resolve) => setTimeout(resolve, 60));
    const fresh = await overwrite(storage, { staleAfterMs: 50 });
    expect(await fresh.trials()).toEqual([]);
  });
});
