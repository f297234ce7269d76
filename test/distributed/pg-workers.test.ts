/**
 * Many `hypertuner worker` processes on one PostgreSQL study: every trial run exactly once,
 * also across a restart of the database server.
 */
import { describe, expect, it } from 'vitest';
import { usePostgresServer } from '../helpers/postgres-server.js';
import {
  createStudy,
  expectAllExitCleanly,
  expectExactlyOnce,
  startWorker,
  waitUntil,
  watch,
} from './cluster.js';

const postgres = usePostgresServer();

describe('hypertuner worker on PostgreSQL', () => {
  it('8 worker processes run a 400-trial study: 400 COMPLETED, numbers 0..399 once each, no configuration twice', async () => {
    const url = await postgres().createDatabase('eight');
    await createStudy(url, 'eight', 400);
    const started = Date.now();
    const workers = Array.from({ length: 8 }, () =>
      startWorker(url, 'eight', { env: { TRIAL_DELAY_MS: '5' } }),
    );
    await expectAllExitCleanly(workers);
    const seconds = (Date.now() - started) / 1000;
    const study = await watch(url, 'eight');
    const trials = await study.trials();
    await study.close();
    expect(trials).toHaveLength(400);
    expectExactlyOnce(trials, 400);
    // the work was shared: most workers ran trials (they start one by one on a busy machine)
    const byWorker = new Set(trials.map((t) => t.workerId));
    expect(byWorker.size).toBeGreaterThanOrEqual(4);
    console.info(
      `8 workers, 400 trials: ${seconds.toFixed(1)} s, ${byWorker.size} workers ran trials`,
    );
  }, 120_000);

  it('workers reconnect after the server restarts mid-search, and the study completes with nothing lost', async () => {
    const url = await postgres().createDatabase('restart');
    const maxTrials = 150;
    await createStudy(url, 'restart', maxTrials);
    const study = await watch(url, 'restart');
    const workers = Array.from({ length: 4 }, () =>
      startWorker(url, 'restart', { env: { TRIAL_DELAY_MS: '20' } }),
    );
    await waitUntil(
      async () => (await study.trials()).filter((t) => t.status === 'COMPLETED').length >= 30,
      '30 trials completed',
    );
    const before = (await study.trials()).filter((t) => t.status === 'COMPLETED');
    await postgres().restart({ downMs: 1500 });
    await expectAllExitCleanly(workers);
    const trials = await study.trials();
    await study.close();
    const { lost } = expectExactlyOnce(trials, maxTrials);
    expect(lost).toHaveLength(0);
    for (const t of before) expect(trials[t.number]).toEqual(t);
  }, 120_000);
});
