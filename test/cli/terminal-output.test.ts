/**
 * What the CLI prints of a study (names, parameter values, error texts, summaries) never drives
 * the terminal: control characters and bidirectional overrides are shown escaped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchSpace } from '../../src/space/index.js';
import { SqliteStorage, terminalText } from '../../src/storage/index.js';
import { formatResultsSummary } from '../../src/tuner/index.js';
import { trialRecord } from '../helpers/trial-record.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { seedStudy } from '../helpers/seed-study.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-terminal-'));
const file = join(dir, 'hostile.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a terminal would act on: ESC, other C0 and C1 controls, bidirectional overrides. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

beforeAll(async () => {
  const storage = new SqliteStorage(file);
  const study = await seedStudy(storage, 'plain', 2, (i) => ({
    act: i === 0 ? 'relu\u001b[2J\u001b[31m' : 'tanh\u202egnp.exe',
  }));
  const outcome = await storage.startTrial(study.id, 'w\u0007', () => ({
    kind: 'create',
    params: { act: 'elu' },
  }));
  if (outcome.kind === 'started')
    await storage.finishTrial(outcome.trial.id, {
      status: 'FAILED',
      error: 'Error: \u001b]0;pwned\u0007title\u009b31m',
    });
  await storage.close();
  // a name from before names were checked (they can no longer be made)
  const db = new Database(file);
  db.prepare("UPDATE studies SET name = ? WHERE name = 'plain'").run('evil\u001b[31m\u001b[1A');
  db.close();
});

describe('CLI output of hostile stored strings', () => {
  it('studies, trials and best show control characters escaped', async () => {
    const name = 'evil\u001b[31m\u001b[1A';
    const results = [
      await runCliInProcess(['studies', '--storage', file]),
      await runCliInProcess(['trials', name, '--storage', file]),
      await runCliInProcess(['best', name, '--storage', file]),
    ];
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(RAW_CONTROL);
    }
    const [studies, trials] = results;
    expect(studies?.stdout).toContain('evil\\x1b[31m\\x1b[1A');
    expect(trials?.stdout).toContain('relu\\x1b[2J\\x1b[31m');
    expect(trials?.stdout).toContain('tanh\\u202egnp.exe');
    expect(trials?.stdout).toContain('Error: \\x1b]0;pwned\\x07title\\x9b31m');
    // an error naming the study: one line, escaped too
    const missing = await runCliInProcess(['trials', 'nope\u001b[31m', '--storage', file]);
    expect(missing.stderr).not.toMatch(RAW_CONTROL);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the results summary (printed at the end of a search) shows them escaped too', () => {
    const record = {
      id: 1,
      name: 'old\u001b[31mname',
      objectives: [{ name: 'lo\u001bss', direction: 'minimize' as const }],
      space: new SearchSpace(),
      createdAt: 0,
      userAttrs: {},
    };
    const summary = formatResultsSummary(
      record,
      [trialRecord(0, { params: { 'a\u009bb': 'c\u202ed' }, values: [1] })],
      1,
    );
    expect(summary).not.toMatch(RAW_CONTROL);
    expect(summary).toContain('Study: old\\x1b[31mname');
    expect(summary).toContain('a\\x9bb: c\\u202ed');
  });

  it('terminalText keeps newlines only when asked, and makes lone surrogates U+FFFD', () => {
    expect(terminalText('a\nb\tc\u001bd')).toBe('a\\x0ab\\x09c\\x1bd');
    expect(terminalText('a\nb', { lines: true })).toBe('a\nb');
    expect(terminalText('x\ud800y')).toBe('x\ufffdy');
    expect(terminalText('plain, ünïcode 😀')).toBe('plain, ünïcode 😀');
  });
});
