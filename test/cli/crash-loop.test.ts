/**
 * A crash loop: `search --workers 2` killed with SIGKILL (the whole process group, as an OOM
 * killer or a power cut would) at seeded random moments, 20 times, then run to its end. The
 * study ends with exactly --max-trials COMPLETED trials: each lost trial ran again (up to
 * --max-retries times, then a new trial took its place), none counted twice, and the progress
 * of the last run never counted past the budget.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/math/random.js';
import { configurationKey } from '../../src/space/index.js';
import { installedPackage } from '../helpers/installed-package.js';
import { storedTrials } from '../helpers/stored-trials.js';

/** Each trial takes a while, so that a kill often lands in the middle of one. */
const PROGRAM = `
export default {
  objective: 'loss',
  async run({ hp }) {
    const x = hp.Float('x', { min: 0, max: 1 });
    const n = hp.Int('n', { min: 1, max: 1000 });
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.TRIAL_DELAY_MS)));
    return x + n;
  },
};
`;

let cleanup = (): void => undefined;
afterAll(() => cleanup());

/** Runs the installed CLI in its own process group; resolves with its stderr when it ends. */
function start(bin: string, cwd: string, args: readonly string[], delayMs: number) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, TRIAL_DELAY_MS: String(delayMs) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

describe('search in a crash loop', () => {
  it('20 SIGKILLs of the process group at random moments, then a last run: exactly --max-trials COMPLETED', async () => {
    const { project, bin } = await installedPackage();
    cleanup = () => rmSync(join(project, '..'), { recursive: true, force: true });
    writeFileSync(join(project, 'objective.mjs'), PROGRAM);
    const url = `sqlite:${join(project, 'loop.db')}`;
    const maxTrials = 20;
    const args = [
      ...['search', 'objective.mjs', '--storage', url, '--study', 'loop'],
      ...['--max-trials', String(maxTrials), '--workers', '2', '--plain'],
    ];
    const random = new Random(19);
    let midTrial = 0;
    for (let kill = 0; kill < 20; kill++) {
      const run = start(bin, project, args, 250);
      // once it is searching (a line of progress), at a random moment of the next 600 ms
      const searching = Date.now();
      while (!/Trial|Resuming|Search ended/.test(run.stderr()) && Date.now() - searching < 20_000)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 600 * random.next()));
      const running = (await storedTrials(url, 'loop')).filter((t) => t.status === 'RUNNING');
      try {
        process.kill(-(run.child.pid ?? 0), 'SIGKILL');
        if (running.length > 0) midTrial++;
      } catch {
        // the search ended before its moment came
      }
      await run.done;
    }
    expect(midTrial).toBeGreaterThan(5); // most kills landed while trials ran
    const last = await start(bin, project, args, 20).done;
    expect(last.code, last.stderr).toBe(0);
    const trials = await storedTrials(url, 'loop');
    const completed = trials.filter((t) => t.status === 'COMPLETED');
    expect(completed).toHaveLength(maxTrials);
    expect(new Set(completed.map((t) => configurationKey(t.params))).size).toBe(maxTrials);
    expect(trials.map((t) => t.number)).toEqual([...trials.keys()]);
    // nothing else is left: every other trial is one a lost worker left
    for (const t of trials.filter((t) => t.status !== 'COMPLETED')) {
      expect(t.status).toBe('FAILED');
      expect(t.error).toMatch(/^worker lost/);
    }
    // the last run's progress: resumed, and never past the budget
    expect(last.stderr).toMatch(/^Resuming study 'loop': \d+ of 20 trials done/m);
    const counters = [...last.stderr.matchAll(/^Trial (\d+)\/20:/gm)].map((m) => Number(m[1]));
    expect(Math.max(...counters)).toBe(20);
    expect(last.stderr).toMatch(/^Search ended: the study has its 20 trials \(maxTrials\)/m);
  }, 120_000);
});
