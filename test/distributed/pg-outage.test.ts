/**
 * A PostgreSQL server that goes away for good: every process of `search --workers N` (the
 * main one too, which also follows the workers' trials) ends within the retry time with one
 * STORAGE_UNAVAILABLE line, instead of waiting for the server to come back.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startPostgresServer } from '../helpers/postgres-server.js';
import { startCli } from '../helpers/run-cli.js';
import { program, waitUntil, watch } from './cluster.js';

/** The pids of the `hypertuner worker` processes `parent` started. */
function workersOf(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-f', ' worker '], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('search --workers N on PostgreSQL when the server stays down', () => {
  it('the main process and every worker end within the retry time with STORAGE_UNAVAILABLE', async () => {
    const server = await startPostgresServer();
    try {
      const retrySeconds = 4;
      const search = startCli(
        [
          'search',
          program,
          '--study',
          'outage',
          '--workers',
          '3',
          '--max-trials',
          '100000',
          '--plain',
        ],
        {
          HYPERTUNER_STORAGE: server.url,
          HYPERTUNER_PG_RETRY_SECONDS: String(retrySeconds),
          TRIAL_DELAY_MS: '50',
        },
      );
      // every process has the study open and runs trials
      await waitUntil(async () => {
        const handle = await watch(server.url, 'outage').catch(() => undefined);
        await handle?.close();
        return handle !== undefined;
      }, 'the study is created');
      const study = await watch(server.url, 'outage');
      await waitUntil(
        async () => new Set((await study.trials()).map((t) => t.workerId)).size >= 3,
        'three processes ran trials',
      );
      await study.close();
      const workers = workersOf(search.child.pid ?? -1);
      expect(workers.length).toBe(2);
      const down = Date.now();
      await server.stop();
      const result = await search.done;
      const seconds = (Date.now() - down) / 1000;
      console.info(
        `search --workers 3 ended ${seconds.toFixed(1)} s after the server stopped (retry time ${retrySeconds} s)`,
      );
      // the retry time, plus the processes' own exit; not the retry time again for each of
      // the operations left after the first failure (reading, telling, the workers' trials)
      expect(seconds).toBeLessThan(retrySeconds + 3);
      expect(result.code).toBe(1);
      const errors = result.stderr.split('\n').filter((l) => l.startsWith('hypertuner:'));
      expect(errors.length).toBeGreaterThanOrEqual(1);
      for (const line of errors) expect(line).toMatch(/\[STORAGE_UNAVAILABLE\]$/);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      for (const pid of workers) expect(isAlive(pid), `worker ${pid} still running`).toBe(false);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
