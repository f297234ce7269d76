import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/index.js';
import { configurationKey } from '../../src/space/index.js';
import type { Trial } from '../../src/index.js';
import { repoRoot, runCli, startCli } from '../helpers/run-cli.js';
import { storedTrials } from '../helpers/stored-trials.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slow = 'test/cli/fixtures/slow-objective.ts';
const grid = 'test/cli/fixtures/grid-objective.ts';
const twoObjectives = 'test/cli/fixtures/two-objective.ts';
const constrained = 'test/cli/fixtures/constrained-objective.ts';

async function trialsOf(url: string, study: string): Promise<Trial[]> {
  const trials = await storedTrials(url, study);
  expect(trials.length, `study ${study} has trials`).toBeGreaterThan(0);
  return trials;
}

/** The trials of a study, or none while its SQLite file or the study does not exist yet. */
async function trialsSoFar(url: string, study: string): Promise<Trial[]> {
  return existsSync(url.slice('sqlite:'.length)) ? storedTrials(url, study) : [];
}

async function waitUntil(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
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
    const env = { TRIAL_DELAY_MS: '40', RENDEZVOUS_DIR: join(dir, 'two-started') };
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

describe('search resumed', () => {
  it("keeps the study's tuner and seed unless the flags give others, which it then keeps", async () => {
    const url = `sqlite:${join(dir, 'keep.db')}`;
    const env = { TRIAL_DELAY_MS: '1' };
    const search = (study: string, ...extra: string[]) =>
      runCli(['search', grid, '--storage', url, '--study', study, '--plain', ...extra], env);
    const keys = async (study: string) =>
      (await trialsOf(url, study)).map((t) => configurationKey(t.params)).sort();
    const oracleOf = async (study: string) => {
      const storage = await openStorage(url);
      try {
        return (await storage.loadStudy(study))?.userAttrs['oracle'];
      } finally {
        await storage.close();
      }
    };
    // grid search for 3 trials, resumed without --tuner up to 6: still grid search, so the
    // same 6 configurations as an uninterrupted grid search of 6
    expect((await search('kept', '--tuner', 'grid', '--max-trials', '3')).code).toBe(0);
    const resumed = await search('kept', '--max-trials', '6');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await search('straight', '--tuner', 'grid', '--max-trials', '6')).code).toBe(0);
    expect(await keys('kept')).toHaveLength(6);
    expect(await keys('kept')).toEqual(await keys('straight'));
    expect(await oracleOf('kept')).toBe('grid');
    // another tuner given on resume: it is used, and kept for the next resume and workers
    expect((await search('kept', '--tuner', 'random', '--max-trials', '7')).code).toBe(0);
    expect(await oracleOf('kept')).toBe('random');
  });
});

describe('search with the default tuner and a program with constraints', () => {
  it('says which oracle auto picked and why, keeps the constraint values, and the best is feasible', async () => {
    const url = `sqlite:${join(dir, 'auto.db')}`;
    const result = await runCli([
      ...['search', constrained, '--storage', url, '--study', 'c', '--max-trials', '12'],
      ...['--plain', '--json'],
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^Oracle: bayesian \(2 parameters, fewer than 200 trials finished: /m,
    );
    const trials = await trialsOf(url, 'c');
    const storage = await openStorage(url);
    try {
      const attrs = (await storage.loadStudy('c'))?.userAttrs;
      expect(attrs?.['oracle']).toBe('auto');
      expect(attrs?.['oracle_choice']).toMatchObject({ oracle: 'bayesian' });
    } finally {
      await storage.close();
    }
    const violation = (t: Trial): number => (t.userAttrs['constraints'] as number[])[0] as number;
    expect(trials.every((t) => typeof violation(t) === 'number')).toBe(true);
    const best = (JSON.parse(result.stdout) as { best: Trial }).best;
    const feasible = trials.filter((t) => violation(t) <= 0);
    expect(best.values?.[0]).toBe(Math.min(...feasible.map((t) => t.values?.[0] ?? Infinity)));
  });
});

describe('search --json', () => {
  it('prints the Pareto front as `best` for a study with several objectives', async () => {
    const url = `sqlite:${join(dir, 'pareto.db')}`;
    const result = await runCli([
      ...['search', twoObjectives, '--storage', url, '--study', 'p', '--max-trials', '8'],
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { reason: string; best: Trial[] };
    const best = JSON.parse(
      (await runCli(['best', 'p', '--storage', url, '--json'])).stdout,
    ) as Trial[];
    expect(printed.reason).toMatch(/8 trials/);
    expect(Array.isArray(printed.best)).toBe(true);
    expect(printed.best.map((t) => t.number)).toEqual(best.map((t) => t.number));
    expect(best.length).toBeGreaterThan(1);
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
    // the progress counts the worker's trials too: each trial once, up to 10/10
    const shown = [...result.stderr.matchAll(/^Trial (\d+)\/10: #(\d+) /gm)];
    expect(shown.map((m) => Number(m[1]))).toEqual([...Array(10).keys()].map((i) => i + 1));
    expect(shown.map((m) => Number(m[2])).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });

  it('hands the storage to its workers in their environment, not on their command line (ps shows that)', async () => {
    const path = join(dir, 'hidden.db');
    const url = `sqlite:${path}`;
    const search = startCli(
      [
        ...['search', slow, '--storage', url, '--study', 'h', '--max-trials', '6'],
        '--workers',
        '2',
      ],
      { TRIAL_DELAY_MS: '800' },
    );
    let workerPid = 0;
    await waitUntil('a trial runs in the worker process', async () => {
      const pids = (await trialsSoFar(url, 'h')).map((t) => Number(t.workerId?.split(':')[1]));
      workerPid = pids.find((pid) => pid !== search.child.pid) ?? 0;
      return workerPid > 0;
    });
    const commandLine = readFileSync(`/proc/${workerPid}/cmdline`, 'utf8').split('\0');
    const environment = readFileSync(`/proc/${workerPid}/environ`, 'utf8').split('\0');
    expect(commandLine).toContain('worker');
    expect(commandLine.join(' ')).not.toContain(path);
    expect(environment).toContain(`HYPERTUNER_STORAGE=${url}`);
    expect((await search.done).code).toBe(0);
    // and $HYPERTUNER_STORAGE is every command's default --storage
    const listed = await runCli(['studies', '--json'], { HYPERTUNER_STORAGE: url });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('"h"');
  });

  it('Ctrl+C (SIGINT to the whole process group) stops search --workers 2 with no trial left RUNNING', async () => {
    const url = `sqlite:${join(dir, 'ctrl-c.db')}`;
    // a terminal's Ctrl+C signals every process of the foreground group: the search and its workers
    const child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'search', slow],
        ...['--storage', url, '--study', 'c', '--max-trials', '40', '--workers', '2', '--plain'],
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TRIAL_DELAY_MS: '1500' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitUntil('both processes run a trial', async () => {
        const running = (await trialsSoFar(url, 'c')).filter((t) => t.status === 'RUNNING');
        return new Set(running.map((t) => t.workerId)).size === 2;
      });
      process.kill(-(child.pid ?? 0), 'SIGINT');
      expect(await exited, stderr).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-(child.pid ?? 0), 'SIGKILL');
    }
    const trials = await trialsOf(url, 'c');
    expect(trials.filter((t) => t.status === 'RUNNING')).toEqual([]);
    // both interrupted trials were finished, not lost
    expect(trials.filter((t) => t.status === 'FAILED')).toEqual([]);
    expect(new Set(trials.map((t) => t.workerId)).size).toBe(2);
  });

  it('a study resumed with a higher --max-trials and --workers 2 runs the new trials in both processes', async () => {
    const url = `sqlite:${join(dir, 'raise.db')}`;
    const base = ['search', slow, '--storage', url, '--study', 'r', '--plain'];
    const first = await runCli([...base, '--max-trials', '2'], { TRIAL_DELAY_MS: '20' });
    expect(first.code, first.stderr).toBe(0);
    const firstWorkers = new Set((await trialsOf(url, 'r')).map((t) => t.workerId));
    const second = await runCli([...base, '--max-trials', '12', '--workers', '2'], {
      TRIAL_DELAY_MS: '500',
    });
    expect(second.code, second.stderr).toBe(0);
    const trials = await trialsOf(url, 'r');
    expect(trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(12);
    const newWorkers = new Set(trials.slice(2).map((t) => t.workerId));
    expect([...newWorkers].filter((w) => firstWorkers.has(w))).toEqual([]);
    expect(newWorkers.size).toBe(2);
    // the new total is the study's now: a worker joining later, or a resume, keeps to it
    const again = await runCli([...base, '--workers', '2']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/the study has its 12 trials/);
    expect(await trialsOf(url, 'r')).toHaveLength(12);
  });

  it('--workers > 1 with memory: storage is refused up front, naming --workers and --storage', async () => {
    const result = await runCli([
      ...['search', slow, '--storage', 'memory:', '--max-trials', '2', '--workers', '2'],
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'hypertuner: --workers 2 needs a storage that every worker process can open: sqlite:path.db or postgres://...; --storage memory: lives in one process only (or give --workers 1). [OPTIONS_INVALID]',
    );
    expect(result.stdout).toBe('');
    // the example's worker processes too
    const example = await runCli(['example', '--storage', 'memory:', '--workers', '2']);
    expect(example.code).toBe(1);
    expect(example.stderr).toMatch(
      /^hypertuner: --workers 2 needs a storage .*\[OPTIONS_INVALID\]\n$/,
    );
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
    expect(missing.stderr).toMatch(/No study called 'nope'.*; studies there: j\./);
    expect(missing.stderr).not.toMatch(/objective/); // worker has no option to give one
  });

  it("an objective that differs from the study's points to --overwrite, the CLI option", async () => {
    const url = `sqlite:${join(dir, 'mismatch.db')}`;
    const base = ['search', slow, '--storage', url, '--study', 'm', '--max-trials', '1'];
    const first = await runCli(base, { TRIAL_DELAY_MS: '1' });
    expect(first.code, first.stderr).toBe(0);
    const other = await runCli([...base, '--objective', 'accuracy', '--direction', 'maximize']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /use another study name or --overwrite \(which deletes its trials\)/,
    );
    expect(other.stderr).not.toContain('overwrite: true');
  });
});
