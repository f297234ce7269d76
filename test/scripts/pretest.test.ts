/**
 * scripts/pretest.sh (npm's pretest, which CI runs through `npm test`) with the machine stubbed:
 * `id`, `dpkg-query` and `apt-get` are fakes on a PATH that holds nothing else, so the script
 * can be seen installing (root with apt-get) or stopping with the one command to run.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

const NEEDED = ['dataset-fashion-mnist', 'postgresql', 'chromium', 'python3-optuna'];
const dirs: string[] = [];

interface Machine {
  readonly uid: number;
  /** Packages dpkg reports installed. */
  readonly installed: readonly string[];
  readonly aptGet?: 'works' | 'fails' | 'absent';
  readonly dpkg?: boolean;
}

interface Run {
  readonly code: number;
  readonly stderr: string;
  /** Each apt-get call's arguments. */
  readonly aptCalls: readonly string[];
}

function fake(dir: string, name: string, script: string): void {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/bash\n${script}\n`);
  chmodSync(path, 0o755);
}

/** Runs the script on a machine of stubs. */
async function pretest(machine: Machine): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'hypertuner-pretest-'));
  dirs.push(dir);
  const installed = join(dir, 'installed');
  const calls = join(dir, 'apt-calls');
  writeFileSync(installed, machine.installed.map((p) => `${p}\n`).join(''));
  fake(dir, 'id', `[[ "$1" == -u ]] && echo ${machine.uid}`);
  if (machine.dpkg !== false) {
    // dpkg-query -W -f='${Status}' NAME
    fake(
      dir,
      'dpkg-query',
      `name="\${@: -1}"; while read -r p; do [[ "$p" == "$name" ]] && { printf 'install ok installed'; exit 0; }; done < ${installed}; echo "dpkg-query: no packages found matching $name" >&2; exit 1`,
    );
  }
  if ((machine.aptGet ?? 'works') !== 'absent') {
    const install =
      machine.aptGet === 'fails'
        ? 'echo "E: Unable to locate package" >&2; exit 100'
        : `shift 2; for p in "$@"; do echo "$p" >> ${installed}; done`;
    fake(
      dir,
      'apt-get',
      `echo "$*" >> ${calls}; [[ "$1" == update ]] && exit 0; [[ "$1" == install && "$2" == -y ]] && { ${install}; }`,
    );
  }
  const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      '/bin/bash',
      [join(repoRoot, 'scripts', 'pretest.sh')],
      { env: { PATH: dir }, cwd: repoRoot },
      (error, _stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stderr }),
    );
  });
  const aptCalls = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
  return { ...result, aptCalls };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('npm test on a fresh machine (scripts/pretest.sh)', () => {
  it('does nothing when every package is installed', async () => {
    const run = await pretest({ uid: 0, installed: NEEDED });
    expect(run).toEqual({ code: 0, stderr: '', aptCalls: [] });
  });

  it('as root with apt-get, installs the missing packages, saying which and why', async () => {
    const run = await pretest({ uid: 0, installed: ['postgresql', 'python3-optuna'] });
    expect(run.code).toBe(0);
    expect(run.aptCalls).toEqual(['install -y dataset-fashion-mnist chromium']);
    expect(run.stderr).toContain('missing dataset-fashion-mnist: needed by the real Fashion-MNIST');
    expect(run.stderr).toContain('missing chromium: needed by the dashboard browser tests');
    expect(run.stderr).toContain('installing dataset-fashion-mnist chromium');
    expect(run.stderr).toContain('installed dataset-fashion-mnist chromium');
  });

  it('updates the package lists and tries again when the first install fails', async () => {
    const run = await pretest({ uid: 0, installed: [], aptGet: 'fails' });
    expect(run.code).toBe(1);
    expect(run.aptCalls).toEqual([
      `install -y ${NEEDED.join(' ')}`,
      'update',
      `install -y ${NEEDED.join(' ')}`,
    ]);
    expect(run.stderr).toContain(`apt-get could not install ${NEEDED.join(' ')}`);
  });

  it('not root: stops at once, printing the one command to run, and installs nothing', async () => {
    const run = await pretest({ uid: 1000, installed: ['dataset-fashion-mnist', 'chromium'] });
    expect(run.code).toBe(1);
    expect(run.aptCalls).toEqual([]);
    expect(run.stderr).toContain('\n  sudo apt-get install -y postgresql python3-optuna\n');
  });

  it('root without apt-get: stops, printing the command', async () => {
    const run = await pretest({ uid: 0, installed: NEEDED.slice(1), aptGet: 'absent' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('\n  apt-get install -y dataset-fashion-mnist\n');
  });

  it('not Debian (no dpkg-query): says what the tests need and goes on', async () => {
    const run = await pretest({ uid: 1000, installed: [], dpkg: false });
    expect(run.code).toBe(0);
    expect(run.aptCalls).toEqual([]);
    expect(run.stderr).toContain(
      `not a Debian system (no dpkg-query): the tests need the equivalents of ${NEEDED.join(' ')}`,
    );
  });
});
