/**
 * The search progress display: a live cli-progress bar on a terminal (here a writable stream
 * that says it is a TTY, as a terminal's does), plain lines everywhere else.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { searchProgress } from '../../src/cli/progress.js';
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
      columns: 120,
      cursorTo: (_x: number, _y?: number, done?: () => void) => (done?.(), true),
      moveCursor: (_dx: number, _dy: number, done?: () => void) => (done?.(), true),
      clearLine: (_dir: number, done?: () => void) => (done?.(), true),
      clearScreenDown: (done?: () => void) => (done?.(), true),
    });
  }
  return { stream, text: () => chunks.join('') };
}

function drive(stream: NodeJS.WriteStream): void {
  const progress = searchProgress({ stream });
  progress.onSearchStart?.({ studyName: 's', budget: 3, alreadyDone: 0 });
  const values = [0.9, 0.4, 0.7];
  let best = makeTrial(0, { x: 0 }, 'COMPLETED', [values[0]!]);
  values.forEach((value, i) => {
    const trial = makeTrial(i, { x: i }, 'COMPLETED', [value]);
    if (value < best.values![0]!) best = trial;
    progress.onTrialEnd?.(trial, best);
  });
  progress.onSearchEnd?.({ reason: 'budget reached', trialsRun: 3 });
}

describe('searchProgress', () => {
  it('draws a live bar with the count, the best value and an ETA on a terminal', () => {
    const { stream, text } = captureStream(true);
    drive(stream);
    const out = text();
    expect(out).toContain('trial 3/3 |');
    expect(out).toContain('\u2588'); // the bar's full block
    expect(out).toContain('best 0.4');
    expect(out).toMatch(/ETA \d+s/);
    expect(out).not.toContain('#1 COMPLETED'); // no plain lines on a terminal
    expect(out).toContain('Search ended: budget reached (3 trial(s) run now).');
  });

  it('writes one plain line per trial elsewhere', () => {
    const { stream, text } = captureStream(false);
    drive(stream);
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^trial 2\/3: #1 COMPLETED value 0\.4 \| best 0\.4 \| \d+s elapsed, ETA \d+s$/,
    );
    expect(text()).not.toContain('\u2588');
  });

  it('counts the trials other worker processes finish, for the count and the ETA', () => {
    const { stream, text } = captureStream(false);
    const progress = searchProgress({ stream });
    progress.onSearchStart?.({ studyName: 's', budget: 4, alreadyDone: 0 });
    const mine = makeTrial(0, { x: 0 }, 'COMPLETED', [0.5]);
    const theirs = makeTrial(1, { x: 1 }, 'COMPLETED', [0.2]);
    progress.onTrialEnd?.(mine, mine);
    progress.otherTrialEnded(theirs, theirs);
    progress.onTrialEnd?.(makeTrial(2, { x: 2 }, 'COMPLETED', [0.9]), theirs);
    progress.otherTrialEnded(makeTrial(3, { x: 3 }, 'FAILED', undefined), theirs);
    const lines = text().trim().split('\n');
    expect(lines.map((l) => /^trial (\d+\/\d+): #(\d+)/.exec(l)?.slice(1).join(' #'))).toEqual([
      '1/4 #0',
      '2/4 #1',
      '3/4 #2',
      '4/4 #3',
    ]);
    expect(lines[3]).toMatch(/ETA 0s$/);
  });
});
