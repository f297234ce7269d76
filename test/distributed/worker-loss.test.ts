/**
 * Lost workers on PostgreSQL: a worker killed mid-trial (same host: its process is gone) and
 * a worker on "another host" whose heartbeat stops (SIGSTOP; its id names another host, so
 * only the heartbeat age tells). Its trial is failed as lost and re-run exactly once, even
 * with several workers reaping at the same time, and a late result of the lost worker does
 * not count.
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

describe('lost workers on PostgreSQL', () => {
  it('a worker killed with SIGKILL mid-trial: its trial is re-run by another worker and counted once', async () => {
    const url = await postgres().createDatabase('kill');
    const maxTrials = 40;
    await createStudy(url, 'kill', maxTrials);
    const study = await watch(url, 'kill');
    // trials long enough that the one seen RUNNING is still running when the kill lands, even on
    // a loaded machine (the kill follows the poll that saw it by a few hundred ms at worst)
    const env = { TRIAL_DELAY_MS: '1000' };
    const victim = startWorker(url, 'kill', { env });
    const others = [startWorker(url, 'kill', { env }), startWorker(url, 'kill', { env })];
    const mark = `:${victim.child.pid}:`;
    let victimTrial = -1;
    await waitUntil(async () => {
      const trials = await study.trials();
      const running = trials.find(
        (t) => t.status === 'RUNNING' && t.workerId?.includes(mark) === true,
      );
      if (running === undefined || trials.filter((t) => t.status === 'COMPLETED').length < 5)
        return false;
      victimTrial = running.number;
      return true;
    }, 'the victim runs a trial after 5 completed');
    victim.child.kill('SIGKILL');
    expect((await victim.done).signal).toBe('SIGKILL');
    await expectAllExitCleanly(others);
    const trials = await study.trials();
    await study.close();
    const { lost } = expectExactlyOnce(trials, maxTrials);
    // the trial seen running, or (if the kill came late) the victim's next one: never an earlier one
    expect(lost).toHaveLength(1);
    expect(lost[0]?.number).toBeGreaterThanOrEqual(victimTrial);
    expect(lost[0]?.workerId).toContain(mark);
    const retry = trials.find((t) => t.retryOf === lost[0]?.number);
    expect(retry?.status).toBe('COMPLETED');
    expect(retry?.workerId).not.toContain(mark);
  }, 120_000);

  it('a worker on another host whose heartbeat stops is reaped after --stale-after, its trial re-run once although 4 workers reap', async () => {
    const url = await postgres().createDatabase('stale');
    const maxTrials = 30;
    await createStudy(url, 'stale', maxTrials);
    const study = await watch(url, 'stale');
    const remoteId = 'other-host.example:4242:remote';
    const remote = startWorker(url, 'stale', {
      args: ['--worker-id', remoteId, '--stale-after', '2', '--heartbeat', '0.3'],
      env: { TRIAL_DELAY_MS: '1500' },
    });
    let remoteTrial = -1;
    await waitUntil(async () => {
      const running = (await study.trials()).find(
        (t) => t.status === 'RUNNING' && t.workerId === remoteId,
      );
      remoteTrial = running?.number ?? -1;
      return running !== undefined;
    }, 'the remote worker runs a trial');
    remote.child.kill('SIGSTOP'); // alive, but silent: no heartbeat, no result
    const stoppedAt = Date.now();
    const reapers = Array.from({ length: 4 }, () =>
      startWorker(url, 'stale', { args: ['--stale-after', '2'], env: { TRIAL_DELAY_MS: '30' } }),
    );
    await expectAllExitCleanly(reapers);
    const reaped = (await study.trials())[remoteTrial];
    expect(reaped?.status).toBe('FAILED');
    expect(reaped?.error).toMatch(/worker lost: other-host\.example:4242:remote/);
    // not before its heartbeat was 2 s old
    expect((reaped?.finishedAt ?? 0) - (reaped?.heartbeatAt ?? 0)).toBeGreaterThanOrEqual(2000);
    expect((reaped?.finishedAt ?? 0) - stoppedAt).toBeLessThan(30_000);
    // the lost worker wakes up, finds its trial taken, and stops: its late result does not count
    remote.child.kill('SIGCONT');
    const late = await remote.done;
    expect(late.code, late.stderr).toBe(0);
    const trials = await study.trials();
    await study.close();
    const { lost } = expectExactlyOnce(trials, maxTrials);
    expect(lost.map((t) => t.number)).toEqual([remoteTrial]);
    expect(trials[remoteTrial]).toEqual(reaped);
  }, 120_000);
});
