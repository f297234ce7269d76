/**
 * One run of `hypertuner example --compare` (hidden `--compare-member`, started by the main
 * process, one per tuner and seed): searches its own study in the comparison's storage, one
 * trial at a time, then scores the best trial's checkpoint on the test set and writes what the
 * report needs to `<directory>/<study>/compare-result.json`. A study already complete (a
 * rerun) is only scored again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Trial } from '../../index.js';
import { HypertunerError } from '../../index.js';
import type { TunerCallbacks } from '../../tfjs/index.js';
import { exitWithParent } from '../worker-processes.js';
import { openExperiment, searchTrials } from './experiment.js';
import type { ExampleOptions, TunerName } from './options.js';
import { projectNameOf } from './options.js';
import { score, scoreWithEpoch } from './text.js';

/** The file a member writes in its project folder. */
export const RESULT_FILE = 'compare-result.json';

/** One trial of a run, for the best-so-far curves. */
export interface RunTrial {
  readonly number: number;
  /** Epochs it trained (Hyperband's promoted trials continue their parent's). */
  readonly epochs: number;
  /** Its val_accuracy, or null when it did not complete. */
  readonly value: number | null;
}

/** What a run of the comparison gives the report. */
export interface RunResult {
  readonly study: string;
  readonly tuner: TunerName;
  readonly seed: number;
  /** Trials run (of any status). */
  readonly trials: number;
  readonly bestValue: number;
  readonly bestTrial: number;
  readonly bestParams: Readonly<Record<string, unknown>>;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** Wall-clock from the first trial's start to the last one's end. */
  readonly timeMs: number;
  readonly history: readonly RunTrial[];
  /** The best model's layer table. */
  readonly layers: string;
}

/** Where the result of the run with these options is written. */
export function resultPath(options: ExampleOptions): string {
  return join(resolve(options.directory), projectNameOf(options), RESULT_FILE);
}

function wallTime(trials: readonly Trial[]): number {
  const starts = trials.map((t) => t.startedAt ?? t.createdAt);
  const ends = trials.map((t) => t.finishedAt ?? t.startedAt ?? t.createdAt);
  return trials.length === 0 ? 0 : Math.max(...ends) - Math.min(...starts);
}

/** A line on stderr per finished trial (the main process prefixes it with the run's name). */
const trialLines: TunerCallbacks = {
  onTrialEnd(trial, best) {
    process.stderr.write(
      `Trial ${trial.number} ${trial.status}: val_accuracy ${scoreWithEpoch(trial)} | best ${score(best)}\n`,
    );
  },
};

export async function runCompareMember(options: ExampleOptions): Promise<void> {
  exitWithParent();
  const experiment = await openExperiment(options, { callbacks: trialLines });
  const { tfjs, tuner, data } = experiment;
  try {
    if (data === undefined) throw new Error('a comparison run loads the dataset itself');
    // no time cut: the run's trials (--trials) are its budget
    await searchTrials(experiment, {
      signal: new AbortController().signal,
      cutTraining: () => false,
    });
    const trials = [...(await (await tuner.study()).trials())].sort((a, b) => a.number - b.number);
    const [best] = await tuner.getBestTrials(1);
    if (best === undefined)
      throw new HypertunerError(
        'NO_COMPLETED_TRIAL',
        `No trial of study '${tuner.projectName}' completed; nothing to score.`,
        { field: 'trials' },
      );
    const model = await tuner.loadModel(best);
    const test = tfjs.imageSplitToArrays(data.test);
    const scores = tfjs.evaluateModel(model, test.x, test.y, { batchSize: 1000 });
    const layers = tfjs.modelSummary(model);
    model.optimizer?.dispose();
    model.dispose();
    const result: RunResult = {
      study: tuner.projectName,
      tuner: options.tuner,
      seed: options.seed,
      trials: trials.length,
      bestValue: best.values?.[0] ?? Number.NaN,
      bestTrial: best.number,
      bestParams: best.params,
      testLoss: scores['loss'] ?? Number.NaN,
      testAccuracy: scores['accuracy'] ?? Number.NaN,
      timeMs: wallTime(trials),
      history: trials.map((t) => ({
        number: t.number,
        epochs: t.intermediate.length,
        value: t.status === 'COMPLETED' ? (t.values?.[0] ?? null) : null,
      })),
      layers,
    };
    const path = resultPath(options);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `${JSON.stringify(result, null, 1)}\n`);
  } finally {
    await tuner.close();
  }
}
