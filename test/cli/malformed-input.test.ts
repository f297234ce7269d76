/**
 * Malformed input, one table: search spaces, objective results, flags, program modules, storage
 * URLs and database files (not a database, truncated, a newer schema, read-only, damaged rows).
 * Each case must end the command with exactly one error line on stderr, `hypertuner: ...
 * [CODE]` with the expected code, no stack, no "internal error", and a non-zero exit. The
 * cases run in this process (`main` called with stdout and stderr captured); those that need
 * another user run as one batch in one process of that user.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  truncateSync,
  writeFileSync,
  copyFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/index.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { seedStudy } from '../helpers/seed-study.js';
import type { CliResult } from '../helpers/run-cli.js';
import { unprivilegedUser } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-malformed-'));
chmodSync(root, 0o755);
afterAll(() => {
  for (const dir of ['ro-dir']) chmodSync(join(root, dir), 0o755);
  rmSync(root, { recursive: true, force: true });
});

const at = (name: string): string => join(root, name);

/** Programs: an objective whose body is `body` (a function of `{ hp }`), or a whole module. */
const PROGRAMS: Readonly<Record<string, string>> = {
  ok: 'export default ({ hp }) => hp.Float("x", { min: 0, max: 1 });',
  'space-min-max': 'export default ({ hp }) => hp.Int("units", { min: 64, max: 16 });',
  'space-step': 'export default ({ hp }) => hp.Float("lr", { min: 0, max: 1, step: 0 });',
  'space-log': 'export default ({ hp }) => hp.Float("lr", { min: 0, max: 1, sampling: "log" });',
  'space-empty-choice': 'export default ({ hp }) => (hp.Choice("act", []), 0);',
  'space-mixed-choice': 'export default ({ hp }) => (hp.Choice("act", ["relu", 3]), 0);',
  'space-duplicate-choice': 'export default ({ hp }) => (hp.Choice("act", ["relu", "relu"]), 0);',
  'space-default': 'export default ({ hp }) => hp.Int("n", { min: 1, max: 4, default: 9 });',
  'space-redeclared':
    'export default ({ hp }) => (hp.Int("n", { min: 1, max: 4 }), hp.Float("n", { min: 0, max: 1 }));',
  'space-not-integer': 'export default ({ hp }) => hp.Int("n", { min: 1.5, max: 4 });',
  'space-not-finite': 'export default ({ hp }) => hp.Float("x", { min: 0, max: Infinity });',
  'space-sampling':
    'export default ({ hp }) => hp.Float("x", { min: 1, max: 2, sampling: "cubic" });',
  'space-name': 'export default ({ hp }) => hp.Float("", { min: 0, max: 1 });',
  'space-parent':
    'export default ({ hp }) => hp.Float("x", { min: 0, max: 1, parentName: "nope", parentValues: [1] });',
  'space-get': 'export default ({ hp }) => hp.get("never-declared");',
  'result-string': 'export default ({ hp }) => (hp.Float("x", { min: 0, max: 1 }), "0.5");',
  'result-nan': 'export default ({ hp }) => (hp.Float("x", { min: 0, max: 1 }), NaN);',
  'result-undefined': 'export default ({ hp }) => { hp.Float("x", { min: 0, max: 1 }); };',
  'result-no-metric':
    'export default ({ hp }) => (hp.Float("x", { min: 0, max: 1 }), { accuracy: 1 });',
  'result-two-values': 'export default ({ hp }) => (hp.Float("x", { min: 0, max: 1 }), [1, 2]);',
  'result-infinity': 'export default ({ hp }) => (hp.Float("x", { min: 0, max: 1 }), -Infinity);',
  'result-metric-text':
    'export default ({ hp }) => (hp.Float("x", { min: 0, max: 1 }), { value: "low" });',
  'result-throws':
    'export default ({ hp }) => { hp.Float("x", { min: 0, max: 1 }); throw new Error("boom\\nsecond line"); };',
  'result-throws-string': 'export default () => { throw "a string"; };',
  'result-throws-null-proto': 'export default () => { throw Object.create(null); };',
  'result-rejects': 'export default async () => Promise.reject(new TypeError("async boom"));',
  'result-nul': 'export default () => { throw new Error("nul \\u0000 here \\u001b[31m"); };',
  'module-no-default': 'export const objective = () => 1;',
  'module-number': 'export default 42;',
  'module-throws': 'throw new Error("cannot start: missing config");\nexport default () => 1;',
  'module-syntax': 'export default ({ hp } => {',
  'module-no-run': 'export default { objective: "loss" };',
  'module-bad-objective': 'export default { objective: 42, run: () => 1 };',
};

const program = (name: string): string => at(`${name}.mjs`);

interface Case {
  readonly what: string;
  readonly args: readonly string[];
  readonly code: string;
  readonly env?: Readonly<Record<string, string>>;
  /** The error line must also match this. */
  readonly says?: RegExp;
}

/** A search on a fresh in-memory study. */
const search = (name: string, ...extra: string[]): string[] => [
  'search',
  program(name),
  '--storage',
  'memory:',
  '--max-trials',
  '4',
  '--plain',
  ...extra,
];

const CASES: readonly Case[] = [
  // search spaces: the declaration's mistake, at once, with its code
  {
    what: 'Int min > max',
    args: search('space-min-max'),
    code: 'SPACE_MIN_GREATER_THAN_MAX',
    says: /units/,
  },
  { what: 'step 0', args: search('space-step'), code: 'SPACE_INVALID_STEP' },
  { what: 'log sampling from 0', args: search('space-log'), code: 'SPACE_LOG_NEEDS_POSITIVE_MIN' },
  { what: 'no choices', args: search('space-empty-choice'), code: 'SPACE_EMPTY_CHOICES' },
  { what: 'mixed choices', args: search('space-mixed-choice'), code: 'SPACE_MIXED_CHOICE_TYPES' },
  {
    what: 'a choice twice',
    args: search('space-duplicate-choice'),
    code: 'SPACE_DUPLICATE_CHOICE',
  },
  {
    what: 'default out of range',
    args: search('space-default'),
    code: 'SPACE_DEFAULT_OUT_OF_RANGE',
  },
  { what: 'a name redeclared', args: search('space-redeclared'), code: 'SPACE_REDECLARED' },
  { what: 'Int bounds not whole', args: search('space-not-integer'), code: 'SPACE_NOT_INTEGER' },
  { what: 'an infinite bound', args: search('space-not-finite'), code: 'SPACE_NOT_FINITE' },
  { what: 'an unknown sampling', args: search('space-sampling'), code: 'SPACE_INVALID_SAMPLING' },
  { what: 'an empty name', args: search('space-name'), code: 'SPACE_INVALID_NAME' },
  { what: 'an unknown parent', args: search('space-parent'), code: 'SPACE_UNKNOWN_PARENT' },
  { what: 'hp.get of nothing', args: search('space-get'), code: 'SPACE_UNKNOWN_PARAMETER' },
  // objective results: each trial FAILED with the reason, the search stopped after 3
  ...[
    ['a string', 'result-string', /returned the string "0\.5"/],
    ['NaN', 'result-nan', /is NaN, not a finite number/],
    ['undefined', 'result-undefined', /returned undefined/],
    ['no objective metric', 'result-no-metric', /has no metric 'value'/],
    ['two values for one objective', 'result-two-values', /2 values for 1 objective/],
    ['-Infinity', 'result-infinity', /is -Infinity/],
    ['a metric that is text', 'result-metric-text', /metric 'value' is the string "low"/],
    ['an Error with two lines', 'result-throws', /Error: boom \(the whole error text/],
    ['a thrown string', 'result-throws-string', /a string/],
    ['a thrown value without text', 'result-throws-null-proto', /without a text form/],
    ['a rejected promise', 'result-rejects', /TypeError: async boom/],
    // stored with U+FFFD for the NUL (every storage), shown with ESC escaped
    ['an error with NUL and ESC', 'result-nul', /nul \ufffd here \\x1b\[31m/],
  ].map(([what, name, says]) => ({
    what: `objective result: ${String(what)}`,
    args: search(String(name)),
    code: 'TOO_MANY_FAILED_TRIALS',
    says: says as RegExp,
  })),
  // flags
  {
    what: '--max-trials 0',
    args: search('ok', '--max-trials', '0'),
    code: 'OPTIONS_INVALID',
    says: /--max-trials/,
  },
  { what: '--max-trials abc', args: search('ok', '--max-trials', 'abc'), code: 'OPTIONS_INVALID' },
  {
    what: '--workers 0',
    args: search('ok', '--workers', '0'),
    code: 'OPTIONS_INVALID',
    says: /--workers/,
  },
  {
    what: '--workers 2 on memory:',
    args: search('ok', '--workers', '2'),
    code: 'OPTIONS_INVALID',
    says: /one process only/,
  },
  {
    what: '--seed -1',
    args: search('ok', '--seed', '-1'),
    code: 'OPTIONS_INVALID',
    says: /--seed/,
  },
  { what: '--tuner nope', args: search('ok', '--tuner', 'nope'), code: 'ORACLE_UNKNOWN' },
  {
    what: '--direction up',
    args: search('ok', '--direction', 'up'),
    code: 'OPTIONS_INVALID',
    says: /--direction/,
  },
  {
    what: '--timeout 0',
    args: search('ok', '--timeout', '0'),
    code: 'OPTIONS_INVALID',
    says: /--timeout/,
  },
  {
    what: '--heartbeat longer than --stale-after',
    args: search('ok', '--heartbeat', '10', '--stale-after', '5'),
    code: 'OPTIONS_INVALID',
    says: /--heartbeat/,
  },
  { what: '--stale-after -1', args: search('ok', '--stale-after', '-1'), code: 'OPTIONS_INVALID' },
  { what: '--retries -1', args: search('ok', '--retries', '-1'), code: 'OPTIONS_INVALID' },
  { what: '--executions 0', args: search('ok', '--executions', '0'), code: 'OPTIONS_INVALID' },
  {
    what: '--force without --overwrite',
    args: search('ok', '--force'),
    code: 'OPTIONS_INVALID',
    says: /--force/,
  },
  {
    what: 'an unknown option',
    args: search('ok', '--nope'),
    code: 'OPTIONS_INVALID',
    says: /--nope/,
  },
  { what: 'an unknown command', args: ['serach', 'x'], code: 'OPTIONS_INVALID', says: /serach/ },
  { what: 'no program', args: ['search'], code: 'OPTIONS_INVALID', says: /program/ },
  {
    what: 'worker without --study',
    args: ['worker', program('ok')],
    code: 'OPTIONS_INVALID',
    says: /--study/,
  },
  {
    what: 'an empty --worker-id',
    args: ['worker', program('ok'), '--study', 's', '--storage', 'memory:', '--worker-id', ' '],
    code: 'OPTIONS_INVALID',
  },
  {
    what: 'a --worker-id with a control character',
    args: [
      'worker',
      program('ok'),
      '--study',
      's',
      '--storage',
      'memory:',
      '--worker-id',
      'w\u0007',
    ],
    code: 'OPTIONS_INVALID',
    says: /--worker-id must not contain control characters/,
  },
  {
    what: 'a study name of spaces',
    args: search('ok', '--study', '   '),
    code: 'STUDY_INVALID_NAME',
    says: /only spaces/,
  },
  {
    what: 'a study name with ESC',
    args: search('ok', '--study', 'a\u001b[2Jb'),
    code: 'STUDY_INVALID_NAME',
    says: /"a\\u001b\[2Jb"/,
  },
  {
    what: 'a study name of 600 characters',
    args: search('ok', '--study', 'n'.repeat(600)),
    code: 'STUDY_INVALID_NAME',
  },
  {
    what: 'trials --status DONE',
    args: ['trials', 'x', '--storage', at('good.db'), '--status', 'DONE'],
    code: 'OPTIONS_INVALID',
  },
  {
    what: 'best -n 0',
    args: ['best', 'shop', '--storage', at('good.db'), '-n', '0'],
    code: 'OPTIONS_INVALID',
  },
  {
    what: 'dashboard --port 70000',
    args: ['dashboard', '--storage', at('good.db'), '--port', '70000'],
    code: 'OPTIONS_INVALID',
  },
  {
    what: 'dashboard --allowed-host with a scheme',
    args: [
      'dashboard',
      '--storage',
      at('good.db'),
      '--port',
      '0',
      '--allowed-host',
      'http://x.example',
    ],
    code: 'OPTIONS_INVALID',
    says: /--allowed-host/,
  },
  {
    what: 'plot --kind pie',
    args: ['plot', 'shop', '--storage', at('good.db'), '--kind', 'pie', '--out', at('p.svg')],
    code: 'CHART_INVALID_KIND',
  },
  {
    what: 'trials of no such study',
    args: ['trials', 'nope', '--storage', at('good.db')],
    code: 'STUDY_NOT_FOUND',
    says: /shop/,
  },
  // program modules
  { what: 'a program that does not exist', args: search('missing'), code: 'PROGRAM_INVALID' },
  {
    what: 'a program without a default export',
    args: search('module-no-default'),
    code: 'PROGRAM_INVALID',
  },
  { what: 'a program exporting a number', args: search('module-number'), code: 'PROGRAM_INVALID' },
  {
    what: 'a program that throws when loaded',
    args: search('module-throws'),
    code: 'PROGRAM_INVALID',
    says: /missing config/,
  },
  { what: 'a program with a syntax error', args: search('module-syntax'), code: 'PROGRAM_INVALID' },
  { what: 'a program without run', args: search('module-no-run'), code: 'PROGRAM_INVALID' },
  {
    what: 'a program whose objective is a number',
    args: search('module-bad-objective'),
    code: 'OBJECTIVE_INVALID',
  },
  {
    what: 'a folder as the program',
    args: ['search', root, '--storage', 'memory:'],
    code: 'PROGRAM_INVALID',
  },
  // storage URLs
  {
    what: 'mysql://',
    args: search('ok', '--storage', 'mysql://h/db'),
    code: 'STORAGE_INVALID_URL',
  },
  {
    what: 'postgres://::::@@@/',
    args: search('ok', '--storage', 'postgres://::::@@@/'),
    code: 'STORAGE_INVALID_URL',
  },
  {
    what: 'postgres:// with port 99999',
    args: ['studies', '--storage', 'postgres://u:secret@h:99999/db'],
    code: 'STORAGE_INVALID_URL',
    says: /u:\*\*\*@/,
  },
  {
    what: 'sqlite: without a path',
    args: ['studies', '--storage', 'sqlite:'],
    code: 'STORAGE_INVALID_URL',
  },
  {
    what: 'a .txt file',
    args: ['studies', '--storage', 'studies.txt'],
    code: 'STORAGE_INVALID_URL',
  },
  {
    what: '$HYPERTUNER_STORAGE not a URL',
    args: ['studies'],
    env: { HYPERTUNER_STORAGE: 'nope://x' },
    code: 'STORAGE_INVALID_URL',
  },
  {
    what: 'a SQLite file that does not exist',
    args: ['studies', '--storage', at('typo.db')],
    code: 'STORAGE_NOT_FOUND',
  },
  {
    what: 'PostgreSQL where nothing listens',
    args: ['studies', '--storage', 'postgres://postgres@127.0.0.1:9/db'],
    code: 'STORAGE_UNAVAILABLE',
    says: /Cannot connect/,
  },
  {
    what: '$HYPERTUNER_PG_RETRY_SECONDS not a number',
    args: ['studies', '--storage', 'postgres://postgres@127.0.0.1:9/db'],
    env: { HYPERTUNER_PG_RETRY_SECONDS: 'soon' },
    code: 'OPTIONS_INVALID',
  },
  // database files
  {
    what: 'studies on a text file',
    args: ['studies', '--storage', at('notes.db')],
    code: 'STORAGE_NOT_A_DATABASE',
  },
  {
    what: 'search on a text file',
    args: search('ok', '--storage', at('notes.db')),
    code: 'STORAGE_NOT_A_DATABASE',
  },
  {
    what: 'studies on a truncated file',
    args: ['studies', '--storage', at('truncated.db')],
    code: 'STORAGE_CORRUPT',
  },
  {
    what: 'search on a truncated file',
    args: search('ok', '--storage', at('truncated.db')),
    code: 'STORAGE_CORRUPT',
  },
  {
    what: 'studies on a newer schema',
    args: ['studies', '--storage', at('future.db')],
    code: 'STORAGE_SCHEMA_TOO_NEW',
  },
  {
    what: 'search on a newer schema',
    args: search('ok', '--storage', at('future.db')),
    code: 'STORAGE_SCHEMA_TOO_NEW',
  },
  {
    what: 'studies on a folder',
    args: ['studies', '--storage', `sqlite:${at('folder.db')}`],
    code: 'STORAGE_OPEN_FAILED',
  },
  {
    what: 'search on a folder',
    args: search('ok', '--storage', `sqlite:${at('folder.db')}`),
    code: 'STORAGE_OPEN_FAILED',
  },
  {
    what: 'search on a database of something else',
    args: search('ok', '--storage', at('shop-app.db')),
    code: 'STORAGE_NOT_A_DATABASE',
  },
  {
    what: 'trials with a damaged row',
    args: ['trials', 'shop', '--storage', at('damaged.db')],
    code: 'STORAGE_CORRUPT',
    says: /trial 1: params/,
  },
  {
    what: 'trials --json with a damaged row',
    args: ['trials', 'shop', '--storage', at('damaged.db'), '--json'],
    code: 'STORAGE_CORRUPT',
  },
  {
    what: 'best with a damaged row',
    args: ['best', 'shop', '--storage', at('damaged.db')],
    code: 'STORAGE_CORRUPT',
    says: /the best of the others/,
  },
  {
    what: 'search resuming a damaged study',
    args: [
      'search',
      program('ok'),
      '--storage',
      at('damaged.db'),
      '--study',
      'shop',
      '--max-trials',
      '9',
      '--plain',
    ],
    code: 'STORAGE_CORRUPT',
  },
  {
    what: 'studies with a damaged study',
    args: ['studies', '--storage', at('damaged.db')],
    code: 'STORAGE_CORRUPT',
    says: /"broken": objectives/,
  },
  {
    what: 'trials of a damaged study',
    args: ['trials', 'broken', '--storage', at('damaged.db')],
    code: 'STORAGE_CORRUPT',
  },
];

/** Lines of progress a search prints on stderr (not errors). */
const PROGRESS = /^([Tt]rial \d+|Search ended|Resuming study|Study '.*': no trial limit|Oracle: )/;

/** Checks a result: one error line with `code`, no stack, no internal error, exit 1. */
function expectOneErrorLine(what: string, result: CliResult, code: string, says?: RegExp): void {
  const where = `${what}:\n${result.stderr}`;
  expect(result.code, where).toBe(1);
  expect(result.stderr, where).not.toMatch(/internal error/);
  expect(result.stderr, where).not.toMatch(/^\s+at /m);
  const lines = result.stderr.split('\n').filter((l) => l !== '' && !PROGRESS.test(l));
  expect(lines, where).toHaveLength(1);
  expect(lines[0], where).toMatch(/^hypertuner: .+ \[[A-Z_]+\]$/);
  expect(lines[0], where).toMatch(new RegExp(`\\[${code}\\]$`));
  if (says !== undefined) expect(lines[0], where).toMatch(says);
}

beforeAll(async () => {
  for (const [name, text] of Object.entries(PROGRAMS)) writeFileSync(program(name), `${text}\n`);
  writeFileSync(at('notes.db'), 'These are my notes, not a database. '.repeat(50));
  mkdirSync(at('folder.db'));
  const foreign = new Database(at('shop-app.db'));
  foreign.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
  foreign.close();
  // a study database; copies of it truncated, from the future, damaged
  const storage = new SqliteStorage(at('good.db'));
  await seedStudy(storage, 'shop', 120, (i) => ({ x: i / 120, note: 'n'.repeat(100) }));
  await storage.createStudy({
    name: 'broken',
    objectives: [{ name: 'value', direction: 'minimize' }],
  });
  await storage.close();
  copyFileSync(at('good.db'), at('truncated.db'));
  truncateSync(at('truncated.db'), Math.floor(statSync(at('truncated.db')).size / 2));
  copyFileSync(at('good.db'), at('future.db'));
  const future = new Database(at('future.db'));
  future.prepare('INSERT INTO schema_version (version) VALUES (99)').run();
  future.close();
  copyFileSync(at('good.db'), at('damaged.db'));
  const damaged = new Database(at('damaged.db'));
  damaged.prepare("UPDATE trials SET params = '{x: oops' WHERE number = 1").run();
  damaged.prepare("UPDATE studies SET objectives = 'min' WHERE name = 'broken'").run();
  damaged.close();
}, 60_000);

describe('malformed input: one error line with a code, no stack, a non-zero exit', () => {
  it(`has at least 60 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.what, async () => {
      const result = await runCliInProcess(c.args, c.env ?? {});
      expectOneErrorLine(c.what, result, c.code, c.says);
    });
  }

  it('the damaged rows: trials lists the readable ones and marks the damaged one', async () => {
    const result = await runCliInProcess(['trials', 'shop', '--storage', at('damaged.db')]);
    expect(result.stdout).toMatch(/│ 1 +│ DAMAGED +│.*cannot read params/);
    expect(result.stdout).toMatch(/│ 0 +│ COMPLETED/);
    expect(result.stdout).toMatch(/│ 119 +│ COMPLETED/);
  });

  it('read-only files and folders (as another user): STORAGE_READ_ONLY naming the file', () => {
    const user = unprivilegedUser();
    mkdirSync(at('ro-dir'));
    copyFileSync(at('good.db'), at('ro-dir/study.db'));
    chmodSync(at('ro-dir'), 0o555);
    mkdirSync(at('rw-dir'));
    chmodSync(at('rw-dir'), 0o777);
    copyFileSync(at('good.db'), at('rw-dir/locked.db'));
    chmodSync(at('rw-dir/locked.db'), 0o444);
    const cases: Case[] = [
      {
        what: 'search in a folder that cannot be written',
        args: search('ok', '--storage', at('ro-dir/study.db'), '--study', 'new'),
        code: 'STORAGE_READ_ONLY',
        says: /ro-dir\/study\.db/,
      },
      {
        what: 'search on a read-only file',
        args: search('ok', '--storage', at('rw-dir/locked.db'), '--study', 'new'),
        code: 'STORAGE_READ_ONLY',
        says: /locked\.db/,
      },
    ];
    const batch = fileURLToPath(new URL('../helpers/cli-batch.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', batch], {
      encoding: 'utf8',
      env: { ...process.env, CLI_BATCH: JSON.stringify(cases.map((c) => c.args)) },
      ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
    });
    const results = JSON.parse(output) as CliResult[];
    cases.forEach((c, i) => expectOneErrorLine(c.what, results[i] as CliResult, c.code, c.says));
  }, 60_000);
});
