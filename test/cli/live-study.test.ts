/**
 * A study in a folder the reader cannot write, while a search writes it and after: the reading
 * commands (studies, trials, best, dashboard) open SQLite read-only and see what the live search
 * committed; `search --overwrite` refuses to delete a study whose trials live workers run.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/index.js';
import { openStorage } from '../../src/index.js';
import { runCli, startCli, unprivilegedUser } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-live-'));
chmodSync(root, 0o755);
afterAll(() => {
  chmodSync(join(root, 'ro'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

const slow = 'test/cli/fixtures/slow-objective.ts';
const user = unprivilegedUser();
const as = user === undefined ? {} : { user };

async function trialsNow(url: string): Promise<Trial[]> {
  const storage = await openStorage(url, { readOnly: true });
  try {
    const study = await storage.loadStudy('live');
    return study === undefined ? [] : await storage.getTrials(study.id);
  } finally {
    await storage.close();
  }
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One line on stderr, with a code; exit 1; no stack. */
function expectOneErrorLine(result: { code: number | null; stderr: string }, code: string): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^hypertuner: .*\\[${code}\\]$`));
}

describe('a study in a folder the reader cannot write', () => {
  it('while a search writes it: trials sees the running and finished trials; --overwrite is refused', async () => {
    const dir = join(root, 'ro');
    mkdirSync(dir);
    const file = join(dir, 'live.db');
    const url = `sqlite:${file}`;
    const search = startCli(
      ['search', slow, '--storage', url, '--study', 'live', '--max-trials', '4', '--plain'],
      { TRIAL_DELAY_MS: '3000' },
    );
    await until('a trial completed and another runs', async () => {
      const trials = await trialsNow(url);
      return (
        trials.some((t) => t.status === 'COMPLETED') && trials.some((t) => t.status === 'RUNNING')
      );
    });
    // the searcher (root, or this user) keeps writing; the reader may not write there
    chmodSync(dir, 0o555);
    expect(readdirSync(dir).sort()).toEqual(['live.db', 'live.db-shm', 'live.db-wal']);
    // at once (trials take 3 s): a reader, and an overwrite under the running search
    const [live, overwrite] = await Promise.all([
      runCli(['trials', 'live', '--storage', url, '--json'], {}, as),
      runCli(
        ['search', slow, '--storage', url, '--study', 'live', '--max-trials', '4', '--overwrite'],
        { TRIAL_DELAY_MS: '0' },
      ),
    ]);
    expect(live.code, live.stderr).toBe(0);
    const seen = JSON.parse(live.stdout) as Trial[];
    expect(seen.some((t) => t.status === 'RUNNING')).toBe(true);
    expect(seen.some((t) => t.status === 'COMPLETED')).toBe(true);
    // the overwrite is refused, naming the trial and its worker
    expectOneErrorLine(overwrite, 'STUDY_IN_USE');
    expect(overwrite.stderr).toMatch(
      /Study 'live' has 1 trial running in live workers: trial \d+ \(worker [^)]+:\d+:[^)]+\).*add --force/,
    );
    const result = await search.done;
    expect(result.code, result.stderr).toBe(0);
    const finished = await trialsNow(url);
    expect(finished.filter((t) => t.status === 'COMPLETED')).toHaveLength(4);
  }, 120_000);

  it('after the search: studies, trials, best and the dashboard read it, creating nothing there', async () => {
    const dir = join(root, 'ro');
    const url = `sqlite:${join(dir, 'live.db')}`;
    // the search has closed the file: no -wal or -shm beside it, and none may be made
    expect(readdirSync(dir)).toEqual(['live.db']);
    const [studies, trials, best] = await Promise.all([
      runCli(['studies', '--storage', url], {}, as),
      runCli(['trials', 'live', '--storage', url, '--json'], {}, as),
      runCli(['best', 'live', '--storage', url, '--json'], {}, as),
    ]);
    for (const r of [studies, trials, best]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
    expect(studies.stdout).toMatch(/live .*│ 4 /);
    expect((JSON.parse(trials.stdout) as Trial[]).length).toBe(4);
    expect((JSON.parse(best.stdout) as Trial[])[0]?.status).toBe('COMPLETED');
    const dashboard = startCli(['dashboard', '--storage', url, '--port', '0'], {}, as);
    try {
      await dashboard.waitForStderr(/Ctrl\+C to stop/);
      const base = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(
        await new Promise<string>((resolve) => {
          let text = '';
          dashboard.child.stdout?.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\n')) resolve(text);
          });
        }),
      )?.[1];
      const body = (await (await fetch(`${base}api/studies`)).json()) as {
        studies: { name: string; total: number }[];
      };
      expect(body.studies).toEqual([expect.objectContaining({ name: 'live', total: 4 })]);
    } finally {
      dashboard.child.kill('SIGINT');
      await dashboard.done;
    }
    expect(readdirSync(dir)).toEqual(['live.db']);
    // a command that writes says why it cannot, naming the file
    const write = await runCli(
      ['search', slow, '--storage', url, '--study', 'other', '--max-trials', '1'],
      { TRIAL_DELAY_MS: '0' },
      as,
    );
    expectOneErrorLine(write, 'STORAGE_READ_ONLY');
    expect(write.stderr).toContain(`'${join(dir, 'live.db')}'`);
  }, 120_000);
});
