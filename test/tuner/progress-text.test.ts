/**
 * The one progress format: what a trial's line says (i/N, status, duration, value, best,
 * elapsed, ETA), that its counter never passes the budget (resume, retries of lost trials,
 * trials of other workers seen late), the resume and no-limit lines, and the library's
 * `optimize({ verbose })` printing them.
 */
import { describe, expect, it, vi } from 'vitest';
import { MemoryStorage, RandomSearchOracle, Study } from '../../src/index.js';
import type { Trial, TrialContext } from '../../src/index.js';
import type { SearchStartInfo } from '../../src/tuner/index.js';
import {
  ProgressCounter,
  formatDuration,
  searchEndLine,
  searchStartLines,
  trialEndLine,
} from '../../src/tuner/progress-text.js';
import { trialRecord } from '../helpers/trial-record.js';

const LOSS = [{ name: 'val_accuracy', direction: 'maximize' as const }];

function start(fields: Partial<SearchStartInfo> = {}): SearchStartInfo {
  return {
    studyName: 'mlp',
    objectives: LOSS,
    budget: 30,
    nTrials: undefined,
    timeoutMs: undefined,
    alreadyDone: 0,
    running: 0,
    ...fields,
  };
}

function completed(number: number, value: number, ms = 41_000): Trial {
  return trialRecord(number, { values: [value], startedAt: 1000, finishedAt: 1000 + ms });
}

/** A counter whose clock reads `clock.now`. */
function counterAt(clock: { now: number }): ProgressCounter {
  return new ProgressCounter(() => clock.now);
}

describe('the progress line of a trial', () => {
  it('says i/N, the trial, its status, duration and value, the best so far, elapsed time and ETA', () => {
    const clock = { now: 0 };
    const counter = counterAt(clock);
    counter.start(start({ alreadyDone: 11 }));
    clock.now = 41_000;
    const best = completed(9, 0.861);
    counter.ended(completed(11, 0.8512), 12);
    expect(
      trialEndLine(completed(11, 0.8512), best, { paretoFront: undefined }, counter, LOSS),
    ).toBe(
      'Trial 12/30: #11 COMPLETED in 41s, val_accuracy 0.8512 | best 0.8610 (#9) | elapsed 41s, ETA 12m18s',
    );
  });

  it('the ETA counts down while the next trial runs, by the pace at the last end', () => {
    const clock = { now: 0 };
    const counter = counterAt(clock);
    counter.start(start({ budget: 4, alreadyDone: 0 }));
    clock.now = 10_000;
    counter.ended(completed(0, 0.5), 1);
    expect(counter.timeText).toBe('elapsed 10s, ETA 30s');
    clock.now = 15_000; // trial 1 runs: 5 s of the 30 s went by
    expect(counter.timeText).toBe('elapsed 15s, ETA 25s');
    clock.now = 60_000; // it overran: no negative time left
    expect(counter.timeText).toBe('elapsed 1m00s, ETA 0 ms');
    counter.ended(completed(1, 0.5), 2);
    expect(counter.timeText).toBe('elapsed 1m00s, ETA 1m00s');
  });

  it('a FAILED trial shows its error; a PRUNED one its step; several objectives the Pareto front', () => {
    const counter = counterAt({ now: 5000 });
    counter.start(start());
    const failed = trialRecord(0, {
      status: 'FAILED',
      error: 'timed out after 2 s\n  at somewhere',
      startedAt: 0,
      finishedAt: 2100,
    });
    counter.ended(failed, 1);
    expect(trialEndLine(failed, undefined, { paretoFront: undefined }, counter, LOSS)).toMatch(
      /^Trial 1\/30: #0 FAILED in 2\.1s \(timed out after 2 s\) \| best - \| elapsed/,
    );
    const pruned = trialRecord(1, {
      status: 'PRUNED',
      values: [0.5],
      intermediate: [{ step: 3, value: 0.5, metrics: {} }],
      startedAt: 0,
      finishedAt: 900,
    });
    counter.ended(pruned, 2);
    expect(trialEndLine(pruned, undefined, { paretoFront: undefined }, counter, LOSS)).toMatch(
      /^Trial 2\/30: #1 PRUNED at step 3 in 900 ms, val_accuracy 0\.5000 \|/,
    );
    const two = [
      { name: 'error', direction: 'minimize' as const },
      { name: 'latency', direction: 'minimize' as const },
    ];
    const both = trialRecord(2, { values: [0.1, 3], startedAt: 0, finishedAt: 10 });
    counter.ended(both, 3);
    expect(trialEndLine(both, both, { paretoFront: 1 }, counter, two)).toMatch(
      /#2 COMPLETED in 10 ms, error 0\.1000, latency 3 \| Pareto front: 1 trial \|/,
    );
  });

  it('never counts past the budget: a resume with a retried lost trial, late trials of other workers', () => {
    const counter = counterAt({ now: 1000 });
    // resumed: 39 of 40 done, one trial left RUNNING by the crash
    counter.start(start({ budget: 40, alreadyDone: 39, running: 1 }));
    // the crashed run's trial is reaped as lost (seen by the watch): shown, not counted
    const lost = trialRecord(39, {
      status: 'FAILED',
      error: 'worker lost: vm:1:x stopped (no heartbeat for 3 s); re-queued (retry 1 of 3)',
    });
    counter.ended(lost, 39);
    expect(counter.counter).toBe('39/40');
    // its retry completes: the 40th
    counter.ended(completed(40, 0.5), 40);
    expect(counter.counter).toBe('40/40');
    // another worker's trial seen late, with a count the storage gave past the budget
    counter.ended(completed(41, 0.5), 41);
    expect(counter.counter).toBe('40/40');
    expect(counter.etaMs).toBe(0);
  });

  it('counts one per trial when several end between two looks at the storage', () => {
    const counter = counterAt({ now: 1000 });
    counter.start(start({ budget: 10, alreadyDone: 2 }));
    counter.ended(completed(2, 0.1), 5); // three ended by the time the storage was read
    counter.ended(completed(3, 0.1), 5);
    counter.ended(completed(4, 0.1), 5);
    expect(counter.counter).toBe('5/10');
    counter.ended(completed(5, 0.1), 5); // a count read before this one ended: still one more at most
    expect(counter.counter).toBe('5/10');
  });

  it('without a limit: `N (no limit)` with the real elapsed time and no ETA', () => {
    const clock = { now: 0 };
    const counter = counterAt(clock);
    counter.start(start({ budget: undefined }));
    clock.now = 3_500;
    counter.ended(completed(0, 0.5), 1);
    expect(counter.counter).toBe('1 (no limit)');
    expect(counter.timeText).toBe('elapsed 3.5s');
    clock.now = 8 * 60_000 + 12_000;
    expect(counter.timeText).toBe('elapsed 8m12s');
  });

  it('with nTrials only, counts the trials of this call; with a time limit only, its ETA is the time left', () => {
    const clock = { now: 0 };
    const counter = counterAt(clock);
    counter.start(start({ budget: undefined, nTrials: 3, alreadyDone: 50 }));
    counter.ended(completed(50, 0.1), 51);
    expect(counter.counter).toBe('1/3');
    counter.start(start({ budget: undefined, timeoutMs: 60_000 }));
    clock.now += 20_000;
    counter.ended(completed(51, 0.1), 52);
    expect(counter.counter).toBe('1');
    expect(counter.timeText).toBe('elapsed 20s, ETA 40s');
  });
});

describe('the lines around the trials', () => {
  it('announces a resume and a search without limits, once, with correct plurals', () => {
    expect(searchStartLines(start({ alreadyDone: 11 }), '-')).toEqual([
      "Resuming study 'mlp': 11 of 30 trials done",
    ]);
    expect(searchStartLines(start({ alreadyDone: 1, budget: 1, running: 2 }), '-')).toEqual([
      "Resuming study 'mlp': 1 of 1 trial done, 2 running",
    ]);
    expect(searchStartLines(start({ budget: undefined }), 'it runs until Ctrl+C')).toEqual([
      "Study 'mlp': no trial limit; it runs until Ctrl+C.",
    ]);
    expect(searchStartLines(start(), '-')).toEqual([]);
  });

  it('ends with the reason and what this run did', () => {
    const counter = counterAt({ now: 0 });
    counter.start(start());
    counter.ended(completed(0, 0.1), 1);
    expect(searchEndLine('the study has its 30 trials (maxTrials)', counter)).toBe(
      'Search ended: the study has its 30 trials (maxTrials). 1 trial run now: 1 COMPLETED.',
    );
    expect(formatDuration(3_600_000 + 5 * 60_000)).toBe('1h05m');
  });
});

describe('optimize({ verbose })', () => {
  it('prints the resume and a line per trial in the same format, on stderr', async () => {
    const written: string[] = [];
    const spy = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      const study = await Study.open({
        storage: new MemoryStorage(),
        name: 'v',
        objective: 'loss',
        oracle: new RandomSearchOracle({ seed: 1 }),
      });
      const objective = ({ hp }: TrialContext): number => hp.Float('x', { min: 0, max: 1 });
      await study.optimize(objective, { maxTrials: 2, verbose: 1 });
      await study.optimize(objective, { maxTrials: 3, verbose: 2 });
    } finally {
      spy.mockRestore();
    }
    const lines = written.join('').trim().split('\n');
    expect(lines[0]).toMatch(
      /^Trial 1\/2: #0 COMPLETED in \d+ ms, loss 0\.\d{4} \| best 0\.\d{4} \(#0\) \| elapsed \d+ ms, ETA \d+ ms$/,
    );
    expect(lines[1]).toMatch(/^Trial 2\/2: #1 COMPLETED/);
    expect(lines[2]).toMatch(
      /^Search ended: the study has its 2 trials \(maxTrials\)\. 2 trials run now: 2 COMPLETED\.$/,
    );
    expect(lines[3]).toBe("Resuming study 'v': 2 of 3 trials done");
    expect(lines[4]).toMatch(/^Trial #2 started: x=0\.\d{4}$/);
    expect(lines[5]).toMatch(/^Trial 3\/3: #2 COMPLETED/);
  });
});
