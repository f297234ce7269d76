/**
 * `hypertuner search` on a real pseudo-terminal (util-linux `script` gives the CLI one as its
 * stdin, stdout and stderr): the live bar is drawn, and keeps its ETA while the running trial's
 * last report shows in its own field.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storedTrials } from '../helpers/stored-trials.js';
import { repoRoot } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-tty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Single quotes for sh. */
const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/** Runs `node --import tsx src/cli/main.ts ...args` on a pseudo-terminal 160 columns wide. */
function onTerminal(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args]
    .map(quote)
    .join(' ');
  const child = spawn('script', ['-qfec', `stty cols 160 rows 40; exec ${command}`, '/dev/null'], {
    cwd: repoRoot,
    env: { ...process.env, REPORT_PAUSE_MS: '700' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** Every drawing of the bar (cli-progress redraws it in place, from the line's start). */
function barDrawings(output: string): string[] {
  return output
    .split(/\u001b\[[0-9;?]*[A-Za-z]|\r|\n/)
    .map((piece) => piece.trimEnd())
    .filter((piece) => piece.startsWith('trial '));
}

describe('search on a pseudo-terminal', () => {
  it('draws the bar, whose ETA stays while a trial reports', async () => {
    if (!hasScript)
      throw new Error('this test needs util-linux `script`: apt-get install -y bsdutils');
    const url = `sqlite:${join(dir, 'tty.db')}`;
    const fixture = join(repoRoot, 'test/cli/fixtures/reporting-objective.ts');
    const { code, output } = await onTerminal([
      ...['search', fixture, '--storage', url, '--study', 'tty', '--max-trials', '3'],
      ...['--tuner', 'random', '--seed', '1'],
    ]);
    expect(code, output).toBe(0);
    const drawings = barDrawings(output);
    // while trial 1 runs (trial 0 done, so an ETA is known), its report and the ETA show together
    const reporting = drawings.filter((d) => / \| #1 step \d: val_loss \d\.\d{4}$/.test(d));
    expect(reporting.length, output).toBeGreaterThan(0);
    for (const drawing of reporting) {
      expect(drawing).toMatch(
        /^trial 1\/3 \|[\u2588\u2591]{20}\| best \d\.\d{4} \(#0\) \| elapsed [\d.]+ ?m?s, ETA [\d.]+ ?m?s \| #1 step \d: val_loss \d\.\d{4}$/,
      );
    }
    expect(drawings[drawings.length - 1]).toMatch(/^trial 3\/3 \|\u2588{20}\| best /);
    // the trial lines are printed above the bar, once each
    for (const i of [1, 2, 3])
      expect(output.match(new RegExp(`Trial ${i}/3: #${i - 1} COMPLETED in`, 'g'))).toHaveLength(1);
    expect((await storedTrials(url, 'tty')).map((t) => t.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
    ]);
  });
});
