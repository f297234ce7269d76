/**
 * Optuna's CLI workflow from a shell script: create a study, ask for trials and tell their
 * values (or FAILED), study attributes, and delete (only with --yes), against the installed
 * command; bad input is one line with a code.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/index.js';
import { installedPackage } from '../helpers/installed-package.js';
import type { InstalledPackage } from '../helpers/installed-package.js';
import { repoRoot } from '../helpers/run-cli.js';

const run = promisify(execFile);
let installed: InstalledPackage;
beforeAll(async () => {
  installed = await installedPackage();
});
afterAll(() => rmSync(join(installed.project, '..'), { recursive: true, force: true }));

function env(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HYPERTUNER: `${process.execPath} ${installed.bin}`,
    HYPERTUNER_STORAGE: url,
  };
}

/** Runs the installed command; resolves with its exit code and output (never rejects). */
async function hypertuner(
  url: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [installed.bin, ...args], {
      cwd: installed.project,
      env: env(url),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('create, ask, tell, study-attr and delete from a shell script', () => {
  it('runs a study round trip', async () => {
    const url = `sqlite:${join(installed.project, 'shell.db')}`;
    const script = join(repoRoot, 'test/cli/fixtures/ask-tell.sh');
    const { stdout, stderr } = await run('bash', [script], {
      cwd: installed.project,
      env: env(url),
    });
    expect(stderr).toContain("Created study 'shell-demo'");
    expect(stdout.split('\n')[0]).toBe('shell-demo');
    expect(stdout).toMatch(/^told 0 \d/m);
    expect(stdout).toMatch(/^told 1 \d/m);
    expect(stdout).toContain('owner {"team":"vision"}');
    expect(stdout).toMatch(
      /refused: hypertuner: hypertuner delete removes study 'shell-demo' and its 3 trials from .*; add --yes to delete it\. \[DELETE_NOT_CONFIRMED\]/,
    );
    const storage = await openStorage(url);
    try {
      const study = await storage.loadStudy('shell-demo');
      expect(study?.userAttrs).toMatchObject({ oracle: 'tpe', owner: { team: 'vision' } });
      expect(study?.space.parameters.map((p) => p.name)).toEqual(['x', 'act']);
      const trials = await storage.getTrials(study?.id ?? -1);
      expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'FAILED']);
      expect(trials[2]?.error).toBe('diverged');
      for (const t of trials.slice(0, 2)) {
        const x = t.params['x'] as number;
        expect(t.values?.[0]).toBeCloseTo((x - 2) ** 2, 9);
        expect(['relu', 'tanh']).toContain(t.params['act']);
      }
    } finally {
      await storage.close();
    }
    const deleted = await hypertuner(url, ['delete', 'shell-demo', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toMatch(/^Deleted study 'shell-demo' and its 3 trials from /);
    const gone = await hypertuner(url, ['trials', 'shell-demo']);
    expect(gone.stderr).toMatch(/No study called 'shell-demo'.*\[STUDY_NOT_FOUND\]/);
  }, 120_000);

  it('says what is wrong with bad input in one line with a code, and leaves the trial as it was', async () => {
    const url = `sqlite:${join(installed.project, 'bad.db')}`;
    expect((await hypertuner(url, ['create', 's', '--objective', 'loss'])).code).toBe(0);
    const noSpace = await hypertuner(url, ['ask', 's']);
    expect(noSpace.code).toBe(1);
    expect(noSpace.stderr).toMatch(
      /^hypertuner: Study 's' has no parameters yet; give them with --space, .*\[OPTIONS_INVALID\]\n$/,
    );
    const badSpace = await hypertuner(url, ['ask', 's', '--space', '{"x": {"type": "real"}}']);
    expect(badSpace.stderr).toBe(
      'hypertuner: --space: parameter \'x\' has type "real"; allowed: float, int, choice, boolean, fixed. [OPTIONS_INVALID]\n',
    );
    const asked = await hypertuner(url, [
      'ask',
      's',
      '--space',
      '{"x": {"type": "int", "min": 1, "max": 3}}',
    ]);
    expect(JSON.parse(asked.stdout)).toMatchObject({
      number: 0,
      params: { x: expect.any(Number) },
    });
    const cases: [readonly string[], RegExp][] = [
      [
        ['tell', 's', '0', 'abc'],
        /^hypertuner: A value told must be a finite number, got 'abc'\. \[OPTIONS_INVALID\]\n$/,
      ],
      [
        ['tell', 's', '0'],
        /^hypertuner: tell needs 1 value \(one per objective\) or --state FAILED\|PRUNED, got none\. \[OPTIONS_INVALID\]\n$/,
      ],
      [
        ['tell', 's', '0', '--state', 'DONE'],
        /^hypertuner: --state must be FAILED or PRUNED .*\[OPTIONS_INVALID\]\n$/,
      ],
      [['tell', 's', '7', '1'], /^hypertuner: Study 's' has no trial 7\. \[TRIAL_NOT_FOUND\]\n$/],
      [['tell', 'nope', '0', '1'], /^hypertuner: No study called 'nope' .*\[STUDY_NOT_FOUND\]\n$/],
      [
        ['study-attr', 'get', 's', 'missing'],
        /^hypertuner: Study 's' has no attribute 'missing'; it has: oracle, oracleOptions\. \[OPTIONS_INVALID\]\n$/,
      ],
      [['create', 's'], /^hypertuner: A study called 's' exists already .*\[STUDY_EXISTS\]\n$/],
    ];
    for (const [args, expected] of cases) {
      const result = await hypertuner(url, args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(expected);
    }
    const storage = await openStorage(url);
    try {
      const study = await storage.loadStudy('s');
      expect((await storage.getTrials(study?.id ?? -1)).map((t) => t.status)).toEqual(['RUNNING']);
    } finally {
      await storage.close();
    }
    // a trial asked from a shell is not taken as lost by the next ask: it waits for its tell
    const next = await hypertuner(url, ['ask', 's']);
    expect(JSON.parse(next.stdout)).toMatchObject({ number: 1 });
    const told = await hypertuner(url, ['tell', 's', '0', '2.5']);
    expect(told.stderr).toBe("Trial 0 of 's' COMPLETED: loss 2.5000 (the best so far).\n");
  }, 120_000);
});
