import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReport } from '../../src/cli/errors.js';
import { FatalError, HypertunerError, RandomSearchOracle, Study } from '../../src/index.js';
import type { Trial } from '../../src/index.js';
import { SqliteStorage } from '../../src/storage/index.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-inspect-'));
const url = `sqlite:${join(dir, 'inspect.db')}`;
let trials: Trial[] = [];

beforeAll(async () => {
  const study = await Study.open({
    storage: url,
    name: 'shop',
    objective: 'val_accuracy',
    oracle: new RandomSearchOracle({ seed: 5 }),
  });
  await study.optimize(
    ({ hp }) => {
      const units = hp.Int('units', { min: 16, max: 256, step: 16 });
      const act = hp.Choice('activation', ['relu', 'tanh']);
      if (units === 16) throw new Error('too small');
      return { val_accuracy: units / 256 - (act === 'tanh' ? 0.05 : 0) };
    },
    { maxTrials: 6, maxConsecutiveFailedTrials: 6 },
  );
  trials = await study.trials();
  await study.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: studies, trials, best', () => {
  it('studies lists the study with counts and best value', async () => {
    const table = await runCli(['studies', '--storage', url]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('shop');
    expect(table.stdout).toContain('val_accuracy (max)');
    const json = await runCli(['studies', '--storage', url, '--json']);
    const [summary] = JSON.parse(json.stdout) as {
      name: string;
      trialCounts: Record<string, number>;
      bestValue: number;
    }[];
    expect(summary?.name).toBe('shop');
    expect(summary?.trialCounts['COMPLETED']).toBe(
      trials.filter((t) => t.status === 'COMPLETED').length,
    );
    expect(summary?.bestValue).toBe(
      Math.max(...trials.filter((t) => t.status === 'COMPLETED').map((t) => t.values?.[0] ?? -1)),
    );
  });

  it('trials prints every trial of the study, as a table and as JSON', async () => {
    const table = await runCli(['trials', 'shop', '--storage', url]);
    expect(table.code, table.stderr).toBe(0);
    for (const t of trials) {
      expect(table.stdout).toMatch(new RegExp(`│ ${t.number} +│ ${t.status}`));
      expect(table.stdout).toContain(String(t.params['units']));
    }
    const json = JSON.parse(
      (await runCli(['trials', 'shop', '--storage', url, '--json'])).stdout,
    ) as Trial[];
    expect(json.map((t) => t.params)).toEqual(trials.map((t) => t.params));
  });

  it('best prints the best trial', async () => {
    const best = JSON.parse(
      (await runCli(['best', 'shop', '--storage', url, '--json'])).stdout,
    ) as Trial[];
    const expected = trials
      .filter((t) => t.status === 'COMPLETED')
      .sort((a, b) => (b.values?.[0] ?? 0) - (a.values?.[0] ?? 0))[0];
    expect(best[0]?.number).toBe(expected?.number);
  });

  it('trials --status filters by a status in any case and refuses an unknown one, listing the allowed', async () => {
    const failed = JSON.parse(
      (await runCli(['trials', 'shop', '--storage', url, '--status', 'failed', '--json'])).stdout,
    ) as Trial[];
    expect(failed.map((t) => t.number)).toEqual(
      trials.filter((t) => t.status === 'FAILED').map((t) => t.number),
    );
    const bad = await runCli(['trials', 'shop', '--storage', url, '--status', 'DONE']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      "hypertuner: --status must be one of WAITING, RUNNING, COMPLETED, PRUNED, FAILED, got 'DONE'. [OPTIONS_INVALID]\n",
    );
  });

  it('an unknown study is an error naming the studies there', async () => {
    const result = await runCli(['trials', 'nope', '--storage', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No study called 'nope'.*shop/);
  });
});

describe('CLI: reading commands never create a database', () => {
  it('studies on a missing SQLite file is an error naming the path, and creates nothing', async () => {
    const missing = join(dir, 'missing.db');
    const result = await runCli(['studies', '--storage', `sqlite:${missing}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No SQLite file at '.*missing\.db'/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(missing)).toBe(false);
  });
});

describe('CLI: error reports', () => {
  const systemError = Object.assign(
    new Error("ENOENT: no such file or directory, open 'x/p.svg'"),
    {
      code: 'ENOENT',
      syscall: 'open',
    },
  );

  it('expected conditions print one line; a bug keeps its stack; HYPERTUNER_DEBUG=1 shows every stack', () => {
    const known = new HypertunerError('OPTIONS_INVALID', '--port must be ...', { field: 'port' });
    expect(errorReport(known, false)).toBe('hypertuner: --port must be ... [OPTIONS_INVALID]');
    expect(errorReport(systemError, false)).toBe(
      "hypertuner: ENOENT: no such file or directory, open 'x/p.svg'",
    );
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(errorReport(bug, false)).toMatch(/internal error[^]*TypeError[^]*\n\s+at /);
    expect(errorReport(systemError, true)).toMatch(/open 'x\/p\.svg'\nError: ENOENT[^]*\n\s+at /);
    expect(errorReport(known, true)).toMatch(/\[OPTIONS_INVALID\]\nHypertunerError[^]*\n\s+at /);
    // a FatalError is the user's program stopping the search: no "bug in hypertuner"
    const fatal = errorReport(new FatalError('out of quota'), false);
    expect(fatal).toMatch(
      /^hypertuner: the program stopped the search \(FatalError\): FatalError: out of quota\n\s+at /,
    );
    expect(fatal).not.toMatch(/internal error/);
  });

  it('a SQLite error (locked, read-only, disk full: a code, no syscall) is one line, not a bug', async () => {
    // better-sqlite3's own SqliteError, as a database that cannot be written throws it
    const file = join(dir, 'read-only.db');
    new Database(file).close();
    const readOnly = new Database(file, { readonly: true });
    let error: unknown;
    try {
      readOnly.exec('CREATE TABLE t (x)');
    } catch (e) {
      error = e;
    } finally {
      readOnly.close();
    }
    expect(error).toMatchObject({ code: 'SQLITE_READONLY' });
    const report = errorReport(error, false);
    expect(report).toBe(
      'hypertuner: SQLite storage: attempt to write a readonly database [SQLITE_READONLY]',
    );
    expect(errorReport(error, true)).toMatch(/\[SQLITE_READONLY\]\nSqliteError[^]*\n\s+at /);
    // a lock still busy after the busy timeout is a storage error naming the file
    const storage = new SqliteStorage(join(dir, 'busy.db'), { busyTimeoutMs: 20 });
    const other = new Database(join(dir, 'busy.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const busy = await storage
        .createStudy({ name: 'x', objectives: [{ name: 'loss', direction: 'minimize' }] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(errorReport(busy, false)).toMatch(
        /^hypertuner: SQLite database '.*busy\.db' stayed locked .* \(20 ms\).* \[STORAGE_UNAVAILABLE\]$/,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await storage.close();
    }
  });
});
