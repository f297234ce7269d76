/**
 * The example's progress lines say a trial's score as the study took it: the tuners score a trial
 * by its best epoch (as Keras Tuner does), which need not be its last, and the line says which.
 */
import { describe, expect, it } from 'vitest';
import { exampleProgress } from '../../src/cli/example/progress-bars.js';
import { scoreEpochText, scoreWithEpoch } from '../../src/cli/example/text.js';
import type { Trial } from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';

const OBJECTIVES = [{ name: 'val_accuracy', direction: 'maximize' as const }];

/** A trial that trained `accuracies.length` epochs and was scored `score`. */
function trained(number: number, accuracies: number[], score: number): Trial {
  return trialRecord(number, {
    values: [score],
    startedAt: 1000,
    finishedAt: 3000,
    intermediate: accuracies.map((value, step) => ({
      step,
      value,
      metrics: { val_accuracy: value, val_loss: 1 - value },
    })),
  });
}

/** The example's plain progress for one trial ending, as written. */
function linesFor(
  trial: Trial,
  { budget }: { budget: number | undefined } = { budget: 3 },
): string[] {
  const written: string[] = [];
  const stream = { write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  const progress = exampleProgress({ stream, live: false, showWorker: false });
  progress.onSearchStart?.({
    studyName: 'mlp',
    objectives: OBJECTIVES,
    budget,
    nTrials: undefined,
    timeoutMs: undefined,
    alreadyDone: 0,
    running: 0,
  });
  progress.onTrialEnd?.(trial, trial, { done: 1, paretoFront: undefined, abandoned: false });
  return written.join('').split('\n');
}

describe("the example's search start", () => {
  it('says that the time budget, not Ctrl+C, ends a search without a trial limit', () => {
    const lines = linesFor(trained(0, [0.6], 0.6), { budget: undefined });
    expect(lines).toContain(
      "Study 'mlp': no trial limit; it searches while the time budget leaves room for the final training.",
    );
    expect(lines.join('\n')).not.toMatch(/Ctrl\+C/);
  });
});

describe("the example's trial lines", () => {
  it("show the best epoch's score, say which epoch it is, and never the last epoch's accuracy", () => {
    const trial = trained(2, [0.61, 0.7, 0.65], 0.7);
    expect(scoreEpochText(trial)).toBe('best epoch: 2 of 3');
    const line = linesFor(trial).find((l) => l.startsWith('Trial 1/3'));
    expect(line).toMatch(
      /^Trial 1\/3: #2 COMPLETED in 2\.0s, val_accuracy 0\.7000 \(best epoch: 2 of 3\) \| best 0\.7000 \(#2\)/,
    );
    expect(line).not.toContain('0.6500');
    // the comparison's runs print the same words
    expect(scoreWithEpoch(trial)).toBe('0.7000 (best epoch: 2 of 3)');
  });

  it('take the first epoch that reached the best (as the tuner keeps it), the last when it is', () => {
    expect(scoreEpochText(trained(0, [0.6, 0.7, 0.7], 0.7))).toBe('best epoch: 2 of 3');
    expect(scoreEpochText(trained(0, [0.6, 0.7, 0.8], 0.8))).toBe('best epoch: 3 of 3');
    // a Hyperband trial continued from its parent: epochs counted from the first
    const continued = trained(5, [], 0.75);
    const resumed = {
      ...continued,
      intermediate: [2, 3].map((step, i) => ({ step, value: [0.75, 0.74][i] ?? 0, metrics: {} })),
    };
    expect(scoreEpochText(resumed)).toBe('best epoch: 3 of 4');
  });

  it('say nothing of epochs for a value no epoch had (executions averaged), or a pruned trial', () => {
    expect(scoreEpochText(trained(0, [0.6, 0.7], 0.65))).toBeUndefined();
    expect(scoreEpochText({ ...trained(0, [0.6, 0.7], 0.7), status: 'PRUNED' })).toBeUndefined();
    expect(scoreEpochText(trialRecord(0, { values: [0.5] }))).toBeUndefined();
    expect(linesFor(trained(0, [0.6, 0.7], 0.65)).join('\n')).toMatch(
      /val_accuracy 0\.6500 \| best/,
    );
  });
});
