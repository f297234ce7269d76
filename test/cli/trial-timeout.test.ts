/**
 * `--trial-timeout` with an objective that ignores its abort signal and never settles, with and
 * without a timer left in the event loop; and Ctrl+C in two steps.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { storedTrials } from '../helpers/stored-trials.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-timeout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hang = 'test/cli/fixtures/hang-objective.mjs';
const slow = 'test/cli/fixtures/slow-objective.ts';

describe('search --trial-timeout', () => {
  it('an objective that never settles, nothing else in the event loop: 3 trials FAILED "timed out", within 15 s', async () => {
    const url = `sqlite:${join(dir, 'no-timer.db')}`;
    const started = Date.now();
    const result = await runCli([
      ...['search', hang, '--storage', url, '--study', 'h', '--max-trials', '3'],
      ...['--trial-timeout', '2', '--plain'],
    ]);
    expect(Date.now() - started).toBeLessThan(15_000);
    const trials = await storedTrials(url, 'h');
    expect(trials.map((t) => t.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    for (const t of trials)
      expect(t.error).toMatch(/^timed out after 2 s; the objective ignored its abort signal/);
    // three failures in a row: the search says so, after the progress lines, and exits 1
    expect(result.stderr).toMatch(/^Trial 3\/3: #2 FAILED in 2\.\ds \(timed out after 2 s;/m);
    expect(result.stderr).toMatch(/\[TOO_MANY_FAILED_TRIALS\]\n$/);
    expect(result.code).toBe(1);
  });

  it('the same with a timer left running, in two processes: each worker process whose trial overran is replaced', async () => {
    const url = `sqlite:${join(dir, 'timer.db')}`;
    const started = Date.now();
    const result = await runCli(
      [
        ...['search', hang, '--storage', url, '--study', 't', '--max-trials', '3'],
        ...['--trial-timeout', '2', '--workers', '2', '--plain'],
      ],
      { HANG_WITH_TIMER: '1' },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const trials = await storedTrials(url, 't');
    expect(trials.map((t) => t.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    for (const t of trials) expect(t.error).toMatch(/^timed out after 2 s/);
    // a worker process that abandoned a trial took no other: a new process took its place
    const mainPid = /\[pid (\d+)\]/.exec(result.stderr.match(/^Trial .*$/m)?.[0] ?? '');
    const byProcess = new Map<string, number>();
    for (const t of trials) {
      const pid = t.workerId?.split(':')[1] ?? '';
      byProcess.set(pid, (byProcess.get(pid) ?? 0) + 1);
    }
    expect(mainPid).not.toBeNull();
    const others = [...byProcess].filter(([pid]) => pid !== mainPid?.[1]);
    for (const [, n] of others) expect(n).toBe(1);
    expect(
      result.code === 0 || /\[TOO_MANY_FAILED_TRIALS\]\n$/.test(result.stderr),
      result.stderr,
    ).toBe(true);
  });
});

describe('an objective that overruns without --trial-timeout, or in a lone worker', () => {
  it('a promise that can never settle is reported instead of a silent exit code 13; the trial is left for a resume', async () => {
    const url = `sqlite:${join(dir, 'never.db')}`;
    const result = await runCli([
      ...['search', hang, '--storage', url, '--study', 'n', '--max-trials', '2', '--plain'],
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^hypertuner: Trial #0's objective returned a promise that can never settle: .* give --trial-timeout <seconds> to fail such trials and go on\. \[OBJECTIVE_NEVER_SETTLES\]$/m,
    );
    expect((await storedTrials(url, 'n')).map((t) => t.status)).toEqual(['RUNNING']);
  });

  it('a worker started by hand stops after a trial whose objective ignored the abort, saying why', async () => {
    const url = `sqlite:${join(dir, 'lone.db')}`;
    const created = await runCli(['create', 'w', '--storage', url, '--objective', 'loss']);
    expect(created.code, created.stderr).toBe(0);
    const worker = await runCli(
      [
        ...['worker', hang, '--storage', url, '--study', 'w', '--max-trials', '5'],
        ...['--trial-timeout', '1', '--plain'],
      ],
      { HANG_WITH_TIMER: '1' },
    );
    expect(worker.code).toBe(1);
    expect(worker.stderr).toMatch(
      /hypertuner: Trial #0 ran past --trial-timeout and its objective ignored the abort signal \(it still runs in this process\); this worker stops so that a fresh process can take its place: start it again\. \[TRIAL_OVERRAN\]\n$/,
    );
    expect((await storedTrials(url, 'w')).map((t) => t.status)).toEqual(['FAILED']);
  });
});

describe('Ctrl+C, or SIGTERM from a supervisor', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: the first says at once what it does; the second stops at once, and a resume runs the interrupted trial again',
    async (signal) => {
      const url = `sqlite:${join(dir, `${signal}.db`)}`;
      const args = [
        ...['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'search', slow],
        ...['--storage', url, '--study', 'c', '--max-trials', '3', '--plain'],
      ];
      const child = spawn(process.execPath, args, {
        cwd: repoRoot,
        env: { ...process.env, TRIAL_DELAY_MS: '30000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        const deadline = Date.now() + 30_000;
        while (
          !(await storedTrials(url, 'c').catch(() => [])).some((t) => t.status === 'RUNNING')
        ) {
          if (Date.now() > deadline) throw new Error('no trial started');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        child.kill(signal);
        const asked = Date.now();
        while (!stderr.includes('Stopping')) {
          if (Date.now() - asked > 3000) throw new Error(`no word after ${signal}: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(stderr).toContain(
          'Stopping: finishing 1 running trial, starting no new one; Ctrl+C again to stop now.',
        );
        child.kill(signal);
        expect(await exited).toBe(130);
        expect(Date.now() - asked).toBeLessThan(5000); // not the 30 s of the trial
        expect(stderr).toContain('Stopped now: trials left RUNNING are run again');
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      const left = await storedTrials(url, 'c');
      expect(left.map((t) => t.status)).toEqual(['RUNNING']);
      const resumed = await runCli(
        ['search', slow, '--storage', url, '--study', 'c', '--max-trials', '3', '--plain'],
        { TRIAL_DELAY_MS: '5' },
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/^Resuming study 'c': 0 of 3 trials done, 1 running$/m);
      const trials = await storedTrials(url, 'c');
      expect(trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(3);
      const retry = trials.find((t) => t.retryOf === 0);
      expect(retry?.status).toBe('COMPLETED');
      expect(retry?.params).toMatchObject(trials[0]?.params ?? {});
      // the counter never passed the budget
      for (const m of resumed.stderr.matchAll(/^Trial (\d+)\/(\d+):/gm))
        expect(Number(m[1])).toBeLessThanOrEqual(3);
    },
  );
});
