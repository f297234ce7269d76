/**
 * What a program gives `hypertuner search`: a TypeScript program loaded from a plain install
 * (no tsx loaded from outside), its exported pruner, tuner, objectives and fixed values; the
 * pruner flags; and a search without limits that says so.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/index.js';
import type { JsonValue, Objective, Trial } from '../../src/index.js';
import { installedPackage } from '../helpers/installed-package.js';
import type { CliResult } from '../helpers/run-cli.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-programs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function studyOf(
  url: string,
  name: string,
): Promise<{
  trials: Trial[];
  objectives: readonly Objective[];
  attrs: Record<string, JsonValue>;
}> {
  const storage = await openStorage(url);
  try {
    const record = await storage.loadStudy(name);
    if (record === undefined) throw new Error(`no study ${name}`);
    return {
      trials: await storage.getTrials(record.id),
      objectives: record.objectives,
      attrs: { ...record.userAttrs },
    };
  } finally {
    await storage.close();
  }
}

const count = (trials: readonly Trial[], status: string): number =>
  trials.filter((t) => t.status === status).length;

/** A user's TypeScript program (types, `satisfies`, imports of hypertuner and of a .ts file). */
const consumer = join(repoRoot, 'test/package/consumer');
const TYPED_PROGRAM = readFileSync(join(consumer, 'typed-objective.ts'), 'utf8');
const CURVE = readFileSync(join(consumer, 'curve.ts'), 'utf8');

function runInstalled(
  bin: string,
  cwd: string,
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  const env = { ...process.env, ...extraEnv };
  delete env['NODE_OPTIONS']; // nothing loads TypeScript but the CLI itself
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('search <program>.ts from a plain install', () => {
  it('loads a TypeScript program (types, imports of hypertuner and of a .ts file) in two worker processes, and honours its exported pruner', async () => {
    const { project, bin } = await installedPackage();
    for (const [name, text] of [
      ['objective.ts', TYPED_PROGRAM],
      ['curve.ts', CURVE],
      ['objective.mts', TYPED_PROGRAM],
    ] as const)
      writeFileSync(join(project, name), text);
    const url = `sqlite:${join(project, 'studies.db')}`;
    const result = await runInstalled(
      bin,
      project,
      [
        ...['search', 'objective.ts', '--storage', url, '--max-trials', '12', '--workers', '2'],
        '--plain',
      ],
      { RENDEZVOUS_DIR: join(project, 'rendezvous') },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/Unknown file extension|PROGRAM_INVALID/);
    const { trials } = await studyOf(url, 'objective');
    expect(trials).toHaveLength(12);
    expect(count(trials, 'COMPLETED') + count(trials, 'PRUNED')).toBe(12);
    expect(count(trials, 'PRUNED')).toBeGreaterThan(0); // the program's MedianPruner decided
    expect(new Set(trials.map((t) => t.workerId?.split(':')[1])).size).toBe(2);
    // .mts too
    const mts = await runInstalled(bin, project, [
      ...['search', 'objective.mts', '--storage', url, '--max-trials', '2', '--plain'],
    ]);
    expect(mts.code, mts.stderr).toBe(0);
    expect(count((await studyOf(url, 'objective')).trials, 'COMPLETED')).toBeGreaterThan(0);
  });
});

describe('pruning from the command line', () => {
  const curve = 'test/cli/fixtures/curve-objective.ts';
  const search = (study: string, extra: readonly string[], env: Record<string, string> = {}) =>
    runCli(
      [
        ...['search', curve, '--storage', `sqlite:${join(dir, 'prune.db')}`, '--study', study],
        ...['--max-trials', '12', '--plain', ...extra],
      ],
      env,
    );

  it('--pruner median prunes trials of a program that reports a learning curve; without it none are', async () => {
    const pruned = await search('median', ['--pruner', 'median', '--startup-trials', '2']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stderr).toMatch(/^Trial \d+\/12: #\d+ PRUNED at step \d+ in /m);
    expect(
      count((await studyOf(`sqlite:${join(dir, 'prune.db')}`, 'median')).trials, 'PRUNED'),
    ).toBeGreaterThan(0);
    const plain = await search('plain', []);
    expect(plain.code, plain.stderr).toBe(0);
    expect(
      count((await studyOf(`sqlite:${join(dir, 'prune.db')}`, 'plain')).trials, 'PRUNED'),
    ).toBe(0);
  });

  it("honours the program's exported pruner, which --pruner none turns off", async () => {
    const exported = await search('exported', [], { WITH_PRUNER: '1' });
    expect(exported.code, exported.stderr).toBe(0);
    expect(
      count((await studyOf(`sqlite:${join(dir, 'prune.db')}`, 'exported')).trials, 'PRUNED'),
    ).toBeGreaterThan(0);
    const off = await search('off', ['--pruner', 'none'], { WITH_PRUNER: '1' });
    expect(off.code, off.stderr).toBe(0);
    expect(count((await studyOf(`sqlite:${join(dir, 'prune.db')}`, 'off')).trials, 'PRUNED')).toBe(
      0,
    );
  });

  it('a pruner option without its pruner, or an unknown pruner, is one line with a code', async () => {
    const misplaced = await search('bad', ['--pruner', 'median', '--patience', '2']);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toBe(
      'hypertuner: --patience is an option of --pruner patient, got --pruner median. [OPTIONS_INVALID]\n',
    );
    const unknown = await search('bad', ['--pruner', 'hyperband']);
    expect(unknown.stderr).toBe(
      "hypertuner: --pruner must be one of median, asha, patient, none, got 'hyperband'. [OPTIONS_INVALID]\n",
    );
  });
});

describe('a program that gives its tuner, objectives and fixed values', () => {
  it('is searched with them', async () => {
    const url = `sqlite:${join(dir, 'exports.db')}`;
    const result = await runCli([
      ...['search', 'test/cli/fixtures/exports-objective.ts', '--storage', url],
      ...['--study', 'e', '--max-trials', '6', '--plain'],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { trials, objectives, attrs } = await studyOf(url, 'e');
    expect(objectives).toEqual([
      { name: 'error', direction: 'minimize' },
      { name: 'speed', direction: 'maximize' },
    ]);
    expect(attrs['oracle']).toBe('tpe');
    expect(trials.map((t) => t.params['kind'])).toEqual(Array(6).fill('b'));
    expect(result.stderr).toMatch(/Pareto front: \d+ trials?/);
  });
});

describe('a search without limits', () => {
  it('says once, before the first trial, that it runs until Ctrl+C, and counts `N (no limit)`', async () => {
    const result = await runCli(
      [
        ...['search', 'test/cli/fixtures/grid-objective.ts', '--tuner', 'grid'],
        ...['--storage', `sqlite:${join(dir, 'nolimit.db')}`, '--plain'],
      ],
      { TRIAL_DELAY_MS: '5' },
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      "Study 'grid-objective': no trial limit; it runs until Ctrl+C (no --max-trials or --timeout), or until the tuner has nothing left to try.",
    );
    expect(result.stderr.match(/no trial limit/g)).toHaveLength(1);
    const counters = lines
      .slice(1, -1)
      .map((l) => /^Trial (\d+) \(no limit\): #\d+ COMPLETED in .* \| elapsed \d[^,]*$/.exec(l));
    expect(counters.map((m) => Number(m?.[1]))).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(lines.at(-1)).toMatch(
      /^Search ended: all 12 grid configurations have been tried.*12 trials run now: 12 COMPLETED\.$/,
    );
  });
});
