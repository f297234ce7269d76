/**
 * The search progress of the CLI: a line per trial everywhere (the one progress format) and,
 * on a terminal (here a stream that says it is a TTY and answers the cursor calls of a terminal,
 * as a pseudo-terminal's does), a live bar whose ETA stays while a trial reports.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { searchProgress } from '../../src/cli/progress.js';
import type { Trial } from '../../src/index.js';
import type { SearchStartInfo } from '../../src/tuner/index.js';
import { makeTrial } from '../oracles/bayesian-fixtures.js';

/** A stream that collects what is written; with `tty`, it answers the terminal calls cli-progress makes. */
function captureStream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  }) as unknown as NodeJS.WriteStream & Record<string, unknown>;
  if (tty) {
    Object.assign(stream, {
      isTTY: true,
      columns: 160,
      cursorTo: (_x: number, _y?: number, done?: () => void) => (done?.(), true),
      moveCursor: (_dx: number, _dy: number, done?: () => void) => (done?.(), true),
      clearLine: (_dir: number, done?: () => void) => (done?.(), true),
      clearScreenDown: (done?: () => void) => (done?.(), true),
    });
  }
  return { stream, text: () => chunks.join('') };
}

function startInfo(budget: number | undefined, alreadyDone = 0): SearchStartInfo {
  return {
    studyName: 's',
    objectives: [{ name: 'f', direction: 'minimize' }],
    budget,
    nTrials: undefined,
    timeoutMs: undefined,
    alreadyDone,
    running: 0,
  };
}

const info = (done: number) => ({ done, paretoFront: undefined, abandoned: false });

function drive(stream: NodeJS.WriteStream): void {
  const progress = searchProgress({ stream });
  progress.onSearchStart?.(startInfo(3));
  const values = [0.9, 0.4, 0.7];
  let best = makeTrial(0, { x: 0 }, 'COMPLETED', [values[0]!]);
  values.forEach((value, i) => {
    const trial = makeTrial(i, { x: i }, 'COMPLETED', [value]);
    if (value < best.values![0]!) best = trial;
    progress.onTrialEnd?.(trial, best, info(i + 1));
  });
  progress.onSearchEnd?.({ reason: 'budget reached', trialsRun: 3 });
  progress.finish();
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The bar's last drawing (cli-progress redraws it in place, from the line's start). */
function lastBar(text: string): string {
  const drawings = text
    .split(/\u001b\[[0-9;?]*[A-Za-z]|\r|\n/)
    .filter((l) => l.startsWith('trial '));
  return drawings[drawings.length - 1] ?? '';
}

describe('searchProgress', () => {
  it('draws a live bar with the count, the best value and an ETA on a terminal, under the trial lines', () => {
    const { stream, text } = captureStream(true);
    drive(stream);
    const out = text();
    expect(out).toContain('trial 3/3 |');
    expect(out).toContain('\u2588'); // the bar's full block
    expect(lastBar(out)).toMatch(
      /^trial 3\/3 \|\u2588+\| best 0\.4000 \(#1\) \| elapsed \d+ ms, ETA 0 ms/,
    );
    expect(out).toMatch(/Trial 2\/3: #1 COMPLETED in 0 ms, f 0\.4000 \| best 0\.4000 \(#1\)/);
    expect(out).toContain('Search ended: budget reached. 3 trials run now: 3 COMPLETED.');
  });

  it('keeps the ETA while a trial reports, which shows in its own field', async () => {
    const { stream, text } = captureStream(true);
    const progress = searchProgress({ stream });
    progress.onSearchStart?.(startInfo(4));
    const first = makeTrial(0, { x: 0 }, 'COMPLETED', [0.5]);
    progress.onTrialStart?.(first);
    progress.onTrialEnd?.(first, first, info(1));
    const running = makeTrial(1, { x: 1 }, 'RUNNING');
    progress.onTrialStart?.(running);
    progress.onTrialReport?.(running, 5, { val_loss: 0.51, loss: 0.4 });
    await tick(250); // cli-progress redraws on its timer
    const bar = lastBar(text());
    expect(bar).toMatch(
      /^trial 1\/4 \|.*\| best 0\.5000 \(#0\) \| elapsed \d+ ms, ETA \d+ ms \| #1 step 5: val_loss 0\.5100, loss 0\.4000$/,
    );
    expect(progress.running).toBe(1);
    progress.onTrialEnd?.(makeTrial(1, { x: 1 }, 'COMPLETED', [0.6]), first, info(2));
    await tick(250);
    expect(lastBar(text())).not.toContain('step 5'); // the ended trial's report is gone
    progress.finish();
  });

  it('without a limit shows `trial N (no limit)` and the time that goes by, with no bar to fill', async () => {
    const { stream, text } = captureStream(true);
    const progress = searchProgress({ stream, noLimit: 'it runs until Ctrl+C' });
    progress.onSearchStart?.(startInfo(undefined));
    progress.onTrialEnd?.(makeTrial(0, {}, 'COMPLETED', [1]), undefined, info(1));
    await tick(1100);
    const out = text();
    expect(out).toContain("Study 's': no trial limit; it runs until Ctrl+C.");
    expect(lastBar(out)).toMatch(/^trial 1 \(no limit\) \| best - \| elapsed 1\.\ds$/);
    expect(out).not.toContain('/0');
    progress.finish();
  });

  it('writes one plain line per trial elsewhere', () => {
    const { stream, text } = captureStream(false);
    drive(stream);
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^Trial 2\/3: #1 COMPLETED in 0 ms, f 0\.4000 \| best 0\.4000 \(#1\) \| elapsed \d+ ms, ETA \d+ ms$/,
    );
    expect(text()).not.toContain('\u2588');
  });

  it('counts the trials other worker processes finish, and never passes the budget after a resume', () => {
    const { stream, text } = captureStream(false);
    const progress = searchProgress({ stream });
    progress.onSearchStart?.(startInfo(4, 1));
    const mine = makeTrial(1, { x: 0 }, 'COMPLETED', [0.5]);
    const theirs = makeTrial(2, { x: 1 }, 'COMPLETED', [0.2]);
    progress.onTrialEnd?.(mine, mine, info(2));
    progress.otherTrialEnded(theirs, theirs, info(3));
    progress.onTrialEnd?.(makeTrial(3, { x: 2 }, 'COMPLETED', [0.9]), theirs, info(4));
    const late: Trial = makeTrial(4, { x: 3 }, 'FAILED', undefined);
    progress.otherTrialEnded(late, theirs, info(5));
    const lines = text().trim().split('\n');
    expect(lines[0]).toBe("Resuming study 's': 1 of 4 trials done");
    expect(
      lines.slice(1).map((l) => /^Trial (\d+\/\d+): #(\d+)/.exec(l)?.slice(1).join(' #')),
    ).toEqual(['2/4 #1', '3/4 #2', '4/4 #3', '4/4 #4']);
    expect(lines[4]).toMatch(/ETA 0 ms$/);
  });
});
