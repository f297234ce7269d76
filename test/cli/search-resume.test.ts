import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configurationKey, openStorage } from '../../src/index.js';
import type { Trial } from '../../src/index.js';
import { runCli, startCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slow = 'test/cli/fixtures/slow-objective.ts';
const grid = 'test/cli/fixtures/grid-objective.ts';

async function trialsOf(url: string, study: string): Promise<Trial[]> {
  const storage = await openStorage(url);
  try {
    const record = await storage.loadStudy(study);
    expect(record, `study ${study} exists`).toBeDefined();
    return await storage.getTrials(record?.id ?? -1);
  } finally {
    await storage.close();
  }
}

describe('search: crash and resume', () => {
  it('a study killed with SIGKILL mid-trial finishes with exactly maxTrials COMPLETED trials when run again', async () => {
    const url = `sqlite:${join(dir, 'kill.db')}`;
    const args = [
      'search',
      slow,
      '--storage',
      url,
      '--study',
      'kill',
      '--max-trials',
      '8',
      '--plain',
      '--seed',
      '3',
    ];
    const first = startCli(args);
    await first.waitForStderr(/COMPLETED/, 3);
    await new Promise((resolve) => setTimeout(resolve, 60)); // inside the next trial
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const before = await trialsOf(url, 'kill');
    expect(before.filter((t) => t.status === 'RUNNING')).toHaveLength(1);
    const completedBefore = before.filter((t) => t.status === 'COMPLETED');

    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    const after = await trialsOf(url, 'kill');
    const completed = after.filter((t) => t.status === 'COMPLETED');
    expect(completed).toHaveLength(8);
    // nothing lost: every trial completed before the crash is still there, unchanged
    for (const t of completedBefore) expect(after.find((a) => a.number === t.number)).toEqual(t);
    // none duplicated: distinct configurations, dense numbers
    expect(new Set(completed.map((t) => configurationKey(t.params))).size).toBe(8);
    expect(after.map((t) => t.number)).toEqual([...after.keys()]);
    // the interrupted trial was failed as lost and re-run with the same parameters
    const lost = after.filter((t) => t.status === 'FAILED');
    expect(lost).toHaveLength(1);
    expect(lost[0]?.error).toMatch(/worker lost/);
    const retry = completed.find((t) => t.retryOf === lost[0]?.number);
    expect(retry?.params).toEqual(lost[0]?.params);
  });

  it('two processes optimise one SQLite study at once: dense unique numbers, no repeated configuration, right total', async () => {
    const url = `sqlite:${join(dir, 'two.db')}`;
    const args = [
      'search',
      slow,
      '--storage',
      url,
      '--study',
      'two',
      '--max-trials',
      '24',
      '--plain',
    ];
    const env = { TRIAL_DELAY_MS: '40' };
    const [a, b] = await Promise.all([runCli(args, env), runCli(args, env)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const trials = await trialsOf(url, 'two');
    expect(trials).toHaveLength(24);
    expect(trials.map((t) => t.number)).toEqual([...Array(24).keys()]);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(24);
    // both processes did work
    expect(new Set(trials.map((t) => t.workerId?.split(':').slice(0, -1).join(':'))).size).toBe(2);
  });

  it('grid search visits every combination exactly once across a crash and a resume', async () => {
    const url = `sqlite:${join(dir, 'grid.db')}`;
    const args = [
      'search',
      grid,
      '--storage',
      url,
      '--study',
      'grid',
      '--tuner',
      'grid',
      '--plain',
    ];
    const first = startCli(args);
    await first.waitForStderr(/COMPLETED/, 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    first.child.kill('SIGKILL');
    await first.done;
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/all 12 grid configurations have been tried/);
    const completed = (await trialsOf(url, 'grid')).filter((t) => t.status === 'COMPLETED');
    const keys = completed.map((t) => configurationKey(t.params));
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
  });
});

describe('search --workers and worker', () => {
  it('--workers 2 runs trials in two processes sharing the study', async () => {
    const url = `sqlite:${join(dir, 'workers.db')}`;
    const result = await runCli(
      [
        'search',
        slow,
        '--storage',
        url,
        '--study',
        'w',
        '--max-trials',
        '10',
        '--workers',
        '2',
        '--plain',
      ],
      { TRIAL_DELAY_MS: '500' },
    );
    expect(result.code, result.stderr).toBe(0);
    const trials = await trialsOf(url, 'w');
    expect(trials.map((t) => t.number)).toEqual([...Array(10).keys()]);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    expect(new Set(trials.map((t) => t.workerId?.split(':')[1])).size).toBe(2);
  });

  it('worker joins an existing study and stops at its maxTrials', async () => {
    const url = `sqlite:${join(dir, 'join.db')}`;
    const first = await runCli(
      [
        'search',
        slow,
        '--storage',
        url,
        '--study',
        'j',
        '--max-trials',
        '6',
        '--timeout',
        '1',
        '--plain',
      ],
      { TRIAL_DELAY_MS: '400' },
    );
    expect(first.code, first.stderr).toBe(0);
    const partial = (await trialsOf(url, 'j')).length;
    expect(partial).toBeLessThan(6);
    const worker = await runCli(['worker', slow, '--storage', url, '--study', 'j', '--plain'], {
      TRIAL_DELAY_MS: '20',
    });
    expect(worker.code, worker.stderr).toBe(0);
    const trials = await trialsOf(url, 'j');
    expect(trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(6);
    const missing = await runCli(['worker', slow, '--storage', url, '--study', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No study called 'nope'/);
  });
});
